// `fundtrace watch add --from-case DIR`: the case's funds at rest become watched addresses with a
// movement rule (a share of the amount at rest as the minimum, rounded down: never a missed alert).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseWatchFile } from '../../src/watch/file.js';
import { cli, ROOT } from '../helpers.js';
import { tmp } from '../rpc/helpers.js';

const SEED = '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084';

describe('fundtrace watch add --from-case', () => {
  it("adds the phishing sample's two addresses at rest, once", async () => {
    const dir = tmp('fundtrace-watch-add-');
    const caseDir = join(dir, 'case');
    const t = await cli([
      'trace',
      SEED,
      '--source',
      join(ROOT, 'samples', 'phishing-eth.json'),
      '--asset',
      'USDT',
      '--no-label-dir',
      '--case',
      caseDir,
    ]);
    expect(t.status, t.stderr).toBe(0);
    const file = join(dir, 'watch.yaml');
    writeFileSync(file, '# my watch file\nwatch: []\n');
    const r = await cli(['watch', 'add', '--from-case', caseDir, '-f', file, '--share', '0.5']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/added 2 of 2 addresses at rest/);
    const w = parseWatchFile(readFileSync(file, 'utf8'), file);
    // At rest: 10 000 USDT and 1 237.11429 USDT (6 decimals); half of each, rounded down.
    expect(w.entries.map((e) => [e.address, e.movement, e.labels])).toEqual([
      [
        '0xEb67fe9a0CAbC0f465615F4F1acB5E848Cf8f0f4',
        [{ min: '5000', asset: '0x61C656cf1EF280595E9cE1911E0a93fB436C67E8' }],
        true,
      ],
      [
        '0x82e9dDF7FAb80BB0EFBF80076Bca21CF75551c39',
        [{ min: '618.557145', asset: '0x61C656cf1EF280595E9cE1911E0a93fB436C67E8' }],
        true,
      ],
    ]);
    expect(readFileSync(file, 'utf8')).toMatch(/^# my watch file\n/);
    const again = await cli(['watch', 'add', '--from-case', caseDir, '-f', file]);
    expect(again.stderr).toMatch(/added 0 of 2/);
    const bad = await cli(['watch', 'add', '--from-case', join(dir, 'nope'), '-f', file]);
    expect(bad.status).toBe(3);
  });
});
