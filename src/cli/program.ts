// The command tree. Commands stay thin: parse and validate flags, call core, pick a renderer.
import { Command, Option } from 'commander';
import { registerCaseCommand } from './case-cmd.js';
import type { CliContext } from './context.js';
import { registerDatasetCommands } from './dataset-cmd.js';
import { registerDemoCommand } from './demo-cmd.js';
import { registerDevnetCommand } from './devnet-cmd.js';
import { registerDiffCommand } from './diff-cmd.js';
import { cleanLine, cliSecrets, reportError } from './exit.js';
import { registerExportCommand } from './export-cmd.js';
import type { Io } from './io.js';
import { version } from './io.js';
import { registerLabelsCommands } from './labels-cmd.js';
import { registerReportCommand } from './report-cmd.js';
import { registerScreenCommand } from './screen-cmd.js';
import { registerTraceCommand } from './trace-cmd.js';
import { registerWatchCommand } from './watch-cmd.js';

export type { CliContext } from './context.js';

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('fundtrace');
  // Wide enough for the flag tables; commander wraps descriptions itself (subcommands inherit this).
  program.configureHelp({ helpWidth: 100 });
  program
    .description(
      'Follow funds hop by hop through Bitcoin and EVM chain data: exact taint (haircut, fifo, poison), ' +
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
  fundtrace trace <txid:vout> --source samples/ransomware-btc.json
  fundtrace trace <0xtx> --source samples/phishing-eth.json --asset USDT --format json
  fundtrace dataset validate my-export.jsonl

Exit status: 0 ok, 1 internal error, 2 usage, 3 bad input data, 4 data source failure,
5 partial result under --strict.`,
    );
  program.hook('preAction', (cmd) => {
    ctx.verbose = Boolean(cmd.optsWithGlobals().verbose);
  });
  registerTraceCommand(program, ctx);
  registerScreenCommand(program, ctx);
  registerLabelsCommands(program, ctx);
  registerDatasetCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerDevnetCommand(program, ctx);
  registerCaseCommand(program, ctx);
  registerExportCommand(program, ctx);
  registerReportCommand(program, ctx);
  registerWatchCommand(program, ctx);
  registerDiffCommand(program, ctx);
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
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return ctx.status;
  } catch (err) {
    const r = reportError(err, ctx.verbose, ctx.secrets);
    for (const l of r.lines) io.err(l + '\n');
    return r.status;
  }
}

export { Option };
