const os = require('os');

/**
 * The user tier, `npm test`: what a user's pipeline and laptop run. Their configuration and
 * services (test/app/, services/), and the product's unit tests on fixtures of their own
 * (test/lib/, test/runtime/, test/scripts/). Everything except test/product/.
 *
 * The product tier, `npm run test:product` (jest.product.config.js), is test/product/: the
 * product's heavier checks of itself, which synthesize whole pipelines of their own, run the
 * real CLIs or copy the project. The rule: the user tier synthesizes one whole app, the user's.
 * docs/testing.md says why each file is in its tier.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/services'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/product/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
  },
  // d3-random is an ES module: Node loads it with require() (20.19+), Jest's loader does not,
  // so Jest takes the UMD build it ships beside it.
  moduleNameMapper: { '^d3-random$': '<rootDir>/node_modules/d3-random/dist/d3-random.js' },
  // Jest's default is one worker less than the cores: one worker on two.
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  // Tests that copy the project, then the tests that build constructs, then the rest.
  testSequencer: '<rootDir>/test/jest/sequencer.mjs',
  // Synthesizes the project's app once for the run (test/helpers/default-app.ts).
  globalSetup: '<rootDir>/test/jest/global-setup.ts',
  globalTeardown: '<rootDir>/test/jest/global-teardown.ts',
  // No CDK built-in CloudFormation validation in the tests' own synths (see the file).
  setupFiles: ['<rootDir>/test/jest/cdk-validation-off.ts'],
};
