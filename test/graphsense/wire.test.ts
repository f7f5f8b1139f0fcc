// GraphSense wire validators: every problem named with its JSON path; self-contradictions refused.
import { describe, expect, it } from 'vitest';
import { AddressNormalizer } from '../../src/sources/esplora/wire.js';
import {
  addressTxsValidator,
  joinSpending,
  statsValidator,
  txRefsValidator,
  txValidator,
} from '../../src/sources/graphsense/wire.js';
import { equivalenceScenario } from '../esplora/cases.js';
import { gsTx } from './server.js';

const built = equivalenceScenario();
const tx = built.tx.x1!;
const norm = new AddressNormalizer('bitcoin');
const check = (body: unknown) => () => txValidator(norm, tx.txid)(body);

describe('graphsense wire', () => {
  it('a served tx round-trips to the core record once joined with its spending list', () => {
    const t = txValidator(norm, tx.txid)(gsTx(tx));
    const refs = txRefsValidator('spending')(
      tx.inputs.map((i, n) => ({ input_index: n, output_index: i.vout, tx_hash: i.txid })),
    );
    const j = joinSpending(t, refs);
    expect(j.tx?.tx.inputs).toEqual(tx.inputs);
    expect(j.tx?.tx.outputs).toEqual(tx.outputs);
    expect(j.tx?.tx.height).toBe(tx.height);
  });

  it('refuses values that are not satoshi integers, foreign addresses and another tx', () => {
    const w = gsTx(tx) as { outputs: { value: { value: unknown }; address: string[] }[] };
    w.outputs[0]!.value.value = 0.5;
    expect(check(w)).toThrow(/tx\.outputs\[0\]\.value\.value: expected an integer number of satoshis/);
    const w2 = gsTx(tx) as { outputs: { address: string[] }[] };
    w2.outputs[0]!.address = ['tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx'];
    expect(check(w2)).toThrow(/tx\.outputs\[0\]\.address\[0\]: .* is not a valid bitcoin address/);
    expect(() => txValidator(norm, '0'.repeat(64))(gsTx(tx))).toThrow(/is .*, not the requested/);
  });

  it('refuses a spending list that does not cover the inputs exactly', () => {
    const t = txValidator(norm, tx.txid)(gsTx(tx));
    const ref = { inputIndex: 0, outputIndex: tx.inputs[0]!.vout, txid: tx.inputs[0]!.txid };
    const dup = [ref, ref];
    expect(joinSpending(t, dup).problem).toMatch(/input 0 is listed twice/);
    expect(joinSpending(t, []).problem).toMatch(/lists 0 spent outputs, but the transaction has \d+ inputs/);
  });

  it('paging and stats shapes', () => {
    expect(addressTxsValidator({ address_txs: [], next_page: null })).toEqual({ txids: [], next: null });
    expect(() => addressTxsValidator({ address_txs: [], next_page: 7 })).toThrow(
      /next_page: expected a string or null/,
    );
    expect(statsValidator('btc')({ currencies: [{ name: 'btc', no_blocks: 121 }] })).toBe(120);
    expect(() => statsValidator('btc')({ currencies: [{ name: 'eth', no_blocks: 5 }] })).toThrow(
      /no entry for "btc"/,
    );
  });
});
