import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends the run with one plain line, `vitest: N passed, N failed, N skipped`, which any CI log reader
 * understands without knowing vitest's own format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const inModule = (module: TestModule, state: 'passed' | 'failed' | 'skipped') =>
      [...module.children.allTests(state)].length;
    const count = (state: 'passed' | 'failed' | 'skipped') =>
      testModules.reduce((sum, module) => sum + inModule(module, state), 0);
    // A file that failed to load has no failed test of its own: count it as one failure.
    const failedModules = testModules.filter(
      (module) => module.state() === 'failed' && inModule(module, 'failed') === 0,
    ).length;
    process.stdout.write(
      `\nvitest: ${count('passed')} passed, ${count('failed') + failedModules} failed, ${count('skipped')} skipped\n`,
    );
  }
}
