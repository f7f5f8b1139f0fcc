// Shared material for the security suites: a hostile string, a small ethereum dataset whose labels
// and token symbol carry it, checks for "no terminal-unsafe character", a strict RFC 4180 CSV
// reader and a recursive reader of every byte (and name) under a directory.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getAddress } from 'ethers';

export const tmp = (prefix = 'fundtrace-sec-') => mkdtempSync(join(tmpdir(), prefix));

/**
 * Everything an attacker might put in a label, a note or a token name: CSI colour, an OSC 8
 * hyperlink, a bidi override, a spreadsheet formula, markup, quotes, XML/HTML comment and CDATA
 * ends, backticks, Mermaid/DOT/Markdown punctuation, a literal backslash-n, real CR/LF/NEL, line
 * and paragraph separators, isolates, an XML non-character and a zero-width space.
 */
export const EVIL =
  '\u001b[31mRED\u001b[0m\u001b]8;;http://evil.example/\u0007lnk\u001b]8;;\u0007 \u202eevil\u202c ' +
  '=HYPERLINK("http://x","y") <script>alert(1)</script> " \' ]]> --> `bt` | ; {} [] () # & \\ \\n ' +
  '\nnewline\r\n%% click n0 call alert() \u0085\u2028\u2029\u2066x\u2069\u061c\ufffe\u200b end';

/** Formula first, for the cells a spreadsheet would evaluate. */
export const FORMULA = '=HYPERLINK("http://evil.example","x")\u202e<i>|';
/** A token symbol: the dataset schema forbids whitespace and C0 controls, not the rest. */
export const EVIL_SYMBOL = '=cmd|"/c"!A0<b>\u202e`]]>';

/**
 * Characters that must never reach a terminal, a CSV cell or an export: C0/C1 controls except
 * LF (and CR, checked separately where it matters), bidi controls and isolates, zero-width and
 * other format characters, line/paragraph separators, non-characters.
 */
export const UNSAFE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\uffff]/u;

const h = (s: string) => createHash('sha256').update(s).digest('hex');
export const ethAddress = (name: string) => getAddress(`0x${h(`sec:${name}`).slice(0, 40)}`);
export const ethTxHash = (name: string) => `0x${h(`sec-tx:${name}`)}`;

export interface EvilDataset {
  path: string;
  seed: string;
  exchange: string;
  mixer: string;
  held: string;
  token: string;
}

/**
 * seed → exchange (labelled EVIL), seed → mixer (labelled FORMULA…), seed → held, in ETH; the same
 * pattern in a token whose symbol is EVIL_SYMBOL.
 */
export function evilDataset(dir: string, name = 'evil.json'): EvilDataset {
  const seed = ethAddress('seed');
  const exchange = ethAddress('exchange');
  const mixer = ethAddress('mixer');
  const held = ethAddress('held');
  const funder = ethAddress('funder');
  const token = ethAddress('token');
  let n = 0;
  const move = (from: string, to: string, asset: string, value: string) => {
    n++;
    return {
      tx: ethTxHash(`t${n}`),
      index: 0,
      height: 100 + n,
      position: 0,
      time: `2024-01-01T00:${String(n).padStart(2, '0')}:00Z`,
      from,
      to,
      asset,
      value,
      kind: asset === 'ETH' ? 'native' : 'token',
    };
  };
  const ds = {
    format: 'fundtrace-dataset/1',
    chain: 'ethereum',
    assets: { [EVIL_SYMBOL]: { decimals: 6, contract: token } },
    transfers: [
      move(funder, seed, 'ETH', '9000000000000000000'),
      move(seed, exchange, 'ETH', '3000000000000000000'),
      move(seed, mixer, 'ETH', '3000000000000000000'),
      move(seed, held, 'ETH', '2000000000000000000'),
      move(funder, seed, EVIL_SYMBOL, '9000000'),
      move(seed, exchange, EVIL_SYMBOL, '3000000'),
      move(seed, mixer, EVIL_SYMBOL, '3000000'),
      move(seed, held, EVIL_SYMBOL, '2000000'),
    ],
    labels: [
      {
        chain: 'ethereum',
        address: exchange,
        entity: EVIL,
        category: 'exchange',
        source: EVIL,
        confidence: 'high',
        note: EVIL,
      },
      { chain: 'ethereum', address: mixer, entity: FORMULA, category: 'mixer', source: FORMULA, note: EVIL },
    ],
  };
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(ds, null, 1));
  return { path, seed, exchange, mixer, held, token };
}

/** Strict RFC 4180: fails on a quote inside an unquoted cell or text after a closing quote. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) throw new Error('unterminated quoted cell');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        cell += text[i++];
      }
      if (i < n && text[i] !== ',' && text[i] !== '\n') throw new Error(`text after a closing quote at ${i}`);
    } else {
      while (i < n && text[i] !== ',' && text[i] !== '\n') {
        if (text[i] === '"' || text[i] === '\r') throw new Error(`bare quote or CR in a cell at ${i}`);
        cell += text[i++];
      }
    }
    row.push(cell);
    if (text[i] === ',') i++;
    else {
      rows.push(row);
      row = [];
      i++;
    }
  }
  return rows;
}

/** A cell a spreadsheet would evaluate (OWASP CSV injection list, full-width forms included). */
export const isFormula = (cell: string) => /^[\s]*[=+\-@\uff1d\uff0b\uff0d\uff20\t\r]/u.test(cell);

/** Every file name and every byte under `dir`, concatenated. */
export function readTree(dir: string): string {
  let out = '';
  const walk = (d: string) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const name of names) {
      const p = join(d, name);
      out += `${p}\n`;
      if (statSync(p).isDirectory()) walk(p);
      else out += readFileSync(p, 'latin1') + readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

/** A stack frame line, as Node prints them. */
export const STACK_FRAME = /\n\s+at .+(?::\d+:\d+|\(native\)|<anonymous>)/;
