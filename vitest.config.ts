import { defineConfig } from 'vitest/config';

// Three projects, runnable alone (`npm run test:unit` …); `npm test` runs all three.
//   unit         in-process, no child processes, no network servers beyond loopback stubs: seconds.
//   integration  real parts: anvil, Chromium, the CLI spawned as a process, the packed tarball.
//   real         the public data in ../shared (each test skips when it is absent).
// A new test that starts a process belongs in INTEGRATION (or is named *.int.test.ts).
const INTEGRATION = [
  'test/rpc/**/*.test.ts',
  'test/devnet/devnet.test.ts',
  'test/watch/watch.test.ts',
  'test/report/html.test.ts',
  'test/report/export.test.ts',
  'test/case/case.test.ts',
  'test/cli/bundle.test.ts',
  'test/cli/e2e.test.ts',
  'test/security/untrusted-strings.test.ts',
  'test/**/*.int.test.ts',
];
const REAL = [
  'test/real/**/*.test.ts',
  'test/labels/real-data.test.ts',
  'test/fiat/shared.test.ts',
  'test/**/*.real.test.ts',
];

export default defineConfig({
  test: {
    pool: 'forks',
    // The JSON report is what .ci/run reads for its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...INTEGRATION, ...REAL],
          testTimeout: 20_000,
          hookTimeout: 20_000,
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: INTEGRATION, testTimeout: 60_000, hookTimeout: 60_000 },
      },
      { extends: true, test: { name: 'real', include: REAL, testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
