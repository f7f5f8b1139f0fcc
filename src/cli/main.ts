// Entry point of the `fundtrace` executable (bin/fundtrace.js imports this file).
import { startDatasetLoadEarly } from './early.js';

// Before the command's code loads (the imports below): a big dataset's workers check it meanwhile.
startDatasetLoadEarly(process.argv.slice(2), process.env);

const [{ processIo }, { run }, { installStopHandlers }] = await Promise.all([
  import('./io.js'),
  import('./program.js'),
  import('./signals.js'),
]);

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
