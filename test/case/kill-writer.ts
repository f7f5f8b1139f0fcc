// Child process for the "killed mid-write" test: writes a case, announces after the second file,
// then hangs until the parent kills it with SIGKILL.
const dir = process.argv[2]!;
let n = 0;
const { traceRecorded, SAMPLE_BTC, BTC_SEED } = await import('./helpers.js');
const { writeCase } = await import('../../src/case/write.js');
const t = await traceRecorded(SAMPLE_BTC, BTC_SEED, ['--hops', '10']);
await writeCase(dir, {
  ...t.caseOptions,
  onFile: async () => {
    if (++n === 2) {
      process.stdout.write('mid-write\n');
      await new Promise(() => undefined);
    }
  },
});
