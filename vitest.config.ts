import { configDefaults, defineConfig } from 'vitest/config';

// Each test file runs in its own forked process, so yeoman-test's change of the process cwd and its
// module state stay inside that file. Two files run at a time (the long end-to-end file beside the
// others); inside a file, tests run one after another, except where a file asks for concurrency (the
// end-to-end presets, two at a time: their work is in child processes).
export default defineConfig({
  test: {
    pool: 'forks',
    isolate: true,
    maxWorkers: 2,
    maxConcurrency: 2,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    // The packaging test (npm pack, yo and npm init as an ordinary user), and the Spark, lifecycle,
    // add-ons and option-matrix end-to-end tests run on their own, after npm test (npm run test:pack,
    // test:spark, test:lifecycle, test:addons, test:matrix; npm run test:all, which .ci/run runs, does them all).
    exclude: [
      ...configDefaults.exclude,
      ...(process.env.MLP_TEST_PACK ? [] : ['test/yo.test.ts']),
      ...(process.env.MLP_TEST_SPARK ? [] : ['test/e2e-spark.test.ts']),
      ...(process.env.MLP_TEST_LIFECYCLE ? [] : ['test/e2e-lifecycle.test.ts']),
      ...(process.env.MLP_TEST_MATRIX ? [] : ['test/e2e-matrix.test.ts']),
    ],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
