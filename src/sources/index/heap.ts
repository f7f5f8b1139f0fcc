// An index trace keeps what it read (a busy seed's 3 hops: 380 000 records, ~165 MB live at its
// peak), and V8 by default lets the heap grow to about twice what was live at its last full
// collection, and the young generation to 3 × 16 MB: 380–410 MB of RSS for that trace. With the
// heap grown only 5 % past what is live and the young generation kept at the size it has when the
// index opens, the same trace peaks at ~280 MB (measured, README "Benchmarks"), for ~20 % more time,
// nearly all of it in the collector. The index promises a trace in bounded memory whatever the
// dataset's size, so it takes that trade; a file trace (whose first-run time counts) keeps V8's
// defaults.
import { setFlagsFromString } from 'node:v8';

let applied = false;

/** Once per process, before the trace reads anything; a no-op where the flags are not known to exist or are set by hand. */
export function preferSmallHeap(): void {
  if (applied) return;
  applied = true;
  // Both flags exist in the V8 of Node 20 to 24 (11.3 to 13.6); elsewhere V8 would print an
  // "unrecognized flag" error, so they are left alone.
  const major = Number(process.versions.v8.split('.')[0]);
  if (!(major >= 11 && major <= 13)) return;
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
  if (/heap[-_]growing[-_]percent|semi[-_]space/.test(given)) return;
  setFlagsFromString('--heap-growing-percent=5');
  setFlagsFromString('--semi-space-growth-factor=1');
}
