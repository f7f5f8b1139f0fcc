// The HTML report of a trace that followed conversions (x1) and a bridge (x2), in headless
// Chromium at 1024 and 1920 px: one graph across the assets and chains, every node inside the graph
// area, node labels not overlapping, the converting address marked (⇄) with its conversions in the
// details, the bridge drawn as its own captioned edge, no sideways overflow, nothing blank.
// Screenshots go to test-results/. Skips (saying why) without chromium.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDocs } from '../../src/report/export/doc.js';
import { viewerDataTrail } from '../../src/report/html/data.js';
import { cli, ROOT } from '../helpers.js';
import { ethTx } from '../vector-roles.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--enable-unsafe-swiftshader'];
const RESULTS = join(ROOT, 'test-results');
const V = (v: string) => `test/fixtures/vectors/${v}.json`;
const CASES = {
  x1: [ethTx('x1-theft'), '--source', V('x1'), '--asset', 'USDT'],
  x2: [
    ethTx('x2-theft'),
    '--source',
    V('x2'),
    '--source',
    `arbitrum=${V('x2-arb')}`,
    '--asset',
    'USDC',
    '--hops',
    '5',
  ],
};
type Name = keyof typeof CASES;

async function must(args: string[]): Promise<string> {
  const r = await cli(args, { NO_COLOR: '1' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

const files = new Map<Name, { html: string; json: string }>();
beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'fundtrace-trail-view-'));
  for (const name of Object.keys(CASES) as Name[]) {
    const json = join(dir, `${name}.json`);
    await writeFile(json, await must(['trace', ...CASES[name], '--format', 'json']));
    const html = join(dir, `${name}.html`);
    await writeFile(html, await must(['report', json, '--format', 'html']));
    files.set(name, { html, json });
  }
});

describe('the viewer data of a trace that followed conversions and bridges', () => {
  it('x1: one graph, amounts in each asset, the conversions on their node and not drawn as edges', async () => {
    const { readFile } = await import('node:fs/promises');
    const docs = checkDocs(JSON.parse(await readFile(files.get('x1')!.json, 'utf8')), 'x1');
    const d = viewerDataTrail(docs);
    expect(d.multi).toBe(true);
    expect(d.edges.some((e) => e.source === e.target)).toBe(false);
    const conv = d.nodes.filter((n) => n.conversions?.length);
    expect(conv.map((n) => n.conversions)).toEqual([
      [
        expect.stringMatching(/^400 USDT → 0\.2 ETH \(swap\) in 0x530f606f/),
        expect.stringMatching(
          /^0\.057142857142857142 ETH → 0\.057142857142857142 WETH \(wrap\) in 0xff0a1a4f/,
        ),
      ],
    ]);
    const exchange = d.nodes.find((n) => n.entity === 'Exchange X')!;
    expect([exchange.tainted, exchange.asset]).toEqual(['0.114285714285714286', 'ETH']);
    expect(d.nodes.filter((n) => n.seed)).toHaveLength(1);
  });

  it('x2: the bridge is one captioned edge from the bridge contract to where arbitrum paid out', async () => {
    const { readFile } = await import('node:fs/promises');
    const docs = checkDocs(JSON.parse(await readFile(files.get('x2')!.json, 'utf8')), 'x2');
    const d = viewerDataTrail(docs);
    const bridge = d.edges.filter((e) => e.kind === 'bridge');
    expect(bridge).toEqual([
      expect.objectContaining({
        source: 'ethereum:0xBd3fa81B58Ba92a82136038B25aDec7066af3155',
        target: 'arbitrum:0x0000000000000000000000000000000000000000',
        tainted: '350',
        caption: '350 USDC bridged to arbitrum (cctp)',
      }),
    ]);
    expect(new Set(d.nodes.map((n) => n.chain))).toEqual(new Set(['ethereum', 'arbitrum']));
    expect(d.hops.find((h) => h.hop === 3)?.tainted).toBe('350 USDC on arbitrum');
  });
});

