// schema/trace-v1.schema.json is the contract for people piping the JSON: every golden output and a
// matrix of samples × models × directions × assets (and --asset all) must validate against it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'trace-v1.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);
const problems = (doc: unknown) =>
  validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);

describe('trace-v1 JSON Schema', () => {
  const golden = join(ROOT, 'test', 'golden', 'out');
  const files = readdirSync(golden).filter((f) => f.endsWith('.json'));

  it('the golden set has JSON outputs to check', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('golden %s validates', (f) => {
    expect(problems(JSON.parse(readFileSync(join(golden, f), 'utf8')))).toEqual([]);
  });

  const ETH = 'samples/phishing-eth.json';
  const BTC = 'samples/ransomware-btc.json';
  const DRAIN = '0xad42f9f4bf2f169806b5ddeea99b4c51be2bbe559a94bbf56827e3c723fcb084';
  const RANSOM = '6f79b762cd56d71e262d0cfd647ff612f9988e975842972393b94a463083dd3e:0';
  const matrix: string[][] = [];
  for (const model of ['haircut', 'fifo', 'poison'])
    for (const direction of ['forward', 'backward']) {
      matrix.push([RANSOM, '--source', BTC, '--model', model, '--direction', direction, '--hops', '6']);
      for (const asset of ['ETH', 'USDT', 'all'])
        matrix.push([DRAIN, '--source', ETH, '--model', model, '--direction', direction, '--asset', asset]);
    }

  it.each(matrix.map((m) => [m.join(' '), m] as const))('%s', async (_name, args) => {
    const r = await cli(['trace', ...args, '--format', 'json']);
    // A combination with nothing to trace is refused (exit 3) rather than printed.
    if (r.status === 3) return;
    expect(r.status, r.stderr).toBe(0);
    expect(problems(JSON.parse(r.stdout))).toEqual([]);
  });

  it('rejects what breaks the contract (an amount as a JSON number, an unknown top-level key)', () => {
    const doc = JSON.parse(readFileSync(join(golden, 'btc-ransom-haircut-h3.json'), 'utf8'));
    doc.summary.traced.value = 150000000;
    expect(problems(doc).join('\n')).toMatch(/\/summary/);
    const doc2 = JSON.parse(readFileSync(join(golden, 'btc-ransom-haircut-h3.json'), 'utf8'));
    doc2.extra = 1;
    expect(problems(doc2).join('\n')).toMatch(/additional properties/);
  });
});
