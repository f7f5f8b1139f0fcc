// schema/fiat-v1.schema.json against the recorded --fiat outputs: the section, every total and
// every fiat object an amount carries (found by walking the whole document).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';

const schema = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../schema/fiat-v1.schema.json', import.meta.url)), 'utf8'),
) as Record<string, unknown>;
const ID = 'urn:fundtrace:schema:fiat-v1';
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
ajv.addSchema(schema);
const section = ajv.getSchema(ID)!;
const value = ajv.getSchema(`${ID}#/$defs/value`)!;
const total = ajv.getSchema(`${ID}#/$defs/total`)!;

/** Every `fiat` property below the top level, with its path. */
function fiatObjects(x: unknown, path: string, out: [string, unknown][]): [string, unknown][] {
  if (Array.isArray(x)) {
    for (const [i, v] of x.entries()) fiatObjects(v, `${path}/${i}`, out);
  } else if (typeof x === 'object' && x !== null)
    for (const [k, v] of Object.entries(x)) {
      if ((k === 'fiat' || k === 'fiatAsOf') && path !== '') out.push([`${path}/${k}`, v]);
      else fiatObjects(v, `${path}/${k}`, out);
    }
  return out;
}

describe.each(['btc-ransom-haircut-h10-fiat-kes', 'eth-usdt-haircut-fiat-usd'])('%s', (name) => {
  const doc = JSON.parse(
    readFileSync(fileURLToPath(new URL(`../golden/out/${name}.json`, import.meta.url)), 'utf8'),
  ) as { fiat: unknown };
  it('the fiat section matches the schema', () => {
    expect(section(doc.fiat), JSON.stringify(section.errors)).toBe(true);
  });
  it('every amount’s fiat value (and every exposure total) matches the schema', () => {
    const all = fiatObjects(doc, '', []);
    expect(all.length).toBeGreaterThan(10);
    for (const [path, f] of all) {
      const check = path.includes('/exposure/') ? total : value;
      expect(check(f), `${path}: ${JSON.stringify(check.errors)}`).toBe(true);
    }
  });
});