describe.skipIf(!HAVE_CHROMIUM)(
  `the HTML report of x1 and x2 as a person sees it${HAVE_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} is missing)`}`,
  () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
      await mkdir(RESULTS, { recursive: true });
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function open(name: Name, width: number): Promise<Page> {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(files.get(name)!.html).href);
      await page.waitForFunction(() => window.__fundtrace?.ready === true, null, { timeout: 30_000 });
      await page.waitForTimeout(300);
      return page;
    }

    for (const name of ['x1', 'x2'] as Name[])
      for (const width of [1024, 1920])
        it(`${name} at ${width} px: every node inside the graph, labels apart, marks drawn, no overflow`, async () => {
          const page = await open(name, width);
          const state = await page.evaluate(() => ({
            errors: window.__fundtrace.errors,
            nodes: window.__fundtrace.nodes,
            edges: window.__fundtrace.edges,
            visible: window.__fundtrace.visibleNodes,
          }));
          expect(state.errors).toEqual([]);
          expect(state.nodes).toBe(name === 'x1' ? 3 : 6);
          expect(state.visible).toBe(state.nodes);
          const data = JSON.parse((await page.locator('#fundtrace-data').textContent())!);
          const box = (await page.locator('#graph').boundingBox())!;
          for (const n of data.nodes as { key: string }[]) {
            const p = (await page.evaluate((k) => window.__fundtrace.nodePosition(k), n.key))!;
            expect(p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height, n.key).toBe(true);
          }
          const boxes = await page.evaluate(() => window.__fundtrace.labelBoxes());
          for (let i = 0; i < boxes.length; i++)
            for (let j = i + 1; j < boxes.length; j++) {
              const a = boxes[i]!;
              const b = boxes[j]!;
              const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
              const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
              expect(w > 0 && h > 0, `${a.key} × ${b.key}`).toBe(false);
            }
          // The seed, the named addresses and the converting address keep their label on screen.
          const shown = new Set(boxes.map((b) => b.key));
          const must = (
            data.nodes as { key: string; seed: boolean; entity: string; conversions?: string[] }[]
          )
            .filter((n) => n.seed || n.conversions?.length)
            .map((n) => n.key);
          for (const k of must) expect(shown.has(k), k).toBe(true);
          expect(await page.evaluate(() => window.__fundtrace.edgeLabels())).toBeGreaterThan(1);
          // The graph is not blank: some pixels of the canvas differ from the background.
          const shot = await page.locator('#graph').screenshot();
          expect(new Set(shot.subarray(100, 4000)).size).toBeGreaterThan(1);
          const layout = await page.evaluate(() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            cards: [...document.querySelectorAll('.card')].every((c) => {
              const t = c.querySelector('.scroll');
              return !t || t.getBoundingClientRect().right <= c.getBoundingClientRect().right + 0.5;
            }),
            titles: [...document.querySelectorAll('.card h2')].map((h) => h.textContent),
          }));
          expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
          expect(layout.cards).toBe(true);
          if (name === 'x1') {
            expect(layout.titles).toContain('Conversions (the traced value changed asset here)');
            expect(layout.titles).toContain('Where the value ended (ETH)');
            const conv = must.find((k) => k.endsWith('0x9e05B191255f961647Cb793848DD425c1342cE75'))!;
            await page.evaluate((k) => window.__fundtrace.select(k), conv);
            expect(await page.locator('#panel-body').textContent()).toContain('400 USDT → 0.2 ETH (swap)');
            expect(await page.locator('#panel-body h3').textContent()).toMatch(/⇄$/);
            const panel = await page.evaluate(() => {
              const p = document.getElementById('panel')!;
              return p.scrollWidth - p.clientWidth;
            });
            expect(panel).toBeLessThanOrEqual(0);
          } else {
            expect(layout.titles).toContain('Bridges followed');
            expect(layout.titles).toContain('Where the value ended (USDC on arbitrum)');
            await page.evaluate(() =>
              window.__fundtrace.select('arbitrum:0x60e7fd54c615e0BE60157eC90988e82cf7ed2101'),
            );
            expect(await page.locator('#panel-body').textContent()).toContain('Chainarbitrum');
          }
          await page.screenshot({ path: join(RESULTS, `trail-${name}-${width}.png`), fullPage: true });
          await page.close();
        });
  },
);
