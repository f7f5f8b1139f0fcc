// What the forward engine draws (./forward.ts), held compactly until it is a graphology graph.
//
// --max-nodes folds a graph's leaves (../cap.ts), and a busy trace draws tens of thousands of leaf
// addresses only to fold them, at the moment its memory peaks. So when the drawing could exceed
// the cap, the engine first draws an Outline: per address only what the fold looks at (degrees,
// hop, whether it is pinned) and what the terminals there add up to. The fold is planned on it,
// and the Drawing then leaves the folded addresses out: their movements are not drawn and their
// terminals not kept, exactly as drawing them all and dropping them after would have left it.
//
// In a Drawing, a node is one small record (its labels and cluster are made when the graph is) and
// a movement keeps its transfer (its attributes are made then too). `toGraph()` makes attributes
// exactly as GraphBuilder (../graph.ts) does, nodes and edges in the order they were added.
import { MultiDirectedGraph } from 'graphology';
import { addToTally, type CapGraph, type NodeTally } from '../cap.js';
import { labelCluster, nextStop, nodeIn, nodeKey } from '../graph.js';
import type { Label, Transfer } from '../model.js';
import type {
  Cluster,
  EdgeAttributes,
  LabelPolicy,
  NodeAttributes,
  StopReason,
  Terminal,
  TraceGraph,
} from '../trace-types.js';
import { edgeAttrs } from './common.js';

interface DrawnNode {
  address: string;
  hop: number;
  seed: boolean;
  /** Undefined: none (most addresses). */
  labels: Label[] | undefined;
  /** Set by the engine (a deposit address); else the primary label's, or none. */
  cluster: Cluster | undefined;
  received: bigint;
  sent: bigint;
  tainted: bigint;
  stop: StopReason | null;
  /** Counted as graphology counts them: a self-loop adds one to each. */
  in: number;
  out: number;
}

/** A node drawn again: it keeps the smallest hop seen, and is a seed if drawn as one once. */
function again(n: { hop: number; seed: boolean }, hop: number, seed: boolean): void {
  if (hop < n.hop) n.hop = hop;
  if (seed) n.seed = true;
}

interface DrawnEdge {
  source: string;
  target: string;
  /** A transfer's movement: its attributes are made when it is kept. */
  t: Transfer | undefined;
  /** Other movements (conversions) bring theirs. */
  attrs: EdgeAttributes | undefined;
  tainted: bigint;
  hop: number;
}

/** What the engine draws into: an Outline (planning the fold) or a Drawing. */
export interface Canvas {
  /** Adds the node if new (keeps the smallest hop seen); returns the key to name it by. */
  node(address: string, hop: number, seed?: boolean): string;
  has(address: string): boolean;
  hasEdge(key: string): boolean;
  /** A transfer's movement, once per key; `received`/`sent` count its value, `tainted` its tainted part. */
  edge(key: string, source: string, target: string, t: Transfer, tainted: bigint, hop: number): void;
  /** A movement with its attributes made (a conversion: from the address to itself). */
  edgeWith(key: string, source: string, target: string, attrs: EdgeAttributes): void;
  /** The key a node of this address is named by (whether drawn or not). */
  nameOf(address: string): string;
  stop(node: string, reason: StopReason): void;
  setCluster(address: string, cluster: Cluster): void;
  forEachAddress(cb: (address: string) => void): void;
}

/** Where the engine puts a part's terminals: kept in order, or added up per node for the fold. */
export interface TerminalSink {
  push(t: Terminal): void;
}

/** The terminals kept, less those at folded addresses (their value goes into the fold's cuts). */
export class KeptTerminals implements TerminalSink {
  readonly list: Terminal[] = [];
  private readonly prefix: number;
  constructor(
    chain: string,
    private readonly folded?: ReadonlySet<string>,
  ) {
    this.prefix = chain.length + 1;
  }
  push(t: Terminal): void {
    if (this.folded && t.node !== null && this.folded.has(t.node.slice(this.prefix))) return;
    this.list.push(t);
  }
}

