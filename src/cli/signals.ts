// How a run stops when it is asked to (Ctrl-C, `kill`, a service manager) or when its terminal goes
// away (the window closed: SIGHUP; stderr a dead terminal or pipe: EIO / EPIPE). The first such
// event aborts the run's AbortSignal: requests stop, a trace keeps what it fetched in the cache, a
// case is written completely or not at all (src/case/write.ts), a watch poll is committed or rolled
// back as one transaction (src/watch/db.ts). The process then exits with 128 + the signal number
// (130 SIGINT, 143 SIGTERM, 129 SIGHUP or a lost terminal), the shells' convention, so a script can
// tell an interrupted run from a finished one. A second signal, or the grace period running out,
// exits at once.

export const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
export type StopSignal = keyof typeof SIGNAL_STATUS;

/** How long a stopping run may take to finish what it is writing before the process exits anyway. */
export const GRACE_MS = 5000;

export interface StopControl {
  signal: AbortSignal;
  /** The exit status the stop asks for, once a stop was requested. */
  status(): number | undefined;
  /** The terminal is gone (a write to it failed): stop as for SIGHUP. */
  lost(): void;
  dispose(): void;
}

interface Proc {
  on(event: StopSignal, f: () => void): unknown;
  off(event: StopSignal, f: () => void): unknown;
  exit(code: number): void;
}

/**
 * Install the stop handlers. SIGHUP is handled only when one of stdin, stdout, stderr is a terminal
 * (`interactive`): a run with no terminal (cron, a service, nohup) keeps the default meaning of
 * SIGHUP for it.
 */
export function installStopHandlers(opts: {
  proc?: Proc;
  stderr?: { write(s: string): unknown; on(e: 'error', f: (e: Error) => void): unknown };
  interactive: boolean;
  graceMs?: number;
}): StopControl {
  const proc = opts.proc ?? process;
  const stderr = opts.stderr ?? process.stderr;
  const controller = new AbortController();
  let status: number | undefined;
  let stderrGone = false;
  const say = (s: string) => {
    if (stderrGone) return;
    try {
      stderr.write(s);
    } catch {
      stderrGone = true;
    }
  };
  const stop = (why: StopSignal, message: string | undefined) => {
    if (status !== undefined) {
      proc.exit(status); // asked twice: at once
      return;
    }
    status = SIGNAL_STATUS[why];
    if (message) say(message);
    controller.abort(new DOMException(`stopped by ${why}`, 'AbortError'));
    const t = setTimeout(() => proc.exit(status!), opts.graceMs ?? GRACE_MS);
    t.unref();
  };
  const onInt = () =>
    stop('SIGINT', '\nfundtrace: interrupted; stopping (press Ctrl-C again to quit at once)\n');
  const onTerm = () => stop('SIGTERM', 'fundtrace: terminated (SIGTERM); stopping\n');
  // The terminal is gone: nobody reads stderr any more.
  const onHup = () => {
    stderrGone = true;
    stop('SIGHUP', undefined);
  };
  // A lost terminal (EIO) or a closed pipe (EPIPE) on stderr: stop as for SIGHUP (any other
  // error leaves the stream as unusable: the same, rather than an uncaught exception).
  const onStderrError = () => {
    stderrGone = true;
    if (status === undefined) stop('SIGHUP', undefined);
  };
  proc.on('SIGINT', onInt);
  proc.on('SIGTERM', onTerm);
  if (opts.interactive) proc.on('SIGHUP', onHup);
  stderr.on('error', onStderrError);
  return {
    signal: controller.signal,
    status: () => status,
    lost: onStderrError,
    dispose() {
      proc.off('SIGINT', onInt);
      proc.off('SIGTERM', onTerm);
      proc.off('SIGHUP', onHup);
    },
  };
}
