// The one place where error codes become exit statuses and one-line messages (cli-contract.md).
import { CommanderError } from 'commander';
import { type ErrorCode, FundtraceError } from '../core/errors.js';
import { termSafe } from '../report/sanitize.js';
import { redactText, sourceSpecSecrets } from '../sources/http/redact.js';

export const EXIT: Record<ErrorCode, number> = {
  USAGE: 2,
  BAD_INPUT: 3,
  BAD_DATA: 4,
  SOURCE: 4,
  OFFLINE_MISS: 4,
  PARTIAL: 5,
  STATE: 6,
  DELIVERY: 7,
  INTERNAL: 1,
};

export interface ErrorReport {
  status: number;
  lines: string[];
}

/** Option names whose value is a credential (`--api-key K`, `--api-key=K`, and look-alike typos). */
const SECRET_OPTION = /^--?[a-z0-9-]*(?:key|token|secret|passw(?:or)?d?|auth)[a-z0-9-]*$/i;

/**
 * Every credential this run could print: the values of key-like options (also misspelt or given
 * to a command that does not take them), ETHERSCAN_API_KEY, TRONGRID_API_KEY, GRAPHSENSE_API_KEY, and the credentials inside any URL
 * on the command line. Every line the CLI writes to stderr is scrubbed of them.
 */
export function cliSecrets(argv: readonly string[], env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  const add = (v: string | undefined) => {
    if (v !== undefined && v.length >= 4) out.add(v);
  };
  add(env.ETHERSCAN_API_KEY);
  add(env.TRONGRID_API_KEY);
  add(env.GRAPHSENSE_API_KEY);
  add(env.COINGECKO_API_KEY?.trim());
  argv.forEach((arg, i) => {
    const eq = arg.indexOf('=');
    if (arg.startsWith('-') && eq > 0 && SECRET_OPTION.test(arg.slice(0, eq))) add(arg.slice(eq + 1));
    else if (SECRET_OPTION.test(arg) && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('-'))
      add(argv[i + 1]);
    // every query value and key-like path segment of a URL on the command line (any name)
    for (const s of sourceSpecSecrets(arg)) add(s);
  });
  return [...out];
}

/** One line for stderr: no escape, control or bidi character, no credential. */
export const cleanLine = (s: string, secrets: readonly string[] = []) => redactText(termSafe(s), secrets);

/** Turn anything thrown into an exit status and the lines to print on stderr. */
export function reportError(err: unknown, verbose: boolean, secrets: readonly string[] = []): ErrorReport {
  const clean = (s: string) => cleanLine(s, secrets);
  const stack = (s: string) => s.split('\n').map(clean);
  if (err instanceof FundtraceError) {
    const lines = [`fundtrace: ${clean(err.message)}`, ...err.details.map((d) => `  ${clean(d)}`)];
    if (verbose && err.stack) lines.push(...stack(err.stack));
    return { status: EXIT[err.code], lines };
  }
  if (err instanceof CommanderError) {
    if (err.exitCode === 0) return { status: 0, lines: [] };
    // commander already printed "error: …" through configureOutput; keep its exit status 2 for usage.
    return { status: 2, lines: [] };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const lines = [
    `fundtrace: internal error: ${clean(e.message)} (this is a bug; please report it with the command you ran)`,
  ];
  if (verbose && e.stack) lines.push(...stack(e.stack));
  else lines.push('  run again with --verbose for the stack trace');
  return { status: 1, lines };
}
