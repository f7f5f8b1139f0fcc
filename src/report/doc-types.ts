// The trace JSON document as a type: what `toJsonObject` returns (src/report/json.ts), what
// `--format json` prints and what exports and reports read back. The published contract is
// schema/trace-v1.schema.json; these types are its TypeScript side for the single-asset shape.
export interface DocAmount {
  value: string;
  asset: string;
  decimals: number;
  display: string;
}

export interface DocLabel {
  entity: string;
  category: string;
  source: string;
  confidence: string | null;
  note: string | null;
}

export interface DocNode {
  key: string;
  attributes: {
    address: string;
    chain: string;
    hop: number;
    seed: boolean;
    labels: DocLabel[];
    /** Older results: null when unattributed; now always present with entity/category null. */
    cluster: { id?: string; entity: string | null; category: string | null; via: string } | null;
    received: DocAmount;
    sent: DocAmount;
    tainted: DocAmount;
    stop: string | null;
  };
}

export interface DocEdge {
  key: string;
  source: string;
  target: string;
  attributes: {
    tx: string;
    index: number;
    kind: string;
    time: string | null;
    height: number | null;
    asset: string;
    value: DocAmount;
    tainted: DocAmount;
    hop: number;
  };
}

export interface DocExposureItem {
  category: string;
  entity: string;
  /** Whether the label policy of the trace counted the category as flagged. */
  flagged: boolean;
  value: DocAmount;
  share: string | null;
  minHops: number;
  /** Present when GraphSense API tags attributed the item (cluster.via "graphsense"). */
  via?: 'graphsense';
  graphsenseEntities?: number[];
}

export interface DocQuery {
  seed: string;
  seedKind: string;
  chain: string;
  direction: 'forward' | 'backward';
  hops: number;
  model: string;
  asset: { key: string; symbol: string; decimals: number; contract?: string };
  bounds: {
    since: { height: number } | { time: string } | null;
    until: { height: number } | { time: string } | null;
  };
  limits: { minValue: DocAmount; maxNodes: number; historyLimit: number };
  sources: string[];
  labels: string[];
  /** Heuristics and filters (cospend, deposits, dust …), when the producing version had them. */
  options?: { dust?: DocAmount; [name: string]: unknown };
}

export interface TraceDoc {
  schema: string;
  generator: { name: string; version: string };
  query: DocQuery;
  summary: {
    traced: DocAmount;
    conserved: boolean;
    terminalTotal: DocAmount;
    hops: { hop: number; addresses: number; movements: number; value: DocAmount; tainted: DocAmount }[];
    terminals: Record<string, DocAmount>;
    cutByReason: Record<string, DocAmount>;
    exits: {
      entity: string;
      category: string;
      address: string;
      asset: string;
      value: DocAmount;
      tainted: DocAmount;
      tx: string;
      time: string | null;
      height: number | null;
      hop: number;
      edge: string;
      kind: string;
    }[];
    atRest: { address: string; amount: DocAmount; hop: number }[];
    cut: { reason: string; address: string | null; amount: DocAmount; hop: number; edge: string | null }[];
    largestFlows: {
      edge: string;
      source: string;
      target: string;
      value: DocAmount;
      tainted: DocAmount;
      hop: number;
      tx: string;
    }[];
    findings: {
      kind: string;
      description: string;
      txs: string[];
      edges: string[];
      amount: DocAmount | null;
    }[];
  };
  exposure: {
    shares: string | null;
    direct: DocExposureItem[];
    indirect: DocExposureItem[];
    buckets: { name: string; value: DocAmount; share: string | null }[];
  };
  graph: { nodes: DocNode[]; edges: DocEdge[] };
  warnings: string[];
}
