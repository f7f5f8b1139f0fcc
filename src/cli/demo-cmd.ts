// `fundtrace demo`: traces the bundled sample cases and explains in plain words what each trace
// shows. The stories are fixed text; every figure in the explanation comes from the trace itself.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { openTrace, type TraceSession, traceQuery } from '../app/trace.js';
import { formatUnits } from '../core/amount.js';
import type { Valuation } from '../core/fiat/value.js';
import type { TraceResult } from '../core/result.js';
import type { Direction, Model } from '../core/trace-types.js';
import { termSafe } from '../report/sanitize.js';
import { MIN_WIDTH, renderTable, wrap } from '../report/table.js';

import type { CliContext } from './context.js';
import { applyFiat } from './fiat.js';
import { enumFlag } from './flags.js';
import { makeChalk } from './trace-render.js';
import { traceDeps } from './trace-run.js';

const SAMPLES = fileURLToPath(new URL('../../samples/', import.meta.url));
const tx = (file: string, name: string) =>
  (JSON.parse(readFileSync(`${SAMPLES}${file}.txs.json`, 'utf8')) as Record<string, string>)[name]!;
const address = (file: string, role: string) =>
  (JSON.parse(readFileSync(`${SAMPLES}${file}.addresses.json`, 'utf8')) as Record<string, string>)[role]!;

interface Scenario {
  id: string;
  title: string;
  file: string;
  story: string;
  seed: () => string;
  args: { asset?: string; hops?: number; direction?: Direction };
  question: string;
}

export const SCENARIOS: Scenario[] = [
  {
    id: 'ransomware',
    title: 'DarkLock ransomware payment (Bitcoin)',
    file: 'ransomware-btc',
    story:
      'A company paid a 1.5 BTC ransom. The operator split it with an affiliate, peeled its share off to\n' +
      'exchanges and a casino in a chain of small payments, and the affiliate mixed part of its cut.',
    seed: () => `${tx('ransomware-btc', 'ransom-payment')}:0`,
    args: { hops: 10 },
    question: 'Where did the ransom go, and where can a request be sent?',
  },
  {
    id: 'phishing',
    title: 'Wallet-drainer phishing theft (Ethereum, USDT)',
    file: 'phishing-eth',
    story:
      'A victim signed a malicious approval and lost 40 000 USDT. The drainer split the loot with its\n' +
      'kit operator, fanned it out over intermediaries, mixed it with clean funds and cashed out.',
    seed: () => tx('phishing-eth', 'drain-usdt'),
    args: { asset: 'USDT' },
    question: 'Which exchanges received the stolen USDT, and what can still be frozen?',
  },
  {
    id: 'phishing-eth',
    title: 'The same theft, the 12 ETH part',
    file: 'phishing-eth',
    story: 'The drainer also took 12 ETH, which went partly into a mixer pool and partly to an exchange.',
    seed: () => tx('phishing-eth', 'drain-eth'),
    args: {},
    question: 'How much of the ETH reached the mixer, and how much an exchange?',
  },
  {
    id: 'tron-scam',
    title: 'Fake investment club (TRON, USDT-TRC20)',
    file: 'tron-scam',
    story:
      'A "wealth club" promised 30 % a month. Twelve victims paid 17 450 USDT on TRON into three collection\n' +
      'wallets. The operator consolidated 16 550 USDT into one wallet, layered it through a money mule that\n' +
      'had funds of its own, and cashed out through an OTC desk and two exchanges; Tether froze one wallet.\n' +
      "The trace starts at the consolidation wallet: everything it sent is the club's money.",
    seed: () => address('tron-scam', 'consolidator'),
    args: { asset: 'USDT' },
    question: 'What should be requested from which exchange, what is still at rest, and what was frozen?',
  },
];

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .summary('walk through the bundled sample cases (offline, no keys)')
    .description('Trace the bundled sample cases and explain in plain words what each trace shows.')
    .option('--scenario <id>', `one of: ${SCENARIOS.map((s) => s.id).join(', ')}, or all`, 'all')
    .option('--model <model>', 'taint model: haircut, poison or fifo', 'haircut')
    .option('--brief', 'only the explanations, not the full tables')
    .option('--wide', 'tables: every address and name in full, whatever the terminal width')
    .addHelpText('after', '\nExample:\n  fundtrace demo --scenario ransomware --model fifo')
    .action(
      async (flags: { scenario: string; model: string; brief?: boolean; wide?: boolean }, cmd: Command) => {
        const which = enumFlag('--scenario', flags.scenario, [...SCENARIOS.map((s) => s.id), 'all']);
        const model = enumFlag<Model>('--model', flags.model, ['haircut', 'poison', 'fifo']);
        const c = makeChalk(ctx.io, (cmd.optsWithGlobals() as { color?: boolean }).color !== false);
        // Prose is fitted to a terminal (at most 100 columns: longer lines read badly); a pipe gets it as written.
        const cols = ctx.io.stdoutColumns;
        const width = cols !== undefined && cols >= MIN_WIDTH ? Math.min(cols, PROSE_WIDTH) : undefined;
        const prose = (text: string) => fitProse(text, width);
        for (const [i, s] of SCENARIOS.filter((x) => which === 'all' || x.id === which).entries()) {
          const seed = s.seed();
          const file = `${SAMPLES}${s.file}.json`;
          const session = await openTrace(
            traceQuery({
              source: file,
              direction: s.args.direction ?? 'forward',
              ...(s.args.hops !== undefined ? { hops: s.args.hops } : {}),
              model,
              ...(s.args.asset !== undefined ? { asset: s.args.asset } : {}),
            }),
            traceDeps({ ...ctx.io, stderrIsTTY: false }),
            seed,
          );
          const r = await session.trace(seed);
          const out = ctx.io.out;
          if (i > 0) out('\n' + '─'.repeat(Math.min(78, width ?? 78)) + '\n');
          // A story is one paragraph, written in lines of about 100 columns for a pipe.
          const story = width === undefined ? s.story : s.story.replace(/\n/g, ' ');
          out(
            `${c.bold(`Case ${i + 1}: ${s.title}`)}\n\n${prose(story)}\n\n${prose(`${c.bold('Question:')} ${s.question}`)}\n`,
          );
          const command = [
            `$ fundtrace trace ${seed}`,
            `--source sample:${s.file}`,
            ...(s.args.asset ? [`--asset ${s.args.asset}`] : []),
            ...(s.args.hops ? [`--hops ${s.args.hops}`] : []),
            `--model ${flags.model}`,
          ];
          out(c.dim(`${shellLines(command, width)}\n\n`));
          out(prose(explain(r)) + '\n');
          out(prose(await money(r, session)) + '\n');
          if (!flags.brief) out('\n' + renderTable(r, c, flags.wide ? {} : { width: ctx.io.stdoutColumns }));
        }
        const tryText =
          'Try: --model fifo or --model poison to see how the division rule changes the figures,\n' +
          '--direction backward to ask where money came from, --format json for the full result.';
        ctx.io.out(`\n${prose(width === undefined ? tryText : tryText.replace(/\n/g, ' '))}\n`);
      },
    );
}

