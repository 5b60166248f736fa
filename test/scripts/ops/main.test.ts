import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { ConfigError } from '../../../lib/config/config-error';
import { loadApp } from '../../../lib/config/load';
import { stageEnvironments, type AppModel } from '../../../lib/config/model';
import { serviceStackName } from '../../../lib/resource-names';
import { main, type OpsIo } from '../../../scripts/ops/main';
import { COMMAND_NAMES, DEFAULT_WINDOW_MINUTES, parseArgs } from '../../../scripts/ops/options';
import {
  appModel,
  harness,
  PIPELINE,
  serviceModel,
  stackOutputs,
  stageModel,
  target,
} from './harness';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const twoServices = stageModel([serviceModel('payments'), serviceModel('order-history')]);
const oneService = stageModel([serviceModel('payments')], 'live2');
const model = appModel([twoServices, oneService]);

/** Runs `main` with the mocked clients of `h` and the given model, capturing its output. */
async function run(argv: string[], h = harness(), extra: Partial<OpsIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main({
    argv,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    loadModel: () => model,
    createClients: () => h.clients,
    confirm: h.deps.confirm,
    now: h.deps.now,
    sleep: h.deps.sleep,
    ...extra,
  });
  return { code, out, err, h };
}

/** A stage whose stacks and resources all answer, with every alarm OK and nothing deployed. */
function deployedStage(h: ReturnType<typeof harness>, stage = twoServices) {
  for (const s of stage.services) {
    h.mocks.cloudformation
      .on(DescribeStacksCommand, { StackName: serviceStackName(stage.prefix, s.stack) })
      .resolves({
        Stacks: [
          {
            StackName: serviceStackName(stage.prefix, s.stack),
            CreationTime: new Date(),
            StackStatus: 'UPDATE_COMPLETE',
            Outputs: stackOutputs(stage.prefix, s.name),
          },
        ],
      });
  }
  h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '1' });
  h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
}

describe('finding the resources', () => {
  test("reads each service's stack outputs, by the stack names of the model", async () => {
    const all = harness();
    deployedStage(all);
    expect((await run(['status', '--stage', 'live1'], all)).code).toBe(0);
    expect(all.calls('cloudformation')).toEqual([
      ['DescribeStacks', { StackName: 'ops-test-live1-payments' }],
      ['DescribeStacks', { StackName: 'ops-test-live1-order-history' }],
    ]);

    const one = harness();
    deployedStage(one);
    expect((await run(['status', '--stage=live1', '--service', 'order-history'], one)).code).toBe(
      0,
    );
    expect(one.calls('cloudformation')).toEqual([
      ['DescribeStacks', { StackName: 'ops-test-live1-order-history' }],
    ]);
    // The names come from the outputs: the alias of the service asked for, nothing else.
    expect(one.calls('lambda')).toEqual([
      ['GetAlias', { FunctionName: target(twoServices).services[1].functionName, Name: 'live' }],
    ]);
  });

  test('uses the stack names CDK Pipelines gives the stages of this project', async () => {
    const real = loadApp(ROOT);
    const stage = real.stages[real.stages.length - 1];
    const h = harness();
    deployedStage(h, stage);
    const { code } = await run(['status', '--stage', stage.name], h, { loadModel: () => real });
    expect(code).toBe(0);
    expect(h.calls('cloudformation').map(([, input]) => input)).toEqual(
      stage.services.map((s) => ({ StackName: serviceStackName(stage.prefix, s.stack) })),
    );
  });

  test('a missing stack or output gives one line that says what to do, and exit 2', async () => {
    const h = harness();
    h.mocks.cloudformation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error(`Stack with id ${PIPELINE}-live2-payments does not exist`), {
        name: 'ValidationError',
        $metadata: {},
      }),
    );
    const missing = await run(['status', '--stage', 'live2'], h);
    expect(missing.code).toBe(2);
    expect(missing.err).toEqual([
      `ops: stack ${PIPELINE}-live2-payments does not exist in account 333333333333, region eu-west-1: deploy stage live2 first, or use credentials for account 333333333333`,
    ]);

    const old = harness();
    old.mocks.cloudformation.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: `${PIPELINE}-live2-payments`,
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: stackOutputs(`${PIPELINE}-live2`, 'payments').filter(
            (o) => !o.OutputKey.endsWith('Alarms'),
          ),
        },
      ],
    });
    const noOutput = await run(['status', '--stage', 'live2'], old);
    expect(noOutput.err).toEqual([
      `ops: stack ${PIPELINE}-live2-payments has no output PaymentsAlarms: it was deployed by an older version of this project; let the pipeline deploy it again`,
    ]);
  });
});

