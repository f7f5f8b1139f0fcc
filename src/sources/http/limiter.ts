// Per-host admission control: a token bucket (rate), a FIFO semaphore (concurrency) and a
// cool-down (set after a 429 so every request to that host waits, not just the one that got it).
// All waits use the injected Clock and are abortable.

import { type Clock, onAbortOf } from './clock.js';
import type { HostLimits } from './limits.js';

/**
 * Token bucket with reservations: `reserve(now)` always takes a token, possibly going into
 * debt, and returns how long the caller must wait before sending. Callers therefore leave in
 * FIFO order, and N back-to-back reservations at rate R with bucket size B finish no earlier
 * than (N - B) / R seconds after the first. Pure arithmetic on `now`: testable without timers.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    readonly rate: number,
    readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  /** Take one token; the milliseconds to wait before using it (0 = go now). */
  reserve(now: number): number {
    if (!Number.isFinite(this.rate)) return 0;
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.rate) / 1000);
      this.last = now;
    }
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }

  /** Give back a reserved token that was not used (the caller aborted while waiting). */
  refund(): void {
    this.tokens = Math.min(this.burst, this.tokens + 1);
  }
}

/** FIFO counting semaphore; waiting is abortable and an aborted waiter leaves the queue. */
export class Semaphore {
  private active = 0;
  private readonly queue: { grant: () => void; reject: (e: unknown) => void }[] = [];

  constructor(readonly max: number) {}

  get inFlight(): number {
    return this.active;
  }

  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves with a release function, to call exactly once (extra calls are ignored). */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const release = this.releaser();
    if (this.active < this.max) {
      this.active++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      let off: (() => void) | undefined;
      const waiter = {
        grant: () => {
          off?.();
          this.active++;
          resolve(release);
        },
        reject,
      };
      const onAbort = () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal?.reason);
      };
      if (signal) off = onAbortOf(signal, onAbort);
      this.queue.push(waiter);
    });
  }

  private releaser(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.active--;
      this.queue.shift()?.grant();
    };
  }
}

/** Everything that gates requests to one host. */
export class HostGate {
  readonly bucket: TokenBucket;
  readonly slots: Semaphore;
  private pausedUntil = 0;

  constructor(
    readonly host: string,
    readonly limits: HostLimits,
    private readonly clock: Clock,
  ) {
    this.bucket = new TokenBucket(limits.rate, limits.burst, clock.now());
    this.slots = new Semaphore(limits.concurrency);
  }

  /** Hold off every request to this host until `untilMs` (after a 429 / Retry-After). */
  pause(untilMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, untilMs);
  }

  /**
   * Wait for a concurrency slot, any cool-down and a rate token, in that order. Resolves with
   * the slot's release function; the caller releases it once the response body has been read.
   */
  async enter(signal?: AbortSignal): Promise<() => void> {
    const release = await this.slots.acquire(signal);
    try {
      for (;;) {
        const pause = this.pausedUntil - this.clock.now();
        if (pause <= 0) break;
        await this.clock.sleep(pause, signal);
      }
      const wait = this.bucket.reserve(this.clock.now());
      if (wait > 0) {
        try {
          await this.clock.sleep(wait, signal);
        } catch (e) {
          this.bucket.refund();
          throw e;
        }
      }
      return release;
    } catch (e) {
      release();
      throw e;
    }
  }
}
