// The command tree. Commands stay thin: parse and validate flags, call core, pick a renderer.
import { Command, Option } from 'commander';
import { FundtraceError } from '../core/errors.js';
import type { CliContext } from './context.js';
import { cleanLine, cliSecrets, reportError } from './exit.js';
import type { Io } from './io.js';
import { version } from './io.js';

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Every command, with what the top-level help shows. A command's module (and the heavy libraries it
 * needs: ethers, ajv, the devnet, the database) is loaded only when that command runs,
 * so `fundtrace --help` and usage errors answer at once. test/cli/commands.test.ts checks that the
 * terms and summaries here are the commands' own.
 */
export const COMMANDS: { name: string; term: string; summary: string; load: (() => Promise<Register>)[] }[] =
  [
    {
      name: 'trace',
      term: 'trace [options] <seed>',
      summary: 'trace funds from a seed address, outpoint or transaction',
      load: [() => import('./trace-cmd.js').then((m) => m.registerTraceCommand)],
    },
    {
      name: 'screen',
      term: 'screen [options] [file]',
      summary: 'screen many addresses for exposure to flagged clusters',
      load: [() => import('./screen-cmd.js').then((m) => m.registerScreenCommand)],
    },
    {
      name: 'labels',
      term: 'labels',
      summary: 'label sources: import into the local label directory, list, look up, count',
      load: [() => import('./labels-cmd.js').then((m) => m.registerLabelsCommands)],
    },
    {
      name: 'dataset',
      term: 'dataset',
      summary: 'work with offline datasets (fundtrace-dataset/1)',
      load: [() => import('./dataset-cmd.js').then((m) => m.registerDatasetCommands)],
    },
    {
      name: 'demo',
      term: 'demo [options]',
      summary: 'walk through the bundled sample cases (offline, no keys)',
      load: [() => import('./demo-cmd.js').then((m) => m.registerDemoCommand)],
    },
    {
      name: 'devnet',
      term: 'devnet [options]',
      summary: 'start a local EVM chain (anvil) with a played theft scenario to trace live',
      load: [() => import('./devnet-cmd.js').then((m) => m.registerDevnetCommand)],
    },
    {
      name: 'case',
      term: 'case',
      summary: 'verify, inspect or redact a case directory (made with trace --case DIR)',
      // `case retrace` lives with diff (it writes a case to compare).
      load: [
        () => import('./case-cmd.js').then((m) => m.registerCaseCommand),
        () => import('./diff-cmd.js').then((m) => m.registerDiffCommand),
      ],
    },
    {
      name: 'export',
      term: 'export [options] <input>',
      summary: 'export the trace graph: GEXF, GraphML, DOT, Mermaid, Cypher or CSV',
      load: [() => import('./export-cmd.js').then((m) => m.registerExportCommand)],
    },
    {
      name: 'report',
      term: 'report [options] <input>',
      summary: 'write a Markdown or interactive HTML report of a case',
      load: [() => import('./report-cmd.js').then((m) => m.registerReportCommand)],
    },
    {
      name: 'watch',
      term: 'watch [options]',
      summary: 'monitor watched addresses: alert when funds move or tainted funds arrive',
      load: [() => import('./watch-cmd.js').then((m) => m.registerWatchCommand)],
    },
    {
      name: 'diff',
      term: 'diff [options] <a> <b>',
      summary: 'what changed between two trace results or cases',
      load: [() => import('./diff-cmd.js').then((m) => m.registerDiffCommand)],
    },
  ];

