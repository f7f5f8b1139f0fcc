// Esplora wire validators against REAL recorded responses (blockstream.info via BitGo's HTTP cache,
// and one mempool.space tx). The files are read from ../shared at run time (never copied into the
// project); the suite is skipped when they are absent. See ../shared/data/esplora-fixtures/PROVENANCE.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import {
  AddressNormalizer,
  blockTxidsValidator,
  type EsploraTx,
  outspendsValidator,
  txListValidator,
  txValidator,
} from '../../src/sources/esplora/wire.js';
import { ValidationError } from '../../src/sources/http/index.js';
import { SHARED } from '../helpers.js';

const ROOT = join(SHARED, 'data', 'esplora-fixtures');
const BITGO = join(ROOT, 'blockstream-bitgo');
const MEMPOOL = join(ROOT, 'mempool-space', 'tx02_api_tx.json');
const present = existsSync(BITGO) && existsSync(MEMPOOL);

interface WireOut {
  scriptpubkey_type: string;
  scriptpubkey_address?: string;
  value: number;
}
interface WireStatus {
  confirmed: boolean;
  block_height?: number;
  block_hash?: string;
  block_time?: number;
}
interface WireTx {
  txid: string;
  vin: { txid: string; vout: number; is_coinbase: boolean; prevout: WireOut | null }[];
  vout: WireOut[];
  fee: number;
  status: WireStatus;
}
interface WireOutspend {
  spent: boolean;
  txid?: string;
  vin?: number;
  status?: WireStatus;
}

const read = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));
/** Recorded files of one endpoint: `_tx_<txid>[_suffix].<hash8>.json`. */
function recorded(suffix: '' | '_outspends' | '_status' | '_hex'): { txid: string; file: string }[] {
  const re = new RegExp(`^_tx_([0-9a-f]{64})${suffix}\\.[0-9a-f]{8}\\.json$`);
  return readdirSync(BITGO)
    .map((f) => ({ m: re.exec(f), f }))
    .filter((x) => x.m !== null)
    .map((x) => ({ txid: x.m![1]!, file: join(BITGO, x.f) }));
}

const iso = (sec: number) => new Date(sec * 1000).toISOString().replace('.000Z', 'Z');

/** Every property a genuine tx must keep through the validator. */
function checkTx(wire: WireTx, t: EsploraTx, norm: AddressNormalizer): void {
  expect(t.tx.txid).toBe(wire.txid);
  // Inputs: one per non-coinbase vin, in order, carrying the prevout's outpoint, address and value.
  const spending = wire.vin.filter((v) => !v.is_coinbase);
  expect(t.tx.inputs).toHaveLength(spending.length);
  spending.forEach((v, i) => {
    const input = t.tx.inputs[i]!;
    expect(input.txid).toBe(v.txid);
    expect(input.vout).toBe(v.vout);
    expect(typeof input.value).toBe('bigint');
    expect(input.value).toBe(BigInt(v.prevout!.value));
    expect(input.address).toBe(norm.normalize(v.prevout!.scriptpubkey_address!));
    expect(input.address).not.toBeNull();
  });
  // Outputs: one per vout, value exact, address canonical, OP_RETURN marked unspendable.
  expect(t.tx.outputs).toHaveLength(wire.vout.length);
  wire.vout.forEach((o, i) => {
    expect(typeof t.tx.outputs[i]!.value).toBe('bigint');
    expect(t.tx.outputs[i]!.value).toBe(BigInt(o.value));
    const a = o.scriptpubkey_address;
    expect(t.tx.outputs[i]!.address).toBe(a === undefined ? null : norm.normalize(a));
    expect(t.unspendable[i]).toBe(o.scriptpubkey_type === 'op_return');
  });
  // Conservation: Σ inputs − Σ outputs is exactly the server's fee.
  if (spending.length === wire.vin.length) {
    const sumIn = t.tx.inputs.reduce((s, x) => s + x.value, 0n);
    const sumOut = t.tx.outputs.reduce((s, x) => s + x.value, 0n);
    expect(sumIn - sumOut).toBe(BigInt(wire.fee));
  }
  // Status: confirmed → height/hash/time from the block; unconfirmed → all null.
  if (wire.status.confirmed) {
    expect(t.tx.height).toBe(wire.status.block_height);
    expect(t.blockHash).toBe(wire.status.block_hash);
    expect(t.tx.time).toBe(iso(wire.status.block_time!));
  } else {
    expect(t.tx.height).toBeNull();
    expect(t.blockHash).toBeNull();
    expect(t.tx.time).toBeNull();
  }
  expect(t.tx.position).toBeNull();
}

