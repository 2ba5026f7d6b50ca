/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  // Type checking is done once by `tsc --noEmit` in `npm test`; jest only transpiles.
  transform: { "^.+\\.ts$": "ts-jest" },
  setupFiles: ["<rootDir>/test/helpers/setup-env.ts"],
  reporters: ["default", "<rootDir>/test/helpers/summary-reporter.js"],
  // A test that fails mid-way can leave a Redis connection open; never let that hang CI.
  forceExit: true,
  globalSetup: "<rootDir>/test/helpers/global-setup.ts",
};
