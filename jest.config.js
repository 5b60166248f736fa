const os = require('os');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/services'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // d3-random is an ES module: Node loads it with require() (20.19+), Jest's loader does not,
  // so Jest takes the UMD build it ships beside it.
  moduleNameMapper: { '^d3-random$': '<rootDir>/node_modules/d3-random/dist/d3-random.js' },
  // Jest's default is one worker less than the cores: one worker on two.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // CLI tests, then the tests that build constructs, then the rest (see the file).
  testSequencer: '<rootDir>/test/jest/sequencer.mjs',
  // Synthesizes the project's app once for the run (test/helpers/default-app.ts).
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/jest/global-teardown.ts',
};