describe.skipIf(!present)('Esplora wire: recorded blockstream.info / mempool.space responses', () => {
  const testnet = new AddressNormalizer('bitcoin-testnet');
  const txFiles = present ? recorded('') : [];

  it('has the recorded /tx responses this suite is about', () => {
    expect(txFiles.length).toBe(3);
  });

  it('accepts every recorded GET /tx/:txid and keeps amounts, prevouts, fee and status exact', () => {
    let inputs = 0;
    let outputs = 0;
    for (const { txid, file } of txFiles) {
      const wire = read(file) as WireTx;
      const t = txValidator(testnet, txid)(wire);
      checkTx(wire, t, testnet);
      inputs += t.tx.inputs.length;
      outputs += t.tx.outputs.length;
    }
    expect([inputs, outputs]).toEqual([3, 6]);
  });

  it('agrees with the raw transaction bytes (/tx/:txid/hex) of the same tx', () => {
    const hexes = recorded('_hex');
    expect(hexes.length).toBe(3);
    for (const { txid, file } of hexes) {
      const raw = Transaction.fromHex(read(file) as string);
      expect(raw.getId()).toBe(txid);
      const json = txFiles.find((f) => f.txid === txid)!;
      const t = txValidator(testnet, txid)(read(json.file));
      expect(t.tx.outputs.map((o) => o.value)).toEqual(raw.outs.map((o) => BigInt(o.value)));
      expect(t.tx.inputs.map((i) => `${i.txid}:${i.vout}`)).toEqual(
        raw.ins.map((i) => `${Buffer.from(i.hash).reverse().toString('hex')}:${i.index}`),
      );
    }
  });

  it('status of /tx/:txid/status matches the status inside /tx/:txid', () => {
    const statuses = recorded('_status');
    // 3 real txs + the made-up 1111…1111 (unconfirmed: the server does not know it).
    expect(statuses.length).toBe(4);
    for (const { txid, file } of statuses) {
      const s = read(file) as WireStatus;
      const json = txFiles.find((f) => f.txid === txid);
      if (!json) {
        expect(s).toEqual({ confirmed: false });
        continue;
      }
      expect(s).toEqual((read(json.file) as WireTx).status);
    }
  });

  it('the unconfirmed recording (fe38c68a…) has height, block and time null', () => {
    const f = txFiles.find((x) => x.txid.startsWith('fe38c68a'))!;
    const t = txValidator(testnet, f.txid)(read(f.file));
    expect([t.tx.height, t.blockHash, t.tx.time]).toEqual([null, null, null]);
  });

  it('maps every recorded /tx/:txid/outspends onto the outputs: spender txid, input index, height', () => {
    const files = recorded('_outspends');
    expect(files.length).toBe(3);
    let spent = 0;
    for (const { txid, file } of files) {
      const wire = read(file) as WireOutspend[];
      const tx = txFiles.find((f) => f.txid === txid)!;
      const outputs = (read(tx.file) as WireTx).vout.length;
      const list = outspendsValidator(outputs)(wire);
      expect(list).toHaveLength(outputs);
      wire.forEach((w, i) => {
        if (!w.spent) {
          expect(list[i]).toBeNull();
          return;
        }
        spent++;
        expect(list[i]).toEqual({
          txid: w.txid,
          inputIndex: w.vin,
          height: w.status!.confirmed ? w.status!.block_height : null,
        });
      });
    }
    // 87f4cf75…: both outputs spent by e94fefb0… inputs 0 and 1.
    expect(spent).toBe(2);
    const o = outspendsValidator(2)(read(files.find((f) => f.txid.startsWith('87f4cf75'))!.file));
    expect(o.map((s) => s && [s.txid.slice(0, 8), s.inputIndex, s.height])).toEqual([
      ['e94fefb0', 0, 1445711],
      ['e94fefb0', 1, 1445711],
    ]);
  });

  it('an outspends list of the wrong length for the tx is refused', () => {
    const f = recorded('_outspends').find((x) => x.txid.startsWith('87f4cf75'))!;
    expect(() => outspendsValidator(3)(read(f.file))).toThrow(ValidationError);
  });

  it('the UTXO of /address/:a/utxo is output 0 of the recorded tx, same value', () => {
    const file = readdirSync(BITGO).find((f) => f.startsWith('_address_2NEhVzd2'))!;
    const [utxo] = read(join(BITGO, file)) as { txid: string; vout: number; value: number }[];
    const tx = txFiles.find((f) => f.txid === utxo!.txid)!;
    const t = txValidator(testnet, tx.txid)(read(tx.file));
    expect(t.tx.outputs[utxo!.vout]).toEqual({
      address: '2NEhVzd2Lom5g7ZF5K1qYrgZLpXecniqHcE',
      value: BigInt(utxo!.value),
    });
  });

  it('reads the recorded txs as an /address/:a/txs page; a chain page refuses the unconfirmed one', () => {
    const wires = txFiles.map((f) => read(f.file));
    const page = txListValidator(testnet, false)(wires);
    expect(page.map((t) => t.tx.txid)).toEqual(txFiles.map((f) => f.txid));
    expect(() => txListValidator(testnet, true)(wires)).toThrow(/unconfirmed tx in a chain page/);
    const confirmed = wires.filter((w) => (w as WireTx).status.confirmed);
    expect(txListValidator(testnet, true)(confirmed)).toHaveLength(2);
  });

  it('refuses testnet data read as mainnet (a wrong network is BAD_DATA, never a silent address)', () => {
    const f = txFiles[0]!;
    expect(() => txValidator(new AddressNormalizer('bitcoin'), f.txid)(read(f.file))).toThrow(
      /not a valid bitcoin address/,
    );
  });

  it("accepts mempool.space's shape (extra `sigops`), unconfirmed, mainnet P2PKH", () => {
    const wire = read(MEMPOOL) as WireTx & { sigops: number };
    expect(wire.sigops).toBe(4);
    const main = new AddressNormalizer('bitcoin');
    const t = txValidator(main, wire.txid)(wire);
    checkTx(wire, t, main);
    expect(t.tx.inputs[0]!.address).toBe('1stAprEZapjCYGUACUcXohQqSHF9MU5Kj');
    expect(t.tx.outputs[0]!.value).toBe(49040n);
    expect(t.tx.height).toBeNull();
  });

  it('reads the recorded /block/:hash/txids lists whole and in order (genesis: its coinbase)', () => {
    const files = readdirSync(BITGO).filter((f) => /^_block_[0-9a-f]{64}_txids\./.test(f));
    expect(files).toHaveLength(2);
    for (const f of files) {
      const wire = read(join(BITGO, f)) as string[];
      expect(blockTxidsValidator(wire)).toEqual(wire.map((t) => t.toLowerCase()));
    }
    const genesis = files.find((f) => f.includes('000000000019d6689c'))!;
    expect(blockTxidsValidator(read(join(BITGO, genesis)))).toEqual([
      '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
    ]);
    const big = files.find((f) => !f.includes('000000000019d6689c'))!;
    expect(blockTxidsValidator(read(join(BITGO, big)))).toHaveLength(3050);
  });
});
