const os = require('os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/services'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // Jest's default is one worker less than the cores: one worker on two.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // CLI tests, then the tests that build constructs, then the rest (see the file).
  testSequencer: '<rootDir>/test/jest/sequencer.mjs',
  // Synthesizes the project's app once for the run (test/helpers/default-app.ts).
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/jest/global-teardown.ts',
  // No CDK built-in CloudFormation validation in the tests' own synths (see the file).
  setupFiles: ['<rootDir>/test/jest/cdk-validation-off.ts'],
};
