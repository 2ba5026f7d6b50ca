// Writes jest's totals to test-results/summary.json so .ci/run can print the
// plain "N passed, N failed" line that CI reads.
const { mkdirSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

class SummaryReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }
  onRunComplete(_contexts, results) {
    const dir = join(this.rootDir, "test-results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "summary.json"),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}
module.exports = SummaryReporter;
