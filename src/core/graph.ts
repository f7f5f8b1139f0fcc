// Builds the trace graph: graphology MultiDirectedGraph with stable keys
// (`chain:address` nodes, `chain:txid:vout` / `chain:tx:index` edges) and typed attributes.
import { MultiDirectedGraph } from 'graphology';
import type { Label } from './model.js';
import type {
  Cluster,
  EdgeAttributes,
  LabelPolicy,
  NodeAttributes,
  StopReason,
  TraceGraph,
} from './trace-types.js';

export const nodeKey = (chain: string, address: string) => `${chain}:${address}`;

/** The cluster a primary label names: via 'graphsense' (entity id, confidence) for a GraphSense API tag. */
export function labelCluster(l: Label): Cluster {
  const base = { id: l.entity, entity: l.entity, category: l.category };
  if (!l.graphsense) return { ...base, via: 'label' };
  const { entity, confidenceLevel } = l.graphsense;
  return {
    ...base,
    via: 'graphsense',
    ...(entity !== null ? { graphsenseEntity: entity } : {}),
    ...(confidenceLevel !== null ? { confidence: confidenceLevel } : {}),
  };
}

export class GraphBuilder {
  readonly graph: TraceGraph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
  constructor(
    readonly chain: string,
    private readonly policy: LabelPolicy,
    /** Backward traces credit `tainted` to the payer: the part of the traced value that came from it. */
    private readonly backward = false,
  ) {}

  /** Adds the node if new; keeps the smallest hop seen. Returns the node key. */
  node(address: string, hop: number, seed = false): string {
    const key = nodeKey(this.chain, address);
    if (!this.graph.hasNode(key)) {
      const labels = [...this.policy.labelsOf(address)];
      const primary = this.policy.primary(labels);
      this.graph.addNode(key, {
        address,
        chain: this.chain,
        hop,
        seed,
        labels,
        cluster: primary ? labelCluster(primary) : { id: address, entity: null, category: null, via: 'none' },
        received: 0n,
        sent: 0n,
        tainted: 0n,
        stop: null,
      });
    } else {
      const a = this.graph.getNodeAttributes(key);
      if (hop < a.hop) a.hop = hop;
      if (seed) a.seed = true;
    }
    return key;
  }

  has(address: string): boolean {
    return this.graph.hasNode(nodeKey(this.chain, address));
  }

  get order(): number {
    return this.graph.order;
  }

  /** Adds one movement. `received`/`sent` count the movement's value, `tainted` its tainted part. */
  edge(key: string, source: string, target: string, attrs: EdgeAttributes): void {
    if (this.graph.hasEdge(key)) return;
    this.graph.addDirectedEdgeWithKey(key, source, target, attrs);
    const s = this.graph.getNodeAttributes(source);
    const t = this.graph.getNodeAttributes(target);
    s.sent += attrs.value;
    t.received += attrs.value;
    if (this.backward) s.tainted += attrs.tainted;
    else t.tainted += attrs.tainted;
  }

  stop(nodeKeyValue: string, reason: StopReason): void {
    const a = this.graph.getNodeAttributes(nodeKeyValue);
    a.stop = nextStop(a.stop, reason);
  }
}

/** The first reason recorded wins, except that a label always explains a stop best. */
export const nextStop = (was: StopReason | null, reason: StopReason): StopReason =>
  was === null || reason === 'label' ? reason : was;

/** A node of a graph kept in a Map, or an error naming it (a drawing bug, never bad input). */
export function nodeIn<V>(nodes: ReadonlyMap<string, V>, key: string): V {
  const n = nodes.get(key);
  if (n === undefined) throw new Error(`graph: no node ${key}`);
  return n;
}
