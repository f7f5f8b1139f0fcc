// Entry point of the `fundtrace` executable (bin/fundtrace.js imports this file).
import { processIo } from './io.js';
import { run } from './program.js';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  process.stderr.write('\nfundtrace: interrupted; stopping (press Ctrl-C again to quit at once)\n');
  controller.abort();
});
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  // A closed pipe (`fundtrace … | head`) is not an error of ours.
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});
process.exitCode = await run(process.argv.slice(2), { ...processIo(), signal: controller.signal });