const PROSE_WIDTH = 100;

/**
 * Each line of `text` broken at spaces to `width` (an address or figure is never split); a bullet's
 * continuation is indented under its text. Undefined width: the text as it is.
 */
export function fitProse(text: string, width: number | undefined): string {
  if (width === undefined) return text;
  return text
    .split('\n')
    .flatMap((line) => {
      const lead = /^ */.exec(line)![0].length;
      const indent = ' '.repeat(lead + (line.startsWith('- ', lead) ? 2 : 0));
      return wrap(line, width, indent);
    })
    .join('\n');
}

/** A shell command on one line, or (wider than `width`) one argument group a line, joined by ` \\` so it still pastes. */
export function shellLines(parts: string[], width: number | undefined): string {
  const one = parts.join(' ');
  if (width === undefined || one.length <= width) return one;
  return parts.join(' \\\n    ');
}

const MONEY_GROUPS: [string, string][] = [
  ['exits', 'reached services'],
  ['flagged', 'reached flagged clusters'],
  ['mixer', 'went into a CoinJoin'],
  ['at-rest:arrival', 'at rest, valued when it arrived'],
  ['at-rest:as-of', 'at rest, valued at the end of the data'],
  ['fees', 'paid as fees'],
];

/** The figures in USD and KES from the samples' own price files (samples/prices, real closes). */
async function money(r: TraceResult, session: TraceSession): Promise<string> {
  const vals: Valuation[] = [];
  const notes = new Set<string>();
  for (const code of ['USD', 'KES']) {
    const copy: TraceResult = { ...r, warnings: [] };
    await applyFiat(copy, session.view, code, {
      prices: `${SAMPLES}prices`,
      sourceKind: session.source.kind,
    });
    vals.push(copy.fiat!);
    for (const w of copy.warnings) if (w.startsWith('fiat values: ')) notes.add(w.slice(13));
  }
  const lines = [
    'In money (each figure at the close of its own day, from samples/prices; totals rounded once):',
  ];
  const fig = (v: Valuation, id: string) => {
    const t = v.groups[id]!;
    return t.value !== null ? `${v.currency.code} ${t.value}` : `${v.currency.code} unknown (missing prices)`;
  };
  for (const [id, what] of MONEY_GROUPS) {
    if (!vals[0]!.groups[id] || vals[0]!.groups[id]!.parts === 0) continue;
    lines.push(`- ${what}: ${vals.map((v) => fig(v, id)).join(' = ')}`);
  }
  for (const n of [...notes].sort()) lines.push(`  (${n})`);
  return lines.join('\n');
}

