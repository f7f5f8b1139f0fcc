// Browser code of the interactive report, bundled inline by esbuild (see ./page.ts). Renders the
// trace graph with sigma.js v3 over graphology; a side panel shows the hovered or clicked address;
// the step control (buttons, ← → Home End) reveals the trace hop by hop. Every string from chain
// data or labels reaches the page through textContent, never as markup.
import { MultiDirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { ViewerData, ViewerEdge, ViewerNode } from './data.js';

interface PageState {
  ready: boolean;
  nodes: number;
  edges: number;
  /** Nodes drawn at the current step (not hidden). */
  visibleNodes: number;
  selected: string | null;
  step: number;
  maxStep: number;
  errors: string[];
  /** Viewport position (CSS pixels, relative to the graph container) of a node, for tests. */
  nodePosition(key: string): { x: number; y: number } | null;
  /** The node labels drawn, as boxes in CSS pixels of the graph area. */
  labelBoxes(): { key: string; x: number; y: number; width: number; height: number }[];
  /** How many edge labels (amounts) are drawn. */
  edgeLabels(): number;
  select(key: string | null): void;
  setStep(step: number): void;
  /** Back to the initial view: every drawn node inside the graph area. */
  fit(): void;
}

declare global {
  interface Window {
    __fundtrace: PageState;
  }
}

interface Box {
  key: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width + 2 && b.x < a.x + a.width + 2 && a.y < b.y + b.height && b.y < a.y + a.height;

/** Up to this many edges, each is labelled with its tainted amount. */
const EDGE_LABELS = 80;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  cls?: string,
): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function main(): void {
  const state: PageState = {
    ready: false,
    nodes: 0,
    edges: 0,
    visibleNodes: 0,
    selected: null,
    step: 0,
    maxStep: 0,
    errors: [],
    nodePosition: () => null,
    labelBoxes: () => [],
    edgeLabels: () => 0,
    select: () => undefined,
    setStep: () => undefined,
    fit: () => undefined,
  };
  window.__fundtrace = state;
  window.addEventListener('error', (e) => state.errors.push(String(e.message)));

  const data = JSON.parse($('fundtrace-data').textContent ?? '{}') as ViewerData;
  const graph = new MultiDirectedGraph<
    ViewerNode & { hidden?: boolean; forceLabel?: boolean },
    ViewerEdge & { color: string; type: string; label: string }
  >();
  // Named addresses (services, flagged clusters) and the seed always get their label considered,
  // however small the node; unnamed addresses give way to them (see defaultDrawNodeLabel).
  // An address where the traced value changed asset carries a mark (⇄) after its name; the
  // conversions themselves are listed in its details (a self-loop would not be visible).
  for (const n of data.nodes)
    graph.addNode(n.key, {
      ...n,
      label: n.conversions?.length ? `${n.label} ⇄` : n.label,
      forceLabel: Boolean(n.entity) || n.seed || Boolean(n.conversions?.length),
    });
  for (const e of data.edges) {
    if (!graph.hasNode(e.source) || !graph.hasNode(e.target)) continue;
    // The tainted amount on the edge itself (drawn when the graph is small enough to read them).
    graph.addDirectedEdgeWithKey(e.key, e.source, e.target, {
      ...e,
      label: e.caption ?? `${e.tainted} ${e.asset ?? data.asset}`,
      // A bridge to another chain stands apart from movements within one chain.
      color: e.kind === 'bridge' ? '#0096c7' : '#b9c2cc',
      type: 'arrow',
    });
  }
  state.nodes = graph.order;
  state.edges = graph.size;
  state.maxStep = data.maxHop;
  state.step = data.maxHop;

  let hovered: string | null = null;
  const container = $('graph');
  /** Node labels drawn in the current frame (CSS pixels), for the collision check and the tests. */
  let drawn: Box[] = [];
  /** Where the named labels of the current frame go, and every node's disc. */
  let reserved: Box[] = [];
  let discs: Box[] = [];
  let placed = false;
  let place = () => {};
  const measure = document.createElement('canvas').getContext('2d')!;
  const renderer = new Sigma(graph, container, {
    defaultEdgeType: 'arrow',
    // A label that would cover one already drawn in this frame is left out (hover or click the
    // node to read it): sigma's label grid alone let neighbouring hops' addresses overlap.
    defaultDrawNodeLabel: (ctx, d, st) => {
      if (!d.label) return;
      ctx.font = `${st.labelWeight} ${st.labelSize}px ${st.labelFont}`;
      const box = {
        key: d.key,
        x: d.x + d.size + 3,
        y: d.y - st.labelSize / 2,
        width: ctx.measureText(d.label).width,
        height: st.labelSize,
      };
      if (!placed) {
        placed = true;
        place();
      }
      const named = reserved.some((b) => b.key === d.key);
      // A named label yields only to a named one drawn before it; an unnamed one also to the
      // places the named labels of this frame will take.
      const against = named
        ? drawn
        : [...drawn, ...reserved.filter((b) => b.key !== d.key), ...discs.filter((b) => b.key !== d.key)];
      // Right of the node; a named label that would run off the graph's right edge goes on the
      // left instead (only then: a label moved beside another node could be read as its name).
      // An unnamed label that does not fit is left out (hover or click shows it).
      const fits = box.x + box.width <= container.clientWidth;
      const left = { ...box, x: d.x - d.size - 3 - box.width };
      const free = (b: Box) => !against.some((o) => overlaps(o, b));
      const chosen = fits ? (free(box) ? box : undefined) : named && free(left) ? left : undefined;
      if (!chosen) return;
      drawn.push(chosen);
      ctx.fillStyle = st.labelColor.color ?? '#000';
      ctx.fillText(d.label, chosen.x, d.y + st.labelSize / 3);
    },
    // Edge amounts are drawn up to EDGE_LABELS edges; beyond, they would cover the graph (the
    // details panel lists every movement of a node).
    renderEdgeLabels: data.edges.length <= EDGE_LABELS,
    edgeLabelSize: 11,
    labelRenderedSizeThreshold: 7,
    labelDensity: 0.6,
    zIndex: true,
    minCameraRatio: 0.02,
    maxCameraRatio: 4,
    nodeReducer: (node, attrs) => {
      const out: Record<string, unknown> = { ...attrs };
      if (attrs.hop > state.step) out.hidden = true;
      const focus = state.selected ?? hovered;
      if (focus && node !== focus && !graph.areNeighbors(node, focus)) {
        out.color = '#e6e9ed';
        out.label = '';
        out.zIndex = 0;
      } else if (focus) out.zIndex = 1;
      if (node === state.selected) out.highlighted = true;
      return out;
    },
    edgeReducer: (edge, attrs) => {
      const out: Record<string, unknown> = { ...attrs };
      if (attrs.hop > state.step) out.hidden = true;
      const focus = state.selected ?? hovered;
      if (focus && graph.source(edge) !== focus && graph.target(edge) !== focus) {
        out.color = '#eef0f2';
        out.label = '';
      } else if (focus) out.color = '#59636e';
      return out;
    },
  });

  const refresh = () => {
    renderer.refresh();
    let visible = 0;
    graph.forEachNode((_, a) => {
      if (a.hop <= state.step) visible++;
    });
    state.visibleNodes = visible;
  };

  // ---- side panel ----------------------------------------------------------------------------
  const panel = $('panel-body');
  const show = (key: string | null) => {
    panel.replaceChildren();
    if (!key || !graph.hasNode(key)) {
      panel.append(
        el('p', 'Hover over or click an address to see its labels, amounts and transactions.', 'hint'),
      );
      return;
    }
    const n = graph.getNodeAttributes(key);
    panel.append(el('h3', n.label));
    const facts = el('dl');
    const fact = (k: string, v: string) => {
      if (!v) return;
      facts.append(el('dt', k), el('dd', v));
    };
    fact('Address', n.address || `${n.count ?? 0} addresses collapsed`);
    fact('Hop', String(n.hop));
    fact('Chain', n.chain ?? '');
    fact('Entity', n.entity);
    fact('Category', n.category);
    fact('Role', n.seed ? 'seed' : n.stop ? `expansion stopped: ${n.stop}` : '');
    fact(
      data.direction === 'backward' ? 'Traced value from here' : 'Tainted value received',
      `${n.tainted} ${n.asset ?? data.asset}`,
    );
    fact('Received', `${n.received} ${n.asset ?? data.asset}`);
    fact('Sent', `${n.sent} ${n.asset ?? data.asset}`);
    panel.append(facts);
    if (n.conversions?.length) {
      panel.append(el('h4', 'Conversions here (tainted in → tainted out)'));
      const ul = el('ul', undefined, 'labels');
      // The transaction hash in its own (wrapping) span: a 66-character hash would widen the panel.
      for (const c of n.conversions) {
        const at = c.lastIndexOf(' in ');
        const li = el('li', at < 0 ? c : c.slice(0, at + 4));
        if (at >= 0) li.append(el('span', c.slice(at + 4), 'mono'));
        ul.append(li);
      }
      panel.append(ul);
    }
    if (n.labels.length > 0) {
      panel.append(el('h4', 'Labels'));
      const ul = el('ul', undefined, 'labels');
      for (const l of n.labels) {
        const li = el('li');
        li.append(el('strong', l.entity), document.createTextNode(` · ${l.category} · ${l.source}`));
        if (l.confidence) li.append(document.createTextNode(` · confidence ${l.confidence}`));
        if (l.note) li.append(el('div', l.note, 'note'));
        ul.append(li);
      }
      panel.append(ul);
    }
    const moves: { dir: string; other: string; e: ViewerEdge }[] = [];
    graph.forEachInEdge(key, (_, e, s) =>
      moves.push({ dir: 'in', other: graph.getNodeAttribute(s, 'label'), e }),
    );
    graph.forEachOutEdge(key, (_, e, _s, t) =>
      moves.push({ dir: 'out', other: graph.getNodeAttribute(t, 'label'), e }),
    );
    if (moves.length > 0) {
      panel.append(el('h4', `Movements (${moves.length})`));
      const table = el('table', undefined, 'moves');
      const head = el('tr');
      for (const h of ['', 'counterparty', 'tainted', 'value']) head.append(el('th', h));
      table.append(head);
      // The transaction and time get their own full-width row: in a narrow column a 64-character
      // hash wrapped a few characters a line and was clipped.
      for (const m of moves.slice(0, 60)) {
        const tr = el('tr');
        tr.append(
          el('td', m.dir === 'in' ? '←' : '→'),
          el('td', m.other),
          el('td', m.e.asset ? `${m.e.tainted} ${m.e.asset}` : m.e.tainted, 'num'),
          el('td', m.e.value, 'num'),
        );
        const tx = el('tr', undefined, 'tx');
        const cell = el('td');
        cell.append(el('span', m.e.count ? `${m.e.count} movements` : m.e.tx, 'mono'));
        if (m.e.time) cell.append(document.createTextNode(` · ${m.e.time}`));
        tx.append(el('td'), cell);
        cell.colSpan = 3;
        table.append(tr, tx);
      }
      panel.append(table);
      if (moves.length > 60) panel.append(el('p', `… and ${moves.length - 60} more`, 'hint'));
    }
  };
  const select = (key: string | null) => {
    state.selected = key && graph.hasNode(key) ? key : null;
    show(state.selected);
    refresh();
  };
  state.select = select;
  renderer.on('enterNode', ({ node }) => {
    hovered = node;
    if (!state.selected) show(node);
    renderer.refresh();
  });
  renderer.on('leaveNode', () => {
    hovered = null;
    if (!state.selected) show(null);
    renderer.refresh();
  });
  renderer.on('clickNode', ({ node }) => select(node));
  renderer.on('clickStage', () => select(null));
  show(null);

  // ---- trainer mode: hop by hop --------------------------------------------------------------
  const stepLabel = $('step-label');
  const setStep = (s: number) => {
    state.step = Math.max(0, Math.min(data.maxHop, s));
    const h = data.hops.find((x) => x.hop === state.step);
    stepLabel.textContent =
      `Hop ${state.step} of ${data.maxHop}` +
      (h
        ? `: ${h.addresses} address${h.addresses === 1 ? '' : 'es'}, ${data.multi ? h.tainted : `${h.tainted} ${data.asset}`} tainted moved`
        : '');
    if (state.selected && graph.getNodeAttribute(state.selected, 'hop') > state.step) select(null);
    else refresh();
  };
  state.setStep = setStep;
  // After wheel or double-click zoom the graph can be far off screen: "seed", "all" and "fit"
  // bring the camera back to the initial view, where every node is inside the graph area.
  const camera = renderer.getCamera();
  const HOME = { x: 0.54, y: 0.5, ratio: 1.12, angle: 0 };
  const recentre = () => {
    camera.setState(HOME);
    refresh();
  };
  state.fit = recentre;
  $('step-first').addEventListener('click', () => {
    setStep(0);
    recentre();
  });
  $('step-prev').addEventListener('click', () => setStep(state.step - 1));
  $('step-next').addEventListener('click', () => setStep(state.step + 1));
  $('step-all').addEventListener('click', () => {
    setStep(data.maxHop);
    recentre();
  });
  $('fit').addEventListener('click', recentre);
  document.addEventListener('keydown', (e) => {
    if (e.target instanceof HTMLInputElement) return;
    if (e.key === 'ArrowRight') setStep(state.step + 1);
    else if (e.key === 'ArrowLeft') setStep(state.step - 1);
    else if (e.key === 'Home') {
      setStep(0);
      recentre();
    } else if (e.key === 'End') {
      setStep(data.maxHop);
      recentre();
    } else if (e.key === 'f' || e.key === '0') recentre();
    else if (e.key === 'Escape') select(null);
    else return;
    e.preventDefault();
  });

  // ---- legend and note -----------------------------------------------------------------------
  const legend = $('legend');
  for (const l of data.legend) {
    const item = el('span', undefined, 'legend-item');
    item.setAttribute('role', 'listitem');
    const dot = el('span', undefined, 'swatch');
    dot.style.background = l.color;
    item.append(dot, document.createTextNode(`${l.group.replace(/_/g, ' ')} (${l.count})`));
    legend.append(item);
  }
  if (data.note) {
    const note = $('graph-note');
    note.textContent = data.note;
    note.hidden = false;
  }

  // Where each drawn node label is on screen (CSS pixels of the graph area).
  // sigma emits beforeRender before it updates its matrix: the places of this frame's labels
  // and nodes are computed at its first label instead (see defaultDrawNodeLabel).
  renderer.on('beforeRender', () => {
    drawn = [];
    placed = false;
  });
  place = () => {
    const st = renderer.getSettings();
    measure.font = `${st.labelWeight} ${st.labelSize}px ${st.labelFont}`;
    reserved = [];
    discs = [];
    graph.forEachNode((key, a) => {
      const d = renderer.getNodeDisplayData(key);
      if (!d || d.hidden) return;
      const p = renderer.framedGraphToViewport({ x: d.x, y: d.y });
      const r = renderer.scaleSize(d.size);
      // An unnamed address's label does not cover another node either.
      discs.push({ key, x: p.x - r, y: p.y - r, width: 2 * r, height: 2 * r });
      // Where this frame's named labels will go (sigma draws forced labels last).
      if ((!a.entity && !a.seed && !a.conversions?.length) || !d.label) return;
      const width = measure.measureText(d.label).width;
      const right = p.x + r + 3 + width <= container.clientWidth;
      reserved.push({
        key,
        x: right ? p.x + r + 3 : p.x - r - 3 - width,
        y: p.y - st.labelSize / 2,
        width,
        height: st.labelSize,
      });
    });
  };
  state.labelBoxes = () => drawn.map((b) => ({ ...b }));
  state.edgeLabels = () => renderer.getEdgeDisplayedLabels().size;
  state.nodePosition = (key) => {
    if (!graph.hasNode(key)) return null;
    const a = graph.getNodeAttributes(key);
    return renderer.graphToViewport({ x: a.x, y: a.y });
  };
  // Room on the right for the labels of the last hop (labels are drawn to the right of nodes).
  camera.setState(HOME);
  setStep(data.maxHop);
  state.ready = true;
  document.body.dataset.ready = 'true';
}

try {
  main();
} catch (e) {
  const msg = e instanceof Error ? e.message : String(e);
  if (!window.__fundtrace) window.__fundtrace = { errors: [] } as unknown as PageState;
  window.__fundtrace.errors.push(msg);
  const box = document.getElementById('graph');
  if (box) box.textContent = `The graph could not be drawn: ${msg}`;
}
