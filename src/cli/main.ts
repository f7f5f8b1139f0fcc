// Entry point of the `fundtrace` executable (bin/fundtrace.js imports this file).
import { processIo } from './io.js';
import { run } from './program.js';
import { installStopHandlers } from './signals.js';

const stop = installStopHandlers({
  interactive: Boolean(process.stdin.isTTY || process.stdout.isTTY || process.stderr.isTTY),
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (`fundtrace … | head`) is not an error of ours.
  if (e.code === 'EPIPE') process.exit(0);
  stop.lost(); // EIO: the terminal went away
});
const status = await run(process.argv.slice(2), { ...processIo(), signal: stop.signal });
// A stopped run exits 128 + the signal number whatever it returned (see ./signals.ts), and does
// not wait for what may still hold the event loop (an idle connection, stdin).
const stopped = stop.status();
if (stopped !== undefined) process.exit(stopped);
process.exitCode = status;
