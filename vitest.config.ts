import { defineConfig } from 'vitest/config';

// yeoman-test changes the process cwd and shares module state: run test files one at a time, in forked
// processes, and never tests concurrently inside a file.
export default defineConfig({
  test: {
    pool: 'forks',
    fileParallelism: false,
    sequence: { concurrent: false },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
