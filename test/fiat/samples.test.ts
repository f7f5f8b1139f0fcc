// The bundled samples valued with their bundled price files (samples/prices: real closes of those
// days): figures hand-checked independently (Python decimal, half up), totals rounded once,
// funds at rest at arrival and as of the data's head, and an offline re-derivation from the
// recorded prices that is byte-identical.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPriceBook, type PriceBook, priceBookFromEvidence } from '../../src/core/fiat/book.js';
import { resolveCurrency } from '../../src/core/fiat/currency.js';
import { valuationInputFromResult } from '../../src/core/fiat/trace.js';
import { type Valuation, type ValuationInput, valueItems } from '../../src/core/fiat/value.js';
import type { ChainView } from '../../src/core/view.js';
import { readPriceDir } from '../../src/sources/prices/files.js';
import { BTC_SEED, ETH_USDT_SEED, SAMPLE_BTC, SAMPLE_ETH, traceRecorded } from '../case/helpers.js';
import { SAMPLE_PRICES } from './helpers.js';

let book: PriceBook;
const USD = resolveCurrency('USD', () => false);
const KES = resolveCurrency('KES', () => true);

const txTimeOf = (view: ChainView) => (id: string) => {
  if (view.kind !== 'utxo') return null;
  const l = view.tx(id);
  return l.status === 'ok' && l.value ? l.value.time : null;
};

async function sample(path: string, seed: string, asOf: string, args: string[], declared: boolean) {
  const t = await traceRecorded(path, seed, ['--hops', '10', ...args]);
  const input = valuationInputFromResult(t.result, { asOf, declared, txTime: txTimeOf(t.source.view) });
  const terminals = t.result.outcome.terminals;
  /** Figures of the terminals of a kind, in engine order: [entity, value]. */
  const figures = (v: Valuation, kind: string) =>
    terminals.flatMap((x, i) => (x.kind === kind ? [[x.entity ?? '', v.items[`terminal:${i}`]!.value]] : []));
  return { input, terminals, figures };
}

beforeAll(async () => {
  book = createPriceBook((await readPriceDir(SAMPLE_PRICES)).series);
});

