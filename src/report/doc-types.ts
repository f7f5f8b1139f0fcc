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
    /** A conversion edge (kind "conversion"): what came out of it. */
    conversion?: {
      via: string;
      to: { asset: string; value: DocAmount; tainted: DocAmount };
      evidence: DocEvidence[];
    };
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
    /** Bridged terminals (a trace that reached a registered bridge contract). */
    bridges?: DocBridgeTerminal[];
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
  /** Set by checkDocs on each part of a trace that followed conversions or bridges. */
  trail?: DocTrail;
}

/** One conversion of a trace that followed swaps or wrapping (the document's `conversions`). */
export interface DocConversion {
  edge: string;
  node: string;
  tx: string;
  time: string | null;
  height: number | null;
  hop: number;
  via: string;
  from: { asset: string; value: DocAmount; tainted: DocAmount };
  to: { asset: string; value: DocAmount; tainted: DocAmount };
  evidence: DocEvidence[];
}

/** A log that proves a conversion or a bridge deposit. */
export interface DocEvidence {
  chain: string;
  tx: string;
  index: number;
  address: string;
  event: string;
  time?: string | null;
}

/** An amount that may lack its asset (a bridge leg whose asset the trace did not follow). */
export type DocMaybeAmount = DocAmount | { value: string };

/** One bridge the trace followed onto another chain (the document's `bridges`): both legs. */
export interface DocBridgeLink {
  protocol: string;
  key: string;
  identifier: string;
  from: { chain: string; edge: string | null; tx: string; deposit: DocMaybeAmount; tainted: DocMaybeAmount };
  to: {
    chain: string;
    edge: string | null;
    tx: string;
    recipient: string;
    value: DocMaybeAmount;
    tainted: DocMaybeAmount;
  };
}

/** A bridged terminal (summary.bridges): where the value left, what to look up on the other chain. */
export interface DocBridgeTerminal {
  address: string;
  name: string;
  edge: string | null;
  tx: string | null;
  time: string | null;
  hop: number;
  tainted: DocAmount;
  protocol: string | null;
  key: string | null;
  identifier: string | null;
  destination: {
    chain: string | null;
    chainId: string | null;
    recipient: string | null;
    token?: string | null;
    value?: string;
  } | null;
  deposit: ({ depositor: string | null; token: string | null } & DocMaybeAmount) | null;
  evidence?: DocEvidence | null;
  note: string | null;
}

/**
 * What ties the parts of a trace that followed conversions or bridges together: read back by
 * checkDocs from the document's top level and attached to every part (never printed as JSON).
 */
export interface DocTrail {
  /** The asset (and chain) the trace started in: query.asset of the document. */
  start: { key: string; symbol: string; chain: string };
  /** Whether the parts span more than one chain. */
  crossChain: boolean;
  conversions: DocConversion[];
  bridges: DocBridgeLink[];
}
