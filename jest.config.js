/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles
  // (tsconfig's isolatedModules makes ts-jest transpile each file on its own).
  transform: { "^.+\\.ts$": "ts-jest" },
  setupFiles: ["<rootDir>/test/helpers/setup-env.ts"],
  reporters: ["default", "<rootDir>/test/helpers/summary-reporter.js"],
  // A timeout only catches a hang. No test may fail because a shared 2-core machine
  // is slow or busy, so it is far above what any test needs; tests that wait for
  // something poll for it (test/helpers/wait.ts) instead of sleeping a fixed time.
  testTimeout: 120_000,
  globalSetup: "<rootDir>/test/helpers/global-setup.ts",
};