describe('ransomware-btc (2024-02-12 … 2024-02-17)', () => {
  let s: Awaited<ReturnType<typeof sample>>;
  let usd: Valuation;
  let kes: Valuation;
  beforeAll(async () => {
    s = await sample(SAMPLE_BTC, BTC_SEED, '2024-02-17T09:20:00Z', [], false);
    usd = valueItems(s.input, book, USD);
    kes = valueItems(s.input, book, KES);
  });

  it('values every exit at the close of its own day', () => {
    expect(s.figures(usd, 'exit')).toEqual([
      ['Nimbuspay', '401.41'], // 0.00769475 BTC × 52166.43430976192 (2024-02-16)
      ['Northbank Exchange', '7433.72'],
      ['Coinharbor', '11372.28'],
      ['Lucky Satoshi Casino', '2347.49'],
      ['Northbank Exchange', '9181.29'],
      ['Coinharbor', '6377.87'], // 0.1234 BTC × 51684.51749264525 (2024-02-17)
    ]);
    expect(s.figures(kes, 'exit')).toEqual([
      ['Nimbuspay', '58547.36'],
      ['Northbank Exchange', '1084245.52'],
      ['Coinharbor', '1658705.43'],
      ['Lucky Satoshi Casino', '342393.32'],
      ['Northbank Exchange', '1339138.33'],
      ['Coinharbor', '930244.79'], // Saturday: Friday's CBK rate 145.8551
    ]);
  });

  it('rounds the exits total once: KES 5,413,274.74, while the printed parts add up to .75', () => {
    expect(kes.groups.exits).toMatchObject({
      value: '5413274.74',
      exact: '5413274.740195357075509137992',
      roundedPartsSum: '5413274.75',
      parts: 6,
    });
    expect(usd.groups.exits).toMatchObject({ value: '37114.06', roundedPartsSum: '37114.06' });
  });

  it('values funds at rest at arrival and as of the data’s head, saying which is which', () => {
    expect(kes.groups['at-rest:arrival']!.value).toBe('5720558.69');
    expect(kes.groups['at-rest:as-of']!.value).toBe('5702177.94');
    const held = s.terminals.findIndex((t) => t.kind === 'held');
    expect(kes.items[`terminal:${held}`]).toMatchObject({ basis: 'arrival', day: '2024-02-16' });
    expect(kes.items[`terminal:${held}:as-of`]).toMatchObject({ basis: 'as-of', at: '2024-02-17T09:20:00Z' });
  });

  it('values the CoinJoin and the fees at their transactions’ block times', () => {
    expect(kes.groups['exposure:indirect:flagged:mixer:CoinJoin']).toMatchObject({
      value: '234198.93',
      missingParts: 0,
    });
    expect(kes.groups.fees).toMatchObject({ value: '1615.30', roundedPartsSum: '1615.29', parts: 7 });
    expect(kes.warnings).toEqual([]);
  });

  it('records the prices used, and re-derives every figure offline byte for byte', () => {
    expect(
      kes.prices.series.map((x) => `${x.id}: ${x.rows.map((r) => `${r.date}=${r.value}`).join(' ')}`),
    ).toEqual([
      'BTC-USD: 2024-02-16=52166.43430976192 2024-02-17=51684.51749264525',
      'USD-KES: 2024-02-16=145.8551',
    ]);
    expect(kes.prices.series[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = valueItems(s.input, priceBookFromEvidence(JSON.parse(JSON.stringify(kes.prices))), KES);
    expect(JSON.stringify(again)).toBe(JSON.stringify(kes));
  });
});

describe('phishing-eth, USDT (2024-05-03 … 2024-05-04, a weekend in Nairobi)', () => {
  let s: Awaited<ReturnType<typeof sample>>;
  let kes: Valuation;
  let input: ValuationInput;
  beforeAll(async () => {
    s = await sample(SAMPLE_ETH, ETH_USDT_SEED, '2024-05-04T01:40:11Z', ['--asset', 'USDT'], true);
    input = s.input;
    kes = valueItems(input, book, KES);
  });

  it('values the flagged hit and the exits at USDT’s real close, in KES at Friday’s rate', () => {
    expect(s.figures(kes, 'flagged')).toEqual([['AngelDrainer kit', '1064826.01']]); // 8000 × 1.0001416518193977 × 133.0844
    expect(s.figures(kes, 'exit')).toEqual([
      ['Northbank Exchange', '1597239.02'],
      ['Northbank Exchange', '537058.56'],
      ['Northbank Exchange', '629310.02'],
    ]);
    expect(kes.groups['exposure:indirect:service:exchange:Northbank Exchange']!.value).toBe('2763607.60');
    const hit = kes.items[`terminal:${s.terminals.findIndex((t) => t.kind === 'flagged')}`]!;
    expect(hit.prices[1]).toMatchObject({ series: 'USD-KES', date: '2024-05-03' });
    expect(hit.prices[1]!.carried).toMatch(/^Saturday 2024-05-04 has no published rate \(weekend\)/);
  });

  it('says that the sample’s USDT is priced on its dataset declaration', () => {
    expect(kes.warnings).toEqual([
      'fiat values: priced as USDT because the dataset declares it so; its contract 0x61C656cf1EF280595E9cE1911E0a93fB436C67E8 is not the known USDT contract on ethereum (0xdAC17F958D2ee523a2206206994597C13D831ec7)',
    ]);
  });

  it('leaves the sample’s USDT unpriced when its declaration is not trusted', () => {
    const v = valueItems(
      { items: input.items.map((it) => ({ ...it, asset: { ...it.asset, declared: false } })) },
      book,
      KES,
    );
    expect(Object.values(v.items).filter((f) => f.value !== null && f.value !== '0.00')).toEqual([]);
    expect(v.warnings[0]).toMatch(
      /unpriced asset: token 0x61C656cf1EF280595E9cE1911E0a93fB436C67E8 on ethereum/,
    );
  });
});