/** Plain-words reading of a result: every figure comes from the result object. */
export function explain(r: TraceResult): string {
  const a = r.outcome.asset;
  const s = r.summary;
  const amt = (v: bigint) => `${formatUnits(v, a.decimals)} ${termSafe(a.symbol)}`;
  const pct = (v: bigint) =>
    s.traced === 0n
      ? ''
      : ` (${(v * 1000n + s.traced / 2n) / s.traced / 10n}.${((v * 1000n + s.traced / 2n) / s.traced) % 10n} %)`;
  const lines: string[] = [];
  const model =
    r.query.model === 'haircut'
      ? 'haircut: where stolen and clean money mix, each payment carries the stolen share of the balance'
      : r.query.model === 'fifo'
        ? 'fifo: money leaves an address in the order it arrived'
        : 'poison: anything touched by stolen money counts in full (an upper bound, not a share)';
  lines.push(`The trace follows ${amt(s.traced)} for up to ${r.query.hops} hops (${model}).`);
  const byEntity = new Map<
    string,
    { kind: string; value: bigint; hops: Set<number>; addresses: Set<string>; deposits: Set<string> }
  >();
  for (const x of s.exits) {
    const k = `${x.kind}\u0000${x.entity}\u0000${x.category}`;
    const e = byEntity.get(k) ?? {
      kind: x.kind,
      value: 0n,
      hops: new Set<number>(),
      addresses: new Set<string>(),
      deposits: new Set<string>(),
    };
    e.value += x.tainted;
    e.hops.add(x.hop);
    e.addresses.add(x.address);
    if (x.depositAddress) e.deposits.add(x.depositAddress);
    byEntity.set(k, e);
  }
  const ranked = [...byEntity].sort((x, y) =>
    x[1].value === y[1].value ? (x[0] < y[0] ? -1 : 1) : x[1].value > y[1].value ? -1 : 1,
  );
  for (const [k, e] of ranked) {
    const [, entity, category] = k.split('\u0000') as [string, string, string];
    const hs = [...e.hops].sort((x, y) => x - y);
    const hops =
      hs.length === 1 ? `hop ${hs[0]}` : `hops ${hs.slice(0, -1).join(', ')} and ${hs[hs.length - 1]}`;
    const via = e.addresses.size === 1 ? 'one address' : `${e.addresses.size} addresses`;
    if (category === 'frozen_by_issuer') {
      // A freeze is where the money stopped for good (until the issuer acts), not a risk hit.
      lines.push(
        `- ${amt(e.value)}${pct(e.value)} was frozen by the issuer (${termSafe(entity)}) at ${hops}, in ${via}: ` +
          'it cannot move; ask the issuer to confirm the freeze and hold it for a court order.',
      );
      continue;
    }
    const deposits = [...e.deposits].sort().map(termSafe).join(', ');
    const where =
      e.kind === 'exit'
        ? `reached ${termSafe(entity)} (${termSafe(category)})`
        : `reached ${termSafe(entity)}, a flagged ${termSafe(category)}`;
    const why =
      e.kind === 'exit' && category === 'exchange'
        ? ': a request to this exchange can identify the account holder' +
          (deposits ? ` (name the deposit address ${deposits})` : '')
        : '';
    lines.push(`- ${amt(e.value)}${pct(e.value)} ${where} at ${hops}, through ${via}${why}.`);
  }
  if (s.terminals.mixer > 0n) {
    lines.push(
      `- ${amt(s.terminals.mixer)}${pct(s.terminals.mixer)} went into a CoinJoin: the trace stops there rather than blame the mix's other users.`,
    );
  }
  if (s.terminals.held > 0n) {
    const top = s.atRest[0];
    lines.push(
      `- ${amt(s.terminals.held)}${pct(s.terminals.held)} is still at rest ` +
        (s.atRest.length === 1 && top
          ? `at ${top.address}`
          : `in ${s.atRest.length} addresses${top ? `, the largest ${amt(top.amount)} at ${top.address}` : ''}`) +
        ': a seizure or freeze opportunity.',
    );
  }
  if (s.terminals.fee > 0n) lines.push(`- ${amt(s.terminals.fee)} was paid as fees.`);
  if (s.terminals.cut > 0n) {
    const reasons = Object.keys(s.cutByReason).sort().join(', ');
    lines.push(
      `- ${amt(s.terminals.cut)}${pct(s.terminals.cut)} was not followed to the end (limits: ${reasons}); raise them to follow it.`,
    );
  }
  for (const f of s.findings) lines.push(`- Found: ${termSafe(f.description)}.`);
  if (r.query.model !== 'poison') {
    lines.push(
      s.conserved
        ? `Every unit is accounted for: the figures add up to the traced ${amt(s.traced)}.`
        : 'The figures do not add up: please report this.',
    );
  }
  return lines.join('\n');
}
