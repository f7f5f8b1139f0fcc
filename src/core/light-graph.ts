// A plain graph the forward account engine draws into before --max-nodes folds it (./cap.ts): a
// busy trace draws tens of thousands of leaf addresses that the cap then folds, and graphology's
// per-node adjacency objects cost ~3x what these two maps do (62 000 nodes: ~30 MB against ~10 MB,
// at the moment the trace's memory peaks). `toGraph()` then builds the graphology graph of what is
// left, nodes and edges in the order they were added — the same graph as drawing into graphology
// and dropping the folded nodes there.
import { MultiDirectedGraph } from 'graphology';
import type { CapGraph } from './cap.js';
import type { BuildGraph } from './graph.js';
import type { EdgeAttributes, NodeAttributes, TraceGraph } from './trace-types.js';

interface LightNode {
  attrs: NodeAttributes;
  /** Counted as graphology counts them: a self-loop adds one to each. */
  in: number;
  out: number;
}

interface LightEdge {
  source: string;
  target: string;
  attrs: EdgeAttributes;
}

export class LightGraph implements BuildGraph, CapGraph {
  private readonly nodes = new Map<string, LightNode>();
  private readonly edges = new Map<string, LightEdge>();

  get order(): number {
    return this.nodes.size;
  }

  private n(key: string): LightNode {
    const n = this.nodes.get(key);
    if (!n) throw new Error(`graph: no node ${key}`);
    return n;
  }

  private e(key: string): LightEdge {
    const e = this.edges.get(key);
    if (!e) throw new Error(`graph: no edge ${key}`);
    return e;
  }

  hasNode(key: string): boolean {
    return this.nodes.has(key);
  }

  addNode(key: string, attrs: NodeAttributes): void {
    if (this.nodes.has(key)) throw new Error(`graph: node ${key} exists`);
    this.nodes.set(key, { attrs, in: 0, out: 0 });
  }

  getNodeAttributes(key: string): NodeAttributes {
    return this.n(key).attrs;
  }

  getNodeAttribute<K extends keyof NodeAttributes>(key: string, name: K): NodeAttributes[K] {
    return this.n(key).attrs[name];
  }

  setNodeAttribute<K extends keyof NodeAttributes>(key: string, name: K, value: NodeAttributes[K]): void {
    this.n(key).attrs[name] = value;
  }

  hasEdge(key: string): boolean {
    return this.edges.has(key);
  }

  addDirectedEdgeWithKey(key: string, source: string, target: string, attrs: EdgeAttributes): void {
    if (this.edges.has(key)) throw new Error(`graph: edge ${key} exists`);
    const s = this.n(source);
    const t = this.n(target);
    s.out++;
    t.in++;
    this.edges.set(key, { source, target, attrs });
  }

  source(edge: string): string {
    return this.e(edge).source;
  }

  target(edge: string): string {
    return this.e(edge).target;
  }

  inDegree(key: string): number {
    return this.n(key).in;
  }

  outDegree(key: string): number {
    return this.n(key).out;
  }

  degree(key: string): number {
    const n = this.n(key);
    return n.in + n.out;
  }

  forEachNode(cb: (key: string, attrs: NodeAttributes) => void): void {
    for (const [k, n] of this.nodes) cb(k, n.attrs);
  }

  forEachEdge(cb: (key: string, attrs: EdgeAttributes, source: string, target: string) => void): void {
    for (const [k, e] of this.edges) cb(k, e.attrs, e.source, e.target);
  }

  /** Drops the nodes and every edge that touches them, in one pass over the edges. */
  dropNodes(keys: ReadonlySet<string>): void {
    for (const [k, e] of this.edges) {
      const s = keys.has(e.source);
      const t = keys.has(e.target);
      if (!s && !t) continue;
      this.edges.delete(k);
      if (!s) this.n(e.source).out--;
      if (!t) this.n(e.target).in--;
    }
    for (const k of keys) this.nodes.delete(k);
  }

  /** The graphology graph: nodes, then edges, in the order they were added. */
  toGraph(): TraceGraph {
    const g: TraceGraph = new MultiDirectedGraph<NodeAttributes, EdgeAttributes>();
    for (const [k, n] of this.nodes) g.addNode(k, n.attrs);
    for (const [k, e] of this.edges) g.addDirectedEdgeWithKey(k, e.source, e.target, e.attrs);
    return g;
  }
}
