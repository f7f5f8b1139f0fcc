// Time and cancellation primitives, injectable so tests run fast and deterministically.
// Every wait in the HTTP layer (rate limiting, backoff, Retry-After) goes through Clock.sleep,
// and every wait is abortable: Ctrl-C (one AbortSignal for the whole run) stops promptly.
import { setMaxListeners } from 'node:events';

export interface Clock {
  /** Milliseconds since the epoch (used for rate limiting, Retry-After dates, cache as-of marks). */
  now(): number;
  /** Resolve after `ms`; reject with `signal.reason` as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Add an abort listener that its caller removes again when the wait ends. A run's signal then holds
 * one listener per call in flight: bounded by concurrency, not a leak, so Node's "possible memory
 * leak" warning (more than 10) would only alarm users. The limit is lifted on that signal alone.
 */
export function onAbortOf(signal: AbortSignal, listener: () => void): () => void {
  setMaxListeners(0, signal);
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/** A random number in [0, 1): Math.random by default, injectable for deterministic jitter. */
export type Random = () => number;

/** Abortable real-time sleep. Rejects with `signal.reason` (an AbortError unless the caller chose one). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (!(ms > 0)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off?.();
      resolve();
    }, ms);
    const off = signal
      ? onAbortOf(signal, () => {
          clearTimeout(timer);
          reject(signal.reason);
        })
      : undefined;
  });
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/**
 * A child AbortController that aborts when any parent aborts (with the parent's reason).
 * Unlike AbortSignal.any, listeners are removed again by `dispose()`, so a long-lived run
 * signal does not collect one listener per request.
 */
export function linkedAbort(parents: readonly (AbortSignal | undefined)[]): {
  controller: AbortController;
  dispose: () => void;
} {
  const controller = new AbortController();
  const undo: (() => void)[] = [];
  for (const p of parents) {
    if (!p) continue;
    if (p.aborted) {
      controller.abort(p.reason);
      break;
    }
    undo.push(onAbortOf(p, () => controller.abort(p.reason)));
  }
  return {
    controller,
    dispose: () => {
      for (const f of undo) f();
    },
  };
}

/** The first aborted signal among `signals`, if any. */
export function abortedSignal(signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  return signals.find((s) => s?.aborted);
}

/** True for the error a cancelled operation rejects with (DOMException or Error named AbortError). */
export function isAbortError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError';
}

/**
 * An AbortSignal for the whole run that aborts on the first SIGINT/SIGTERM, so in-flight
 * requests stop promptly and nothing half-written reaches the cache (cache writes are atomic
 * and happen only after a complete, validated response). A second signal exits at once (130).
 */
export function interruptSignal(proc: NodeJS.Process = process): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const handler = (sig: NodeJS.Signals) => {
    if (controller.signal.aborted) proc.exit(130);
    controller.abort(new DOMException(`interrupted by ${sig}`, 'AbortError'));
  };
  proc.on('SIGINT', handler);
  proc.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      proc.off('SIGINT', handler);
      proc.off('SIGTERM', handler);
    },
  };
}
