// The diagrams colour a node "flagged" by the trace's own label policy (--flagged, the config
// file), read from the result's exposure, not by a list of their own.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fundtrace-mermaid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const RANSOM = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';

async function mermaid(extra: string[]): Promise<string> {
  const t = await cli([
    'trace',
    RANSOM,
    '--source',
    'samples/ransomware-btc.json',
    '--format',
    'json',
    ...extra,
  ]);
  expect(t.status, t.stderr).toBe(0);
  const file = join(dir, `t${extra.length}.json`);
  writeFileSync(file, t.stdout);
  const m = await cli(['export', file, '--format', 'mermaid']);
  expect(m.status, m.stderr).toBe(0);
  return m.stdout;
}

const classOf = (text: string, name: string) => {
  const id = new RegExp(`  (n\\d+)\\["${name}`).exec(text)?.[1];
  return new RegExp(`class ${id} (\\w+)`).exec(text)?.[1];
};

describe('Mermaid classes follow the label policy of the trace', () => {
  it('an exchange is a service by default and flagged with --flagged exchange', async () => {
    expect(classOf(await mermaid([]), 'Northbank Exchange')).toBe('service');
    expect(classOf(await mermaid(['--flagged', 'exchange,ransomware']), 'Northbank Exchange')).toBe(
      'flagged',
    );
  });
});
