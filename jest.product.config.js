const user = require('./jest.config');

/**
 * The product tier, `npm run test:product` (and `.ci/run`): test/product/, the product's heavier
 * checks of itself. They synthesize whole fixture pipelines, run the real CLIs (`npx cdk synth`,
 * `npm run new-service`, ...) on throw-away copies of the project, synthesize it at two paths,
 * synthesize the examples and check the generated docs. The project's app is synthesized once
 * per run here too (plan-vs-synth compares the plan of the project's configuration with it),
 * but none gets the user tier's CDK_VALIDATION=false: the commands they start run as a user's
 * do. See jest.config.js for the user tier.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  ...user,
  roots: ['<rootDir>/test/product'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFiles: [],
};
