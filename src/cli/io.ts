// The process boundary, passed in so the CLI runs the same in tests (in-process) and for real.
export interface Io {
  out(s: string): void;
  err(s: string): void;
  stdoutIsTTY: boolean;
  /** The terminal's width when standard output is one (tables fit into it). */
  stdoutColumns?: number;
  stderrIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  /** Standard input, for commands that read lists (screen). */
  stdin?: NodeJS.ReadableStream;
  /** Ctrl-C: aborted when the user interrupts, so long fetches stop and keep what they have. */
  signal?: AbortSignal;
}

export const processIo = (): Io => ({
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  ...(process.stdout.isTTY && process.stdout.columns ? { stdoutColumns: process.stdout.columns } : {}),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  env: process.env,
  stdin: process.stdin,
});

export { version } from '../meta/version.js';