describe('failures give one clear line and a non-zero exit', () => {
  test.each<[string, string[], string]>([
    [
      'no command',
      ['--stage', 'live1'],
      `ops: name a command: ${COMMAND_NAMES.join(', ')} (see --help)`,
    ],
    [
      'an unknown command',
      ['deploy'],
      `ops: unknown command "deploy": use one of ${COMMAND_NAMES.join(', ')} (see --help)`,
    ],
    ['an unknown option', ['status', '--force'], 'ops: unknown option "--force" (see --help)'],
    [
      'a bad window',
      ['metrics', '--window', '0'],
      'ops: --window needs a positive whole number of minutes, got "0" (see --help)',
    ],
    [
      'an option without its value',
      ['status', '--stage'],
      'ops: --stage needs a value (see --help)',
    ],
    ['no stage', ['status'], 'ops: --stage is required: one of live1, live2'],
    [
      'an unknown stage',
      ['status', '--stage', 'prod9'],
      'ops: unknown stage "prod9": the stages (stages/index.ts) are live1, live2',
    ],
    [
      'an unknown service',
      ['status', '--stage', 'live2', '--service', 'order-history'],
      'ops: unknown service "order-history" in stage live2: it runs payments',
    ],
    [
      'a one-service command without --service',
      ['rollback', '--stage', 'live1'],
      'ops: rollback acts on one service: add --service (stage live1 runs payments and order-history)',
    ],
  ])('%s', async (_, argv, line) => {
    const { code, err, out, h } = await run(argv);
    expect(code).toBe(2);
    expect(err).toEqual([line]);
    expect(out).toEqual([]);
    expect(h.calls('cloudformation')).toEqual([]);
  });

  test('no credentials', async () => {
    const h = harness();
    h.mocks.cloudformation.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const { code, err } = await run(['stop', '--stage', 'live2'], h);
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: no AWS credentials: configure credentials for account 333333333333 (stage live2), e.g. AWS_PROFILE=<profile> or aws sso login',
    ]);
  });

  test('an AWS error such as access denied', async () => {
    const h = harness();
    deployedStage(h, oneService);
    h.mocks.codedeploy.on(ListDeploymentsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: codedeploy:ListDeployments'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const { code, err } = await run(['watch', '--stage', 'live2'], h);
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: AccessDeniedException: User is not authorized to perform: codedeploy:ListDeployments',
    ]);
  });

  test('nothing in progress', async () => {
    const h = harness();
    deployedStage(h, oneService);
    const { code, err } = await run(['promote', '--stage', 'live2', '--yes'], h);
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: nothing in progress in live2: no deployment of payments is Created/Queued/InProgress/Baking/Ready',
    ]);
  });

  test('an invalid configuration', async () => {
    const { code, err } = await run(['status', '--stage', 'live1'], harness(), {
      loadModel: (): AppModel => {
        throw new ConfigError('Stage "x" (stages/x.ts): name is "X": is not a valid stage name');
      },
    });
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: invalid configuration: Stage "x" (stages/x.ts): name is "X": is not a valid stage name',
    ]);
  });
});

test('--window reaches metrics; --interval and --yes are parsed', async () => {
  const h = harness();
  deployedStage(h, oneService);
  h.mocks.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const { code, out } = await run(['metrics', '--stage', 'live2', '--window', '5'], h);
  expect(code).toBe(0);
  expect(out[0]).toContain('(5 min)');
  expect(parseArgs(['watch', '--interval=5', '-y', '--stage', 'live1'])).toEqual({
    command: 'watch',
    stage: 'live1',
    service: undefined,
    yes: true,
    help: false,
    windowMinutes: DEFAULT_WINDOW_MINUTES,
    intervalSeconds: 5,
  });
});

describe('npm run ops (child process)', () => {
  jest.setTimeout(60_000);
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync('npx', ['ts-node', '--transpile-only', 'scripts/ops/main.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 60_000,
    });

  test('--help documents every command and option', () => {
    const { status, stdout } = cli(['--help']);
    expect(status).toBe(0);
    for (const command of COMMAND_NAMES) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const option of ['--stage', '--service', '--yes', '--window', '--interval', '--help']) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('ContinueDeployment applies to EC2/ECS blue/green deployments only');
  });

  test('without credentials, prints one line and exits 2', () => {
    const stage = loadApp(ROOT).stages[0];
    const { status, stderr } = cli(['status', '--stage', stage.name], {
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_SESSION_TOKEN: '',
      AWS_PROFILE: '',
      AWS_CONFIG_FILE: path.join(ROOT, 'no-such-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, 'no-such-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
      AWS_WEB_IDENTITY_TOKEN_FILE: '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
    expect(status).toBe(2);
    const lines = stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));
    expect(lines).toEqual([
      `ops: no AWS credentials: configure credentials for account ${stageEnvironments(stage)[0].account} (stage ${stage.name}), e.g. AWS_PROFILE=<profile> or aws sso login`,
    ]);
  });
});