/** The terminals added up per node: by address, as an Outline names nodes (Canvas.nameOf). */
export class TalliedTerminals implements TerminalSink {
  readonly tally = new Map<string, NodeTally>();
  push(t: Terminal): void {
    if (t.node !== null) addToTally(this.tally, t.node, t);
  }
}

/** Terminals of a part that is not capped, while planning: not needed. */
export const discardTerminals: TerminalSink = { push: () => {} };

export class Drawing implements Canvas {
  private readonly nodes = new Map<string, DrawnNode>();
  private readonly edges = new Map<string, DrawnEdge>();

  constructor(
    readonly chain: string,
    private readonly policy: LabelPolicy,
    /** Addresses the fold leaves out (planned on an Outline). */
    private readonly folded?: ReadonlySet<string>,
  ) {}

  private n(key: string): DrawnNode {
    return nodeIn(this.nodes, key);
  }

  /** Adds the node if new; keeps the smallest hop seen. Returns the node key (as GraphBuilder.node). */
  node(address: string, hop: number, seed = false): string {
    const key = nodeKey(this.chain, address);
    if (this.folded?.has(address)) return key;
    const n = this.nodes.get(key);
    if (!n) {
      const labels = this.policy.labelsOf(address);
      this.nodes.set(key, {
        address,
        hop,
        seed,
        labels: labels.length > 0 ? [...labels] : undefined,
        cluster: undefined,
        received: 0n,
        sent: 0n,
        tainted: 0n,
        stop: null,
        in: 0,
        out: 0,
      });
    } else again(n, hop, seed);
    return key;
  }

  has(address: string): boolean {
    return this.nodes.has(nodeKey(this.chain, address));
  }

  nameOf(address: string): string {
    return nodeKey(this.chain, address);
  }

  hasEdge(key: string): boolean {
    return this.edges.has(key);
  }

  edge(key: string, source: string, target: string, t: Transfer, tainted: bigint, hop: number): void {
    if (this.edges.has(key)) return;
    if (this.folded && !this.nodes.has(target)) {
      // Into a folded address: not drawn, but the payer sent it (as a drawn, then dropped, edge left it).
      const s = this.n(source);
      s.sent = s.sent === 0n ? t.value : s.sent + t.value;
      return;
    }
    this.add(key, source, target, { t, attrs: undefined, tainted, hop }, t.value);
  }

  edgeWith(key: string, source: string, target: string, attrs: EdgeAttributes): void {
    if (this.edges.has(key)) throw new Error(`graph: edge ${key} exists`);
    const s = this.n(source);
    const t = this.n(target);
    s.out++;
    t.in++;
    this.edges.set(key, { source, target, t: undefined, attrs, tainted: attrs.tainted, hop: attrs.hop });
  }

  private add(
    key: string,
    source: string,
    target: string,
    e: Omit<DrawnEdge, 'source' | 'target'>,
    value: bigint,
  ): void {
    const s = this.n(source);
    const t = this.n(target);
    s.out++;
    t.in++;
    this.edges.set(key, { source, target, ...e });
    // A first sum is the value itself (one bigint shared, not a copy: most nodes are paid once).
    s.sent = s.sent === 0n ? value : s.sent + value;
    t.received = t.received === 0n ? value : t.received + value;
    t.tainted = t.tainted === 0n ? e.tainted : t.tainted + e.tainted;
  }

  stop(key: string, reason: StopReason): void {
    const n = this.folded ? this.nodes.get(key) : this.n(key);
    if (n) n.stop = nextStop(n.stop, reason);
  }

  setCluster(address: string, cluster: Cluster): void {
    this.n(nodeKey(this.chain, address)).cluster = cluster;
  }

  forEachAddress(cb: (address: string) => void): void {
    for (const n of this.nodes.values()) cb(n.address);
  }

