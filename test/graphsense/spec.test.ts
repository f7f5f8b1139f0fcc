// The replay server speaks the wire format of the real API description: every body it serves for
// the routes fundtrace uses is checked against the 200-response schema of that operation in
// GraphSense REST's OpenAPI spec v1.15.5 (../shared/data/graphsense-openapi/; skipped when absent):
// required properties present, no property the schema lacks, JSON types as declared.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { equivalenceScenario, roles } from '../esplora/cases.js';
import { roles as acct, ethScenario, tronScenario } from './account-scenario.js';
import { type AccountServer, startAccountServer } from './account-server.js';
import { confirmedOnly } from './helpers.js';
import { type GsServer, startGraphSense } from './server.js';

const DIR = join(__dirname, '../../../shared/data/graphsense-openapi');
const SPEC = join(DIR, 'graphsense-REST_v1.15.5_openapi_spec_graphsense.yaml');
const present = existsSync(SPEC);

type Schema = Record<string, unknown>;

function checker(spec: Schema) {
  const schemas = (spec.components as { schemas: Record<string, Schema> }).schemas;
  const resolve = (s: Schema): Schema => {
    const ref = s.$ref as string | undefined;
    return ref ? resolve(schemas[ref.replace('#/components/schemas/', '')]!) : s;
  };
  const check = (v: unknown, raw: Schema, path: string, out: string[]): void => {
    const s = resolve(raw);
    if (s.oneOf) {
      const d = s.discriminator as { propertyName: string; mapping: Record<string, string> };
      const tag = (v as Record<string, unknown>)[d.propertyName] as string;
      const target = d.mapping[tag];
      if (!target) out.push(`${path}: no oneOf branch for ${d.propertyName}=${tag}`);
      else check(v, { $ref: target }, path, out);
      return;
    }
    if (v === null && s.nullable) return;
    switch (s.type) {
      case 'object': {
        if (typeof v !== 'object' || v === null || Array.isArray(v))
          return void out.push(`${path}: not an object`);
        const props = (s.properties ?? {}) as Record<string, Schema>;
        for (const r of (s.required ?? []) as string[])
          if (!(r in v)) out.push(`${path}.${r}: required, missing`);
        for (const [k, x] of Object.entries(v)) {
          if (!(k in props)) {
            if (!s.additionalProperties) out.push(`${path}.${k}: not in the schema`);
            continue;
          }
          if (x === null && k === 'next_page') continue; // absent/null on the last page
          check(x, props[k]!, `${path}.${k}`, out);
        }
        return;
      }
      case 'array':
        if (!Array.isArray(v)) return void out.push(`${path}: not an array`);
        for (const [i, x] of v.entries()) check(x, s.items as Schema, `${path}[${i}]`, out);
        return;
      case 'integer':
        if (!Number.isInteger(v)) out.push(`${path}: not an integer`);
        return;
      case 'number':
        if (typeof v !== 'number') out.push(`${path}: not a number`);
        return;
      case 'string':
        if (typeof v !== 'string') out.push(`${path}: not a string`);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') out.push(`${path}: not a boolean`);
        return;
      default:
        return;
    }
  };
  const paths = spec.paths as Record<string, { get: { responses: Record<string, Schema> } }>;
  return (template: string, body: unknown): string[] => {
    const op = paths[template]!.get.responses['200']! as {
      content: { 'application/json': { schema: Schema } };
    };
    const out: string[] = [];
    check(body, op.content['application/json'].schema, 'body', out);
    return out;
  };
}

