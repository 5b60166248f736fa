import * as path from 'path';
import { copyProject, replaceInFile, run } from '../helpers/project-copy';

// These run the real CLI, exactly as the README and the pipeline's synth step do.
jest.setTimeout(180_000);

const quiet = ['-q'];
let dir: string;

beforeAll(() => {
  dir = copyProject();
  // Plant a violation inside a stage stack: a queue with no DLQ and no TLS-only policy.
  replaceInFile(
    path.join(dir, 'lib', 'service-stack.ts'),
    '    const aliasArnOutputs = new Map<string, CfnOutput>();',
    "    new Queue(this, 'PlantedQueue');\n    const aliasArnOutputs = new Map<string, CfnOutput>();",
  );
});

test.each([
  ['npx cdk synth', []],
  ["npx cdk synth '**'", ['**']],
])('%s fails on a finding inside a stage', (_name, selection) => {
  const r = run(dir, 'npx', ['cdk', 'synth', ...selection, ...quiet]);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('AwsSolutions-SQS3');
  expect(r.output).toMatch(/prod\/greeter\/PlantedQueue/);
});

test('an invalid configuration fails synth with one message naming the field, value and fix', () => {
  const config = copyProject();
  replaceInFile(
    path.join(config, 'pipeline.config.ts'),
    "prod: { account: '333333333333'",
    "prod: { account: '33333333333x'",
  );
  const r = run(config, 'npx', ['cdk', 'synth', ...quiet]);
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(
    'Pipeline configuration (pipeline.config.ts): environments.prod.account is "33333333333x": is not a 12-digit AWS account id. Fix:',
  );
  expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
});
