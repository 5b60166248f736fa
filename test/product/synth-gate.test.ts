import * as fs from 'fs';
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
let cycle: Promise<RunResult>;
let missingFolder: Promise<RunResult>;

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
  const file = path.join(config, 'pipeline.config.ts');
  fs.writeFileSync(
    file,
    fs
      .readFileSync(file, 'utf8')
      .replace(/pipeline: \{ account: '\d{12}'/, "pipeline: { account: '12345678901x'"),
  );
  invalidConfig = run(config, 'npx', ['cdk', 'synth', ...quiet]);
  // Plant the dependency cycle CloudFormation refuses: the post-traffic hook's grant refers to
  // the alias, whose UpdatePolicy names the hook.
  const looped = copyProject();
  replaceInFile(
    path.join(looped, 'lib', 'service', 'canary-service.ts'),
    '      invokeArn: aliasArn,',
    '      invokeArn: this.alias.functionArn,',
  );
  cycle = run(looped, 'npx', ['cdk', 'synth', ...quiet]);
  missingFolder = run(copyProject(), 'npx', [
    'cdk',
    'synth',
    '-c',
    'config=examples/nope',
    ...quiet,
  ]);
});

test('a dependency cycle fails synth, naming the resources in the loop and the fix', async () => {
  const r = await cycle;
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('cfn-dependency-cycle');
  expect(r.output).toMatch(/dependency cycle \S*LiveAlias\S* → \S*PostTrafficHook\S*/);
  expect(r.output).toContain('Fix: Break the loop');
});

test.each(selections)('%s fails on a finding inside a stage', async (name) => {
  const r = await planted.get(name)!;
  expect(r.status).not.toBe(0);
  expect(r.output).toContain('AwsSolutions-SQS3');
  // In a stage's service stack, not the pipeline stack: <pipeline>/<stage>/<stack>/PlantedQueue.
  expect(r.output).toMatch(/-pipeline\/[a-z0-9-]+\/[a-z0-9-]+\/PlantedQueue/);
});

test('an invalid configuration fails synth with one message naming the field, value and fix', async () => {
  const r = await invalidConfig;
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(
    'Pipeline configuration (pipeline.config.ts): pipeline.account is "12345678901x": is not a 12-digit AWS account id. Fix:',
  );
  expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
});

test('-c config= naming a folder that does not exist fails synth with one message', async () => {
  const r = await missingFolder;
  expect(r.status).not.toBe(0);
  expect(r.output).toContain(
    'The configuration folder examples/nope does not exist. Fix: name a folder of the project holding pipeline.config.ts and stages/',
  );
  expect(r.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
});
