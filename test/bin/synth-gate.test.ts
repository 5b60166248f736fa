import * as path from 'path';
import { copyProject, replaceInFile, run, type RunResult } from '../helpers/project-copy';

// These run the real CLI, exactly as the README and the pipeline's synth step do. The three
// runs start together, each in its own copy of the project, and each test awaits its own.
jest.setTimeout(180_000);

const quiet = ['-q'];
const selections: [string, string[]][] = [
  ['npx cdk synth', []],
  ["npx cdk synth '**'", ['**']],
];
let planted: Map<string, Promise<RunResult>>;
let invalidConfig: Promise<RunResult>;

beforeAll(() => {
  planted = new Map(
    selections.map(([name, selection]) => {
      const dir = copyProject();
      // Plant a violation inside a stage stack: a queue with no DLQ and no TLS-only policy.
      replaceInFile(
        path.join(dir, 'lib', 'service', 'service-stack.ts'),
        '    const aliasArnOutputs = new Map<string, CfnOutput>();',
        "    new Queue(this, 'PlantedQueue');\n    const aliasArnOutputs = new Map<string, CfnOutput>();",
      );
      return [name, run(dir, 'npx', ['cdk', 'synth', ...selection, ...quiet])];
    }),
  );
  const config = copyProject();
  replaceInFile(
    path.join(config, 'pipeline.config.ts'),
    "prod: { account: '333333333333'",
    "prod: { account: '33333333333x'",
  );
  invalidConfig = run(config, 'npx', ['cdk', 'synth', ...quiet]);
});

test.each(selections)('%s fails on a finding inside a stage', async (name) => {
  const r = await planted.get(name)!;
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('AwsSolutions-SQS3');
  expect(r.output).toMatch(/prod\/greeter\/PlantedQueue/);
});

test('an invalid configuration fails synth with one message naming the field, value and fix', async () => {
  const r = await invalidConfig;
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(
    'Pipeline configuration (pipeline.config.ts): environments.prod.account is "33333333333x": is not a 12-digit AWS account id. Fix:',
  );
  expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
});