describe.skipIf(!present)('graphsense replay server ≡ OpenAPI v1.15.5 schemas', () => {
  const built = equivalenceScenario();
  let server: GsServer;
  let conforms: ReturnType<typeof checker>;
  beforeAll(async () => {
    server = await startGraphSense(confirmedOnly(built.s), {
      pageSize: 7,
      tags: {
        [roles.S]: [1, 2, 3].map((i) => ({
          label: `tag ${i}`,
          category: 'exchange',
          actor: 'coinharbor',
          confidence: 'service_data',
          confidence_level: 50,
          currency: 'btc',
          is_cluster_definer: true,
          tag_type: 'actor',
          tagpack_creator: 'test',
          tagpack_is_public: true,
          tagpack_title: 'Exchanges',
          address: roles.S,
          entity: 4242,
        })),
      },
    });
    conforms = checker(parse(readFileSync(SPEC, 'utf8')) as Schema);
  });
  afterAll(() => server.close());

  const get = async (p: string) => {
    const r = await fetch(`${server.url}${p}`);
    expect(r.status).toBe(200);
    return r.json();
  };

  it('the checker accepts the official client fixture and refuses a broken copy', () => {
    const fixture = JSON.parse(readFileSync(join(DIR, 'examples-synthetic/tx_utxo_btc.json'), 'utf8'));
    expect(conforms('/{currency}/txs/{tx_hash}', fixture)).toEqual([]);
    const broken = { ...fixture, height: '1000', extra: 1 };
    delete broken.total_output;
    expect(conforms('/{currency}/txs/{tx_hash}', broken)).toEqual([
      'body.total_output: required, missing',
      'body.height: not an integer',
      'body.extra: not in the schema',
    ]);
  });

  it('every route fundtrace uses', async () => {
    const t = built.tx;
    const S = roles.S;
    const first = (await get(`/btc/addresses/${S}/txs?pagesize=7`)) as { next_page: string };
    expect(first.next_page).toEqual(expect.any(String));
    const bodies: [string, unknown][] = [
      ['/stats', await get('/stats')],
      [
        '/{currency}/txs/{tx_hash}',
        await get(
          `/btc/txs/${t.sp1!.txid}?include_io=true&include_nonstandard_io=true&include_io_index=true`,
        ),
      ],
      ['/{currency}/txs/{tx_hash}', await get(`/btc/txs/${t.cb!.txid}?include_io=true`)],
      ['/{currency}/txs/{tx_hash}/spending', await get(`/btc/txs/${t.sp1!.txid}/spending`)],
      ['/{currency}/txs/{tx_hash}/spent_in', await get(`/btc/txs/${t.p3!.txid}/spent_in`)],
      ['/{currency}/addresses/{address}/txs', first],
      [
        '/{currency}/addresses/{address}/txs',
        await get(`/btc/addresses/${S}/txs?pagesize=7&page=${encodeURIComponent(first.next_page)}`),
      ],
      ['/{currency}/blocks/{height}/txs', await get('/btc/blocks/103/txs')],
      ['/{currency}/addresses/{address}/tags', await get(`/btc/addresses/${S}/tags?pagesize=100`)],
      [
        '/{currency}/addresses/{address}/tags',
        await get(`/btc/addresses/${S}/tags?pagesize=100&page=tags-2`),
      ],
    ];
    for (const [template, body] of bodies)
      expect([template, conforms(template, body)]).toEqual([template, []]);
  });
});

describe.skipIf(!present)('graphsense account replay server ≡ OpenAPI v1.15.5 schemas', () => {
  let conforms: ReturnType<typeof checker>;
  const servers: AccountServer[] = [];
  beforeAll(() => {
    conforms = checker(parse(readFileSync(SPEC, 'utf8')) as Schema);
  });
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('the checker accepts the official tx_account fixture (eth)', () => {
    const fixture = JSON.parse(readFileSync(join(DIR, 'examples-synthetic/tx_account_eth.json'), 'utf8'));
    expect(conforms('/{currency}/txs/{tx_hash}', fixture)).toEqual([]);
  });

  it.each([
    ['eth', ethScenario, acct.eth.scam],
    ['trx', tronScenario, acct.trx.scam],
  ] as const)('every account route fundtrace uses (%s)', async (net, make, address) => {
    const sc = make();
    const server = await startAccountServer(sc, {
      pageSize: 3,
      tags: {
        [address]: [
          {
            label: 'x',
            currency: net,
            is_cluster_definer: false,
            tag_type: 'actor',
            tagpack_creator: 't',
            tagpack_is_public: true,
            tagpack_title: 'T',
            address,
            entity: 1,
          },
        ],
      },
    });
    servers.push(server);
    const get = async (p: string) => {
      const r = await fetch(`${server.url}${p}`);
      expect(r.status, p).toBe(200);
      return r.json();
    };
    const withTokens = sc.txs.find((t) => (t.tokens?.length ?? 0) > 0)!.hash;
    const first = (await get(`/${net}/addresses/${address}/txs?pagesize=100`)) as { next_page: string };
    expect(first.next_page).toEqual(expect.any(String));
    const bodies: [string, unknown][] = [
      ['/stats', await get('/stats')],
      ['/{currency}/supported_tokens', await get(`/${net}/supported_tokens`)],
      ['/{currency}/addresses/{address}/txs', first],
      [
        '/{currency}/addresses/{address}/txs',
        await get(
          `/${net}/addresses/${address}/txs?pagesize=100&page=${encodeURIComponent(first.next_page)}`,
        ),
      ],
      ['/{currency}/txs/{tx_hash}', await get(`/${net}/txs/${withTokens}`)],
      ['/{currency}/txs/{tx_hash}/flows', await get(`/${net}/txs/${withTokens}/flows?pagesize=100`)],
      ['/{currency}/blocks/{height}/txs', await get(`/${net}/blocks/${sc.txs[0]!.height}/txs`)],
      ['/{currency}/addresses/{address}/tags', await get(`/${net}/addresses/${address}/tags?pagesize=100`)],
    ];
    for (const [template, body] of bodies)
      expect([template, conforms(template, body)]).toEqual([template, []]);
  });
});
