// The Markdown report: a snapshot on the bundled ransomware sample, and escaping of hostile labels.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCase } from '../../src/case/write.js';
import { checkDoc } from '../../src/report/export/doc.js';
import { mdText, percent, renderMarkdown } from '../../src/report/markdown.js';
import { BTC_SEED, ftcli, tempDir, traceRecorded } from '../case/helpers.js';
import { HOSTILE, hostileDoc } from './fixtures.js';

describe('the Markdown report', () => {
  it('matches the snapshot for the ransomware sample case', async () => {
    // A relative source path and a fixed time, so the report is the same on every machine.
    const t = await traceRecorded('samples/ransomware-btc.json', BTC_SEED, ['--hops', '10']);
    const dir = join(await tempDir(), 'case');
    const w = await writeCase(dir, t.caseOptions);
    const r = await ftcli(['report', dir, '--format', 'md']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`**Case hash** (SHA-256 of \`manifest.json\`): \`${w.caseHash}\``);
    expect(r.stdout).toContain('```mermaid\nflowchart LR\n');
    // Stored as .snap so formatters leave it byte for byte. The case hash and the tool version change with every release: masked in the snapshot.
    const masked = r.stdout
      .replaceAll(w.caseHash, '<case hash>')
      .replaceAll(w.manifest.tool.version, '<version>');
    await expect(masked).toMatchFileSnapshot('__snapshots__/ransomware-btc.md.snap');
  });

  it('escapes labels so they can neither break a table nor inject markup', async () => {
    const md = renderMarkdown(await hostileDoc());
    expect(md).not.toContain('<script');
    expect(md).not.toContain('<!--');
    // Every table row of the exits table keeps its 10 columns.
    const section = md.slice(md.indexOf('## Exits'), md.indexOf('## Funds at rest'));
    const rows = section.split('\n').filter((l) => l.startsWith('| '));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length - 2).toBe(10);
    expect(md).toContain(mdText(HOSTILE));
    expect(percent('0.475063')).toBe('47.51 %');
    expect(percent(null)).toBe('n/a');
  });

  it('works from a result file too (no case hash), and refuses a changed case', async () => {
    const t = await traceRecorded('samples/ransomware-btc.json', BTC_SEED);
    const md = renderMarkdown(checkDoc(JSON.parse(t.json), 'x'));
    expect(md).toContain('**Case hash:** none');
    const dir = join(await tempDir(), 'case');
    await writeCase(dir, t.caseOptions);
    const { writeFile, readFile } = await import('node:fs/promises');
    const p = join(dir, 'result.json');
    await writeFile(p, (await readFile(p, 'utf8')).replace('"hops": 3', '"hops": 4'));
    const r = await ftcli(['report', dir, '--format', 'md']);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('case verify');
  });
});