  /** The graphology graph: nodes, then edges, in the order they were added. */
  toGraph(): TraceGraph {
    const g: TraceGraph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
    for (const [k, n] of this.nodes) {
      const labels = n.labels ?? [];
      const primary = this.policy.primary(labels);
      g.addNode(k, {
        address: n.address,
        chain: this.chain,
        hop: n.hop,
        seed: n.seed,
        labels,
        cluster:
          n.cluster ??
          (primary ? labelCluster(primary) : { id: n.address, entity: null, category: null, via: 'none' }),
        received: n.received,
        sent: n.sent,
        tainted: n.tainted,
        stop: n.stop,
      });
    }
    for (const [k, e] of this.edges)
      g.addDirectedEdgeWithKey(k, e.source, e.target, e.attrs ?? edgeAttrs(e.t!, e.tainted, e.hop));
    return g;
  }
}

interface OutlineNode {
  hop: number;
  seed: boolean;
  labelled: boolean;
  clustered: boolean;
  stop: StopReason | null;
  in: number;
  out: number;
}

/**
 * What a Drawing would hold, in outline, keyed by address (no node keys made): enough to plan the
 * fold (it is a CapGraph), a fraction of the memory.
 */
export class Outline implements Canvas, CapGraph {
  private readonly nodes = new Map<string, OutlineNode>();
  /** The movements in the order drawn: a transfer, or a conversion's key and address. */
  private readonly moves: (Transfer | { key: string; address: string })[] = [];
  private readonly tainted: bigint[] = [];
  private readonly loops = new Set<string>();

  constructor(
    readonly chain: string,
    private readonly policy: LabelPolicy,
  ) {}

  get order(): number {
    return this.nodes.size;
  }

  private n(address: string): OutlineNode {
    return nodeIn(this.nodes, address);
  }

  node(address: string, hop: number, seed = false): string {
    const n = this.nodes.get(address);
    if (!n) {
      this.nodes.set(address, {
        hop,
        seed,
        labelled: this.policy.labelsOf(address).length > 0,
        clustered: false,
        stop: null,
        in: 0,
        out: 0,
      });
    } else again(n, hop, seed);
    return address;
  }

  has(address: string): boolean {
    return this.nodes.has(address);
  }

  nameOf(address: string): string {
    return address;
  }

  /** Only conversions are asked about (a transfer's movement is drawn once: the event log has it once). */
  hasEdge(key: string): boolean {
    return this.loops.has(key);
  }

  edge(_key: string, source: string, target: string, t: Transfer, tainted: bigint): void {
    this.n(source).out++;
    this.n(target).in++;
    this.moves.push(t);
    this.tainted.push(tainted);
  }

  edgeWith(key: string, source: string, target: string, attrs: EdgeAttributes): void {
    this.loops.add(key);
    this.n(source).out++;
    this.n(target).in++;
    this.moves.push({ key, address: source });
    this.tainted.push(attrs.tainted);
  }

  stop(address: string, reason: StopReason): void {
    const n = this.n(address);
    n.stop = nextStop(n.stop, reason);
  }

  setCluster(address: string): void {
    this.n(address).clustered = true;
  }

  forEachAddress(cb: (address: string) => void): void {
    for (const a of this.nodes.keys()) cb(a);
  }

  // ---- CapGraph (keys: addresses) -------------------------------------------------------------

  inDegree(address: string): number {
    return this.n(address).in;
  }

  outDegree(address: string): number {
    return this.n(address).out;
  }

  degree(address: string): number {
    const n = this.n(address);
    return n.in + n.out;
  }

  hop(address: string): number {
    return this.n(address).hop;
  }

  pinned(address: string): boolean {
    const n = this.n(address);
    return n.seed || n.labelled || n.clustered || n.stop === 'burn';
  }

  forEachNode(cb: (address: string) => void): void {
    for (const a of this.nodes.keys()) cb(a);
  }

  /** Keys made here, one at a time, as a Drawing names its movements. */
  forEachEdge(cb: (key: string, tainted: bigint, source: string, target: string) => void): void {
    for (let i = 0; i < this.moves.length; i++) {
      const m = this.moves[i]!;
      if ('key' in m) cb(m.key, this.tainted[i]!, m.address, m.address);
      else cb(`${this.chain}:${m.tx}:${m.index}`, this.tainted[i]!, m.from, m.to!);
    }
  }
}
