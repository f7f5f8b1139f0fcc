// The interactive HTML report in a real headless browser (Debian's chromium through playwright-core):
// loads from file:// with no console errors and no network, draws the graph, shows details on
// click, steps hop by hop, and shows a hostile label as text. Skips (saying why) without chromium.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticResult } from '../../scripts/bench-report.js';
import { docOf, type TraceDoc } from '../../src/report/export/doc.js';
import { viewerData } from '../../src/report/html/data.js';
import { renderHtml } from '../../src/report/html/page.js';
import { ftcli, sampleCase } from '../case/helpers.js';
import { ROOT } from '../helpers.js';
import { HOSTILE, hostileDoc } from './fixtures.js';
import { colouredPixels, decodePng } from './png.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIP_REASON = `${CHROMIUM} is missing: run .ci/setup-chromium.sh (apt-get install chromium) to run the browser tests`;
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-unsafe-swiftshader',
];
const RESULTS = join(ROOT, 'test-results');

describe('the HTML report (no browser)', () => {
  it('is one self-contained file: inline script and data, a CSP, nothing fetched', async () => {
    const html = await renderHtml(await hostileDoc());
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:|\/\/)/i);
    expect(html).toContain("default-src 'none'");
    // The hostile label never appears as markup: not in the tables, not in the inlined data.
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('</script><script>');
    expect(html.split('</script>')).toHaveLength(3);
    expect(html).not.toMatch(/<!--/);
  });

  it('reduces a large graph for display, with a note, and lays it out fast', () => {
    const doc = docOf(syntheticResult(5000));
    const t = performance.now();
    const d = viewerData(doc);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(d.total.nodes).toBe(5000);
    expect(d.nodes.length).toBeLessThanOrEqual(1500 + 7);
    expect(d.note).toMatch(/5000 addresses/);
    const agg = d.nodes.filter((n) => n.group === 'aggregate');
    expect(agg.reduce((a, n) => a + (n.count ?? 0), 0) + d.nodes.length - agg.length).toBe(5000);
    // Every edge ends on a node that is drawn.
    const keys = new Set(d.nodes.map((n) => n.key));
    expect(d.edges.every((e) => keys.has(e.source) && keys.has(e.target))).toBe(true);
  });
});

