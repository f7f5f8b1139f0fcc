// The shipped JSON Schema (schema/dataset-v1.schema.json), used the way a third party would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { datasetSchema } from '../../src/sources/dataset/index.js';
import { amountMessage } from '../../src/sources/dataset/schema.js';
import { FIXTURES } from './helpers.js';

const schemaPath = fileURLToPath(new URL('../../schema/dataset-v1.schema.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
const ID = 'urn:fundtrace:schema:dataset-v1';

function compile() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  const addFormats = (addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule;
  (addFormats as (a: Ajv2020) => void)(ajv);
  ajv.addSchema(schema);
  const get = (ref: string) => ajv.getSchema(ID + ref)!;
  return {
    document: get(''),
    header: get('#/$defs/header'),
    record: get('#/$defs/jsonlRecord'),
    amount: get('#/$defs/amount'),
    time: get('#/$defs/time'),
  };
}

describe('dataset JSON Schema', () => {
  it('is the schema the loader uses, and compiles in strict mode', () => {
    expect(datasetSchema).toEqual(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => compile()).not.toThrow();
  });

  it('accepts the fixtures in both forms', () => {
    const v = compile();
    for (const name of ['utxo', 'account']) {
      const doc = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8'));
      expect(v.document(doc), JSON.stringify(v.document.errors)).toBe(true);
      const [header, ...records] = readFileSync(join(FIXTURES, `${name}.jsonl`), 'utf8')
        .trimEnd()
        .split('\n');
      expect(v.header(JSON.parse(header!)), JSON.stringify(v.header.errors)).toBe(true);
      for (const r of records) expect(v.record(JSON.parse(r)), JSON.stringify(v.record.errors)).toBe(true);
    }
  });

  it('amounts are decimal strings of base units', () => {
    const { amount } = compile();
    for (const ok of ['0', '1', '150000', '9'.repeat(78)]) expect(amount(ok), ok).toBe(true);
    for (const bad of ['1.5', '-1', '01', '', '1e8', ' 1', '+1', '9'.repeat(79), 150000, 1.5, null]) {
      expect(amount(bad), String(bad)).toBe(false);
    }
  });

  it('times are ISO-8601 UTC', () => {
    const { time } = compile();
    for (const ok of ['2024-03-01T10:15:00Z', '2024-03-01T10:15:00.123Z']) expect(time(ok), ok).toBe(true);
    for (const bad of [
      '2024-03-01 10:15:00',
      '2024-13-01T10:15:00Z',
      '2024-03-01T10:15:00+01:00',
      '2024-03-01',
      1709288100,
    ]) {
      expect(time(bad), String(bad)).toBe(false);
    }
  });

  it('records reject unknown fields but allow x- extensions', () => {
    const { record } = compile();
    const label = { type: 'label', address: 'a', entity: 'e', category: 'exchange', source: 's' };
    expect(record(label)).toBe(true);
    expect(record({ ...label, 'x-origin': 'tagpack' })).toBe(true);
    expect(record({ ...label, entitty: 'typo' })).toBe(false);
    expect(record({ ...label, type: 'swap' })).toBe(false);
  });
});

describe('amount messages', () => {
  it.each([
    ['1.5', 'amount "1.5" is not a whole number of base units'],
    ['-5', 'amount "-5" is negative'],
    ['-1.5', 'amount "-1.5" is negative'],
    ['1e8', 'amount "1e8" uses an exponent; write out all the digits'],
    ['007', 'amount "007" has leading zeros'],
    ['', 'amount is empty; write a decimal string of base units such as "150000"'],
    ['0x10', 'amount "0x10" is not a decimal string of base units'],
    [null, 'amount must be a decimal string of base units, got null'],
    [true, 'amount must be a decimal string of base units, got true'],
  ])('%j → %s', (v, msg) => {
    expect(amountMessage(v)).toBe(msg);
  });
  it('a JSON number', () => {
    expect(amountMessage(1.5)).toMatch(/^amount 1\.5 is a JSON number; amounts must be decimal strings/);
  });
});
