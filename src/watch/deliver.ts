// Delivery of alerts beyond standard output: a webhook (JSON body = the stored alert bytes,
// X-Fundtrace-Signature: sha256=HMAC-SHA256(secret, body)) and/or a command that reads the alert
// on stdin. At least once: each (alert, target) row is marked delivered only after a 2xx / exit 0;
// failures back off exponentially (also across polls and restarts, via next_at in the database).
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { WatchDb } from './db.js';

export interface Target {
  name: 'webhook' | 'exec';
  send(body: string, id: string, signal?: AbortSignal): Promise<void>;
}

export const signature = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export function webhookTarget(url: string, secret: string, timeoutMs = 10_000): Target {
  return {
    name: 'webhook',
    async send(body, id, signal) {
      const ctl = new AbortController();
      const timer = setTimeout(() => ctl.abort(), timeoutMs);
      const onAbort = () => ctl.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-fundtrace-alert-id': id,
            'x-fundtrace-signature': signature(secret, body),
          },
          body,
          signal: ctl.signal,
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.status < 200 || res.status > 299) throw new Error(`HTTP ${res.status}`);
      } catch (e) {
        if (ctl.signal.aborted && !signal?.aborted) throw new Error(`no answer within ${timeoutMs} ms`);
        throw e instanceof Error ? new Error(e.message.split('\n')[0]) : e;
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

export function execTarget(command: string, timeoutMs = 30_000): Target {
  return {
    name: 'exec',
    send(body, id) {
      return new Promise((resolve, reject) => {
        const child = spawn(command, {
          shell: true,
          stdio: ['pipe', 'ignore', 'inherit'],
          env: { ...process.env, FUNDTRACE_ALERT_ID: id },
        });
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.on('error', (e) => {
          clearTimeout(timer);
          reject(e);
        });
        child.on('exit', (code, sig) => {
          clearTimeout(timer);
          if (code === 0) resolve();
          else reject(new Error(sig ? `killed by ${sig}` : `exit status ${code}`));
        });
        child.stdin.on('error', () => undefined);
        child.stdin.end(`${body}\n`);
      });
    },
  };
}

export interface DeliveryOptions {
  /** Attempts within one call before leaving the rest to the next poll. */
  attempts: number;
  /** First back-off; doubles per attempt, capped at maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
  signal?: AbortSignal;
  log(line: string): void;
}

/** Wait `ms`, or less when `signal` aborts; leaves no listener behind (the loop sleeps often). */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

/** Deliver what is due; returns how many are still pending afterwards. */
export async function deliverPending(db: WatchDb, target: Target, o: DeliveryOptions): Promise<number> {
  let pending = 0;
  for (const p of await db.pendingDeliveries(target.name)) {
    let done = false;
    let attempts = p.attempts;
    for (let i = 0; i < o.attempts && !done && !o.signal?.aborted; i++) {
      try {
        await target.send(p.doc, p.alertId, o.signal);
        await db.markDelivery(p.alertId, target.name, { ok: true, at: new Date().toISOString() });
        done = true;
      } catch (e) {
        attempts++;
        const delay = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** Math.min(20, attempts - 1));
        const error = (e as Error).message;
        await db.markDelivery(p.alertId, target.name, { ok: false, error, nextAt: Date.now() + delay });
        o.log(
          `fundtrace watch: ${target.name} delivery of ${p.alertId.slice(0, 12)} failed (attempt ${attempts}): ${error}; retry in ${delay} ms`,
        );
        if (i + 1 < o.attempts) await sleep(delay, o.signal);
      }
    }
    if (!done) pending++;
  }
  return pending;
}
