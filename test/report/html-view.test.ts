// What a person sees in the HTML report (issue 9 item 13), in one headless Chromium: after wheel
// zoom the "fit"/"all"/"seed" controls bring every node back inside the graph area; no sideways
// overflow at 1024 px (the exposure table stays in its card, tx hashes wrap); the legend is
// labelled; printing gives a PDF with the tables and without the controls. Screenshots go to
// test-results/. Skips (saying why) without chromium.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/page.js';
import { ROOT } from '../helpers.js';
import { hostileDoc } from './fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
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

describe.skipIf(!HAVE_CHROMIUM)(
  `the HTML report as a person sees it${HAVE_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} is missing: run .ci/setup-chromium.sh)`}`,
  () => {
    let browser: Browser;
    let file: string;
    let keys: string[];
    beforeAll(async () => {
      browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
      const dir = await mkdtemp(join(tmpdir(), 'fundtrace-html-view-'));
      await mkdir(RESULTS, { recursive: true });
      const doc = await hostileDoc();
      keys = doc.graph.nodes.map((n) => n.key);
      file = join(dir, 'report.html');
      await writeFile(file, await renderHtml(doc));
    });
    afterAll(async () => {
      await browser?.close();
    });

    async function open(width: number, height = 900): Promise<Page> {
      const page = await browser.newPage({ viewport: { width, height } });
      await page.goto(pathToFileURL(file).href);
      await page.waitForFunction(() => window.__fundtrace?.ready === true, null, { timeout: 30_000 });
      return page;
    }

    /** Nodes whose centre is outside the graph area (CSS pixels). */
    async function outside(page: Page): Promise<string[]> {
      const box = (await page.locator('#graph').boundingBox())!;
      const out: string[] = [];
      for (const k of keys) {
        const p = (await page.evaluate((key) => window.__fundtrace.nodePosition(key), k))!;
        if (p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height) out.push(k);
      }
      return out;
    }

    async function zoomAway(page: Page) {
      const box = (await page.locator('#graph').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.9, box.y + box.height * 0.9);
      for (let i = 0; i < 8; i++) {
        await page.mouse.wheel(0, -400);
        await page.waitForTimeout(60);
      }
      await page.mouse.dblclick(box.x + 5, box.y + 5);
      await page.waitForTimeout(600);
    }

    for (const width of [1024, 1920]) {
      it(`the ransomware sample at ${width} px: node labels drawn without overlapping, edge amounts drawn`, async () => {
        const sample = join(await mkdtemp(join(tmpdir(), 'fundtrace-html-labels-')), 'ransom.html');
        const doc = JSON.parse(
          await readFile(join(ROOT, 'test', 'golden', 'out', 'btc-ransom-haircut-h10.json'), 'utf8'),
        );
        await writeFile(sample, await renderHtml(doc));
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(pathToFileURL(sample).href);
        await page.waitForFunction(() => window.__fundtrace?.ready === true, null, { timeout: 30_000 });
        await page.waitForTimeout(300);
        const boxes = await page.evaluate(() => window.__fundtrace.labelBoxes());
        expect(boxes.length).toBeGreaterThan(3);
        // Two labels overlap when their boxes share more than a tenth of the smaller one.
        const clashes: string[] = [];
        for (let i = 0; i < boxes.length; i++)
          for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i]!;
            const b = boxes[j]!;
            const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
            const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
            if (w > 0 && h > 0 && w * h > 0.1 * Math.min(a.width * a.height, b.width * b.height))
              clashes.push(`${a.key} × ${b.key}`);
          }
        expect(clashes).toEqual([]);
        // Named addresses (services, flagged clusters) win over unnamed ones: at 1920 px every one
        // keeps its name on screen; at 1024 px the seven hop columns are ~80 px apart, so two
        // named labels that would overlap another give way (hover or click shows them).
        const shown = new Set(boxes.map((b) => b.key));
        const named = (
          doc.graph.nodes as { key: string; attributes: { cluster: { entity: string | null } | null } }[]
        )
          .filter((n) => n.attributes.cluster?.entity)
          .map((n) => n.key);
        expect(named.length).toBe(7); // the ransom wallet (seed), 2 × Northbank, 2 × Coinharbor, casino, Nimbuspay
        expect(named.filter((k) => !shown.has(k)).length).toBeLessThanOrEqual(width >= 1920 ? 0 : 2);
        expect(await page.evaluate(() => window.__fundtrace.edgeLabels())).toBeGreaterThan(3);
        await page.screenshot({ path: join(RESULTS, `html-labels-${width}.png`) });
        await page.close();
      });
    }

    for (const how of ['fit', 'step-all', 'step-first', 'key f']) {
      it(`after wheel and double-click zoom, "${how}" brings every node back inside the graph`, async () => {
        const page = await open(1400);
        expect(await outside(page)).toEqual([]);
        await zoomAway(page);
        // The zoom did lose nodes off screen: otherwise this test would prove nothing.
        expect((await outside(page)).length).toBeGreaterThan(0);
        if (how === 'key f') {
          await page.locator('body').click({ position: { x: 2, y: 2 } });
          await page.keyboard.press('f');
        } else await page.click(`#${how}`);
        await page.waitForTimeout(100);
        expect(await outside(page)).toEqual([]);
        if (how === 'fit') await page.screenshot({ path: join(RESULTS, 'report-html-zoom-reset.png') });
        await page.close();
      });
    }

    it('the fit control is a focusable, labelled button; the legend is labelled', async () => {
      const page = await open(1400);
      const fit = page.locator('#fit');
      expect(await fit.getAttribute('aria-label')).toMatch(/fit/);
      await fit.focus();
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('fit');
      expect(await page.locator('#legend').getAttribute('aria-label')).toMatch(/legend/);
      expect(await page.locator('#legend [role=listitem]').count()).toBeGreaterThan(0);
      // The sample's CoinJoin (detected, unlabelled) is a mixer in the legend, not "unlabelled".
      expect(await page.locator('#legend').textContent()).toMatch(/mixer \(1\)/);
      await page.close();
    });

    for (const width of [1024, 1920]) {
      it(`no sideways overflow at ${width} px, tables inside their cards, even with a node selected`, async () => {
        const page = await open(width);
        const check = async () => {
          const r = await page.evaluate(() => {
            const cards = [...document.querySelectorAll('.card')].map((c) => {
              const cb = c.getBoundingClientRect();
              const t = c.querySelector('.scroll');
              const tb = t?.getBoundingClientRect();
              return tb ? tb.right <= cb.right + 0.5 : true;
            });
            const panel = document.getElementById('panel')!;
            return {
              scrollWidth: document.documentElement.scrollWidth,
              innerWidth: window.innerWidth,
              cards,
              panelOverflow: panel.scrollWidth - panel.clientWidth,
            };
          });
          expect(r.scrollWidth).toBeLessThanOrEqual(r.innerWidth);
          expect(r.cards.every(Boolean)).toBe(true);
          expect(r.panelOverflow).toBeLessThanOrEqual(0);
        };
        await check();
        await page.screenshot({ path: join(RESULTS, `report-html-${width}.png`), fullPage: true });
        // Select the node with most movements: its tx hashes must wrap, not clip.
        let best = keys[0]!;
        let most = -1;
        for (const k of keys) {
          await page.evaluate((key) => window.__fundtrace.select(key), k);
          const n = await page.locator('#panel-body table.moves tr').count();
          if (n > most) {
            most = n;
            best = k;
          }
        }
        await page.evaluate((key) => window.__fundtrace.select(key), best);
        await check();
        // A hash line is at least 16 characters wide (it used to wrap four characters a line).
        const widths = await page.evaluate(() =>
          [...document.querySelectorAll('#panel-body table.moves .mono')].map((e) => {
            const r = e.getClientRects()[0];
            return r ? r.width : 0;
          }),
        );
        expect(widths.length).toBeGreaterThan(0);
        expect(Math.min(...widths)).toBeGreaterThan(16 * 6);
        await page.screenshot({ path: join(RESULTS, `report-html-${width}-selected.png`), fullPage: true });
        await page.close();
      });
    }

    it('prints to PDF with the tables and without the controls', async () => {
      const page = await open(1400);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('#controls').isVisible()).toBe(false);
      expect(await page.locator('#graph').isVisible()).toBe(false);
      expect(await page.locator('#tables').isVisible()).toBe(true);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await writeFile(join(RESULTS, 'report-html.pdf'), pdf);
      const text = pdf.toString('latin1');
      expect(text.startsWith('%PDF-')).toBe(true);
      const pages = text.match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages.length).toBeGreaterThan(0);
      expect(pdf.length).toBeGreaterThan(5000);
      // Method and limitations, as the Markdown report has them, are on the page (and printed).
      for (const id of ['method', 'limitations'])
        expect(await page.locator(`#${id}`).isVisible(), id).toBe(true);
      expect(await page.locator('#limitations').textContent()).toMatch(/model/);
      expect(await page.locator('#method').textContent()).not.toMatch(/\\|\*\*/);
      await page.close();
    });
  },
);