/** The command a command line names (the first word that is not an option), or `help X`'s X. */
function invoked(argv: readonly string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

export type { CliContext } from './context.js';

/**
 * The command tree for this command line: the invoked command fully (`all`: every command, for
 * tests), the others as names and summaries only.
 */
export async function buildProgram(
  ctx: CliContext,
  argv: readonly string[] = [],
  all = false,
): Promise<Command> {
  const program = new Command('fundtrace');
  // Wide enough for the flag tables; commander wraps descriptions itself (subcommands inherit this).
  program.configureHelp({ helpWidth: 100 });
  program
    .description(
      'Follow funds hop by hop through Bitcoin, EVM and TRON chain data: exact taint (haircut, fifo, poison), ' +
        'exits to exchanges and exposure to flagged clusters, from offline datasets or live sources.',
    )
    .version(version(), '-V, --version')
    .option('--verbose', 'print stack traces with errors')
    .option('--no-color', 'no colour in terminal output (NO_COLOR and FORCE_COLOR are honoured too)')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => ctx.io.out(s),
      writeErr: (s) => ctx.io.err(s),
      // Commander quotes what the user typed: an unknown `--opt=value` may carry a key (even a
      // misspelt --api-key), so its value is left out; then one clean line.
      outputError: (s, write) => {
        const text = s
          .replace(/^error: /, '')
          .replace(/('-{1,2}[^\s'=]+)=[^']*'/g, "$1=…'")
          .trimEnd();
        write(`fundtrace: ${cleanLine(text, ctx.secrets ?? [])}\n`);
      },
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  fundtrace demo                                     walk through the bundled sample cases
  fundtrace trace <txid:vout> --source sample:ransomware-btc
  fundtrace trace <0xtx> --source sample:phishing-eth --asset USDT --format json
  fundtrace dataset validate my-export.jsonl

Exit status: 0 ok, 1 internal error, 2 usage, 3 bad input data, 4 data source failure,
5 partial result under --strict; 130 / 143 / 129 stopped by Ctrl-C / SIGTERM / a closed terminal.`,
    );
  program.hook('preAction', (cmd) => {
    ctx.verbose = Boolean(cmd.optsWithGlobals().verbose);
  });
  const name = invoked(argv);
  const done = new Set<Register>();
  for (const c of COMMANDS) {
    if (!all && c.name !== name) continue;
    for (const load of c.load) {
      const register = await load();
      if (done.has(register)) continue; // diff's module serves both `diff` and `case retrace`
      done.add(register);
      register(program, ctx);
    }
  }
  const terms = new Map<string, string>();
  for (const c of COMMANDS) {
    if (program.commands.some((x) => x.name() === c.name)) continue;
    program.command(c.name).summary(c.summary);
    terms.set(c.name, c.term);
  }
  // Keep the listing order of the table, whichever commands were loaded.
  const order = new Map(COMMANDS.map((c, i) => [c.name, i]));
  (program.commands as Command[]).sort((a, b) => (order.get(a.name()) ?? 99) - (order.get(b.name()) ?? 99));
  const term = program.createHelp().subcommandTerm;
  program.configureHelp({
    helpWidth: 100,
    subcommandTerm: (cmd) => terms.get(cmd.name()) ?? term.call(program.createHelp(), cmd),
  });
  for (const c of program.commands) {
    c.exitOverride();
    c.configureOutput(program.configureOutput());
    c.showSuggestionAfterError(true);
  }
  return program;
}

/** Run the CLI with `argv` (without node and script). Returns the exit status. */
export async function run(argv: string[], io: Io): Promise<number> {
  const ctx: CliContext = {
    io,
    status: 0,
    verbose: argv.includes('--verbose'),
    secrets: cliSecrets(argv, io.env),
  };
  const program = await buildProgram(ctx, argv);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.status;
  } catch (err) {
    // Stopped by a signal (./signals.ts): what the abort threw is no bug, and the process exits
    // 128 + the signal number whatever this returns.
    if (io.signal?.aborted && !(err instanceof FundtraceError)) {
      const why = io.signal.reason instanceof Error ? io.signal.reason.message : 'stopped';
      io.err(`fundtrace: ${cleanLine(why)} before the command finished\n`);
      return 1;
    }
    const r = reportError(err, ctx.verbose, ctx.secrets);
    for (const l of r.lines) io.err(l + '\n');
    return r.status;
  }
}

export { Option };
