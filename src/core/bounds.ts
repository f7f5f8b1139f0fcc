// --since / --until: an ISO date-time or a block height. Unconfirmed events (no height) lie
// after every height bound and after every time bound.
import type { Bound } from './trace-types.js';

interface When {
  height: number | null;
  time: string | null;
}

const ms = (iso: string) => Date.parse(iso);

/** True when the event happened strictly after the `until` bound. */
export function afterUntil(until: Bound | undefined, ev: When): boolean {
  if (!until) return false;
  // Unconfirmed: after every bound, even when the source gives a (first-seen) time.
  if (ev.height === null) return true;
  if (until.kind === 'height') return ev.height > until.height;
  return ev.time === null || ms(ev.time) > ms(until.time);
}

/** True when the event happened strictly before the `since` bound. */
export function beforeSince(since: Bound | undefined, ev: When): boolean {
  if (!since) return false;
  if (ev.height === null) return false;
  if (since.kind === 'height') return ev.height < since.height;
  return ev.time !== null && ms(ev.time) < ms(since.time);
}

export function describeBound(b: Bound): string {
  return b.kind === 'height' ? `height ${b.height}` : b.time;
}