describe.skipIf(!HAVE_CHROMIUM)(
  `the HTML report in headless Chromium${HAVE_CHROMIUM ? '' : ` (SKIPPED: ${SKIP_REASON})`}`,
  () => {
    let browser: Browser;
    let dir: string;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
      dir = await mkdtemp(join(tmpdir(), 'fundtrace-html-'));
      await mkdir(RESULTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function open(doc: TraceDoc, name: string, extra: Parameters<typeof renderHtml>[1] = {}) {
      const file = join(dir, `${name}.html`);
      await writeFile(file, await renderHtml(doc, extra));
      return openFile(file);
    }

    async function openFile(file: string) {
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      const requests: string[] = [];
      const problems: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      const url = pathToFileURL(file).href;
      await page.goto(url);
      await page.waitForFunction(() => window.__fundtrace?.ready === true, null, { timeout: 30_000 });
      return { page, requests, problems, url };
    }

    const state = (page: Page) =>
      page.evaluate(() => {
        const s = window.__fundtrace;
        return {
          nodes: s.nodes,
          edges: s.edges,
          visible: s.visibleNodes,
          step: s.step,
          maxStep: s.maxStep,
          selected: s.selected,
          errors: s.errors,
        };
      });

    it('loads from file:// with no errors and no requests, draws every node, shows details on click', async () => {
      const doc = await hostileDoc();
      const { page, requests, problems, url } = await open(doc, 'sample');
      const s = await state(page);
      expect(problems).toEqual([]);
      expect(s.errors).toEqual([]);
      expect(requests).toEqual([url]);
      expect(s.nodes).toBe(doc.graph.nodes.length);
      expect(s.edges).toBe(doc.graph.edges.length);
      expect(s.visible).toBe(doc.graph.nodes.length);
      expect(s.step).toBe(Math.max(...doc.graph.nodes.map((n) => n.attributes.hop)));

      // The canvas shows coloured nodes (the seed and the service exits).
      const shot = await page.locator('#graph').screenshot();
      expect(colouredPixels(decodePng(shot))).toBeGreaterThan(300);
      await page.screenshot({ path: join(RESULTS, 'report-html.png'), fullPage: false });

      // Click the node whose label is hostile: its details show it as text, and nothing runs.
      const key = doc.graph.nodes.find((n) => n.attributes.cluster?.entity === HOSTILE)!.key;
      const box = (await page.locator('#graph').boundingBox())!;
      const pos = (await page.evaluate((k) => window.__fundtrace.nodePosition(k), key))!;
      await page.mouse.click(box.x + pos.x, box.y + pos.y);
      await page.waitForFunction((k) => window.__fundtrace.selected === k, key);
      expect(await page.locator('#panel-body h3').textContent()).toBe(HOSTILE);
      const panel = (await page.locator('#panel-body').textContent()) ?? '';
      expect(panel).toContain(doc.graph.nodes.find((n) => n.key === key)!.attributes.address);
      expect(panel).toContain('Movements');
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.locator('script').count()).toBe(2);
      expect(await page.locator('#panel-body script').count()).toBe(0);
      // The exits table shows the label as text too.
      expect(await page.locator('#tables').textContent()).toContain(HOSTILE);
      await page.screenshot({ path: join(RESULTS, 'report-html-selected.png') });
      expect(problems).toEqual([]);
      await page.close();
    });

    it('trainer mode reveals the trace hop by hop (buttons and keyboard)', async () => {
      const doc = await hostileDoc();
      const { page, problems } = await open(doc, 'steps');
      const perHop = (h: number) => doc.graph.nodes.filter((n) => n.attributes.hop <= h).length;
      await page.keyboard.press('Home');
      expect(await state(page)).toMatchObject({ step: 0, visible: perHop(0) });
      await page.keyboard.press('ArrowRight');
      expect(await state(page)).toMatchObject({ step: 1, visible: perHop(1) });
      await page.click('#step-next');
      expect(await state(page)).toMatchObject({ step: 2, visible: perHop(2) });
      expect(await page.locator('#step-label').textContent()).toMatch(/^Hop 2 of \d+: \d+ address/);
      await page.click('#step-prev');
      expect((await state(page)).step).toBe(1);
      await page.screenshot({ path: join(RESULTS, 'report-html-step1.png') });
      await page.keyboard.press('End');
      const s = await state(page);
      expect(s.step).toBe(s.maxStep);
      expect(s.visible).toBe(doc.graph.nodes.length);
      expect(problems).toEqual([]);
      await page.close();
    });

    it('opens a 5 000-address trace reduced to the top flows, with the note shown', async () => {
      const doc = docOf(syntheticResult(5000));
      const t = Date.now();
      const { page, problems, requests, url } = await open(doc, 'large');
      const ms = Date.now() - t;
      const s = await state(page);
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(s.nodes).toBe(viewerData(doc).nodes.length);
      expect(s.nodes).toBeLessThan(2000);
      expect(await page.locator('#graph-note').isVisible()).toBe(true);
      expect(ms).toBeLessThan(20_000);
      await page.screenshot({ path: join(RESULTS, 'report-html-large.png') });
      await page.close();
    });

    it('`fundtrace report CASE --format html` writes a page that opens the same way', async () => {
      const c = await sampleCase();
      const out = join(dir, 'case.html');
      const r = await ftcli(['report', c.dir, '--format', 'html', '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      expect(await readFile(out, 'utf8')).toContain(c.written.caseHash);
      const { page, problems } = await openFile(out);
      expect((await state(page)).nodes).toBe(JSON.parse(c.json).graph.nodes.length);
      expect(problems).toEqual([]);
      await page.close();
    });
  },
);
