import * as fs from 'node:fs';
import path from 'node:path';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { GetPipelineStateCommand } from '@aws-sdk/client-codepipeline';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { ConfigError } from '../../../lib/config/config-error';
import { loadApp } from '../../../lib/config/load';
import { stageEnvironments, type AppModel } from '../../../lib/config/model';
import { serviceStackName } from '../../../lib/resource-names';
import {
  COMMAND_NAMES,
  DEFAULT_WINDOW_MINUTES,
  NO_PROMOTE,
  parseArgs,
} from '../../../scripts/ops/options';
import {
  ACCOUNT,
  appModel,
  awsError,
  deployedIn,
  deployment,
  env,
  harness,
  OTHER_ACCOUNT,
  PIPELINE,
  runOps,
  serviceModel,
  stackOutputs,
  stageModel,
  type Harness,
} from './harness';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const twoServices = stageModel([serviceModel('payments'), serviceModel('order-history')]);
const oneService = stageModel([serviceModel('payments')], 'live2');
const edge = stageModel([serviceModel('payments')], 'edge', {
  waves: [
    [env('edge-eu', ACCOUNT, 'eu-west-1')],
    [env('edge-us', ACCOUNT, 'us-east-1'), env('edge-ap', OTHER_ACCOUNT, 'ap-southeast-2')],
  ],
});
const model = appModel([twoServices, oneService, edge]);

const run = (argv: string[], h: Harness = harness(), extra: { loadModel?: () => AppModel } = {}) =>
  runOps(argv, h, model, extra).then((r) => ({ ...r, h }));

/** Every resource of the stage answers in `region`: alarms OK, alias at 1, nothing deployed. */
function deployedStage(h: Harness, stage = twoServices, region = 'eu-west-1') {
  const mocks = h.region(region);
  deployedIn(mocks, stage, { account: ACCOUNT, region });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '1' });
  mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
}

describe('finding the resources', () => {
  test("reads each service's stack outputs, by the stack names of the model", async () => {
    const all = harness();
    deployedStage(all);
    expect((await run(['status', '--stage', 'live1'], all)).code).toBe(0);
    expect(all.calls('sts')).toEqual([['GetCallerIdentity', {}]]);
    expect(all.calls('cloudformation')).toEqual([
      ['DescribeStacks', { StackName: 'ops-test-live1-payments' }],
      ['DescribeStacks', { StackName: 'ops-test-live1-order-history' }],
    ]);

    const one = harness();
    deployedStage(one);
    const narrowed = await run(['status', '--stage=live1', '--service', 'order-history'], one);
    expect(narrowed.code).toBe(0);
    expect(one.calls('cloudformation')).toEqual([
      ['DescribeStacks', { StackName: 'ops-test-live1-order-history' }],
    ]);
    // The names come from the outputs: the alias of the service asked for, nothing else.
    expect(one.calls('lambda')).toEqual([
      ['GetAlias', { FunctionName: 'ops-test-live1-order-history', Name: 'live' }],
    ]);
  });

  test('uses the stack names the stages of this project get, in the account and region of each environment', async () => {
    const real = loadApp(ROOT);
    for (const stage of real.stages) {
      const [first] = stageEnvironments(stage);
      const h = harness({ account: first.account });
      const mocks = h.region(first.region);
      deployedIn(mocks, stage, first);
      mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
      mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '1' });
      mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });

      const { code } = await runOps(
        ['status', '--stage', stage.name, '--environment', first.name],
        h,
        real,
      );

      expect(code).toBe(0);
      const stacks = [
        ...new Set(stage.services.map((s) => serviceStackName(stage.prefix, s.stack))),
      ];
      expect(h.calls('cloudformation', first.region).map(([, input]) => input)).toEqual(
        stacks.map((StackName) => ({ StackName })),
      );
    }
  });

  test('a missing stack or output is named with what to do, and exit 2', async () => {
    const h = harness();
    h.mocks.cloudformation
      .on(DescribeStacksCommand)
      .rejects(
        awsError('ValidationError', `Stack with id ${PIPELINE}-live2-payments does not exist`),
      );
    const missing = await run(['status', '--stage', 'live2'], h);
    expect(missing.code).toBe(2);
    expect(missing.out).toContain(
      `    ✖ stack ${PIPELINE}-live2-payments does not exist in live2 (account 333333333333, eu-west-1): deploy stage live2 there first`,
    );

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
    const noOutput = await run(['stop', '--stage', 'live2'], old);
    expect(noOutput.code).toBe(2);
    expect(noOutput.out).toEqual([
      `✖ live2 (account 333333333333, eu-west-1): stack ${PIPELINE}-live2-payments has no output PaymentsAlarms: it was deployed by an older version of this project; let the pipeline deploy it again`,
    ]);
  });
});

describe('--wave, --region and --environment choose environments of the stage', () => {
  test('--region: only the environments there, with clients of that region', async () => {
    const h = harness();
    deployedStage(h, edge, 'us-east-1');
    const { code, out } = await run(['status', '--stage', 'edge', '--region', 'us-east-1'], h);
    expect(code).toBe(0);
    expect(out.slice(0, 4)).toEqual([
      'edge: 1 environment in 1 wave',
      '',
      'wave 2 (pipeline stage edge-wave2)',
      '  edge-us (account 333333333333, us-east-1)',
    ]);
    expect(h.calls('cloudformation', 'eu-west-1')).toEqual([]);
  });

  test('--wave: that wave only; --environment: that one', async () => {
    const h = harness();
    deployedStage(h, edge, 'eu-west-1');
    const wave = await run(['status', '--stage', 'edge', '--wave', '1'], h);
    expect(wave.code).toBe(0);
    expect(wave.out.filter((l) => l.startsWith('  edge-'))).toEqual([
      '  edge-eu (account 333333333333, eu-west-1)',
    ]);

    const named = await run(['status', '--stage', 'edge', '--environment', 'edge-ap']);
    expect(named.code).toBe(2);
    expect(named.out.filter((l) => l.startsWith('  edge-'))).toEqual([
      '  edge-ap (account 555555555555, ap-southeast-2)',
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
    ['promote, which is gone', ['promote', '--stage', 'live1'], `ops: ${NO_PROMOTE} (see --help)`],
    ['an unknown option', ['status', '--force'], 'ops: unknown option "--force" (see --help)'],
    [
      'a bad window',
      ['metrics', '--window', '0'],
      'ops: --window needs a positive whole number of minutes, got "0" (see --help)',
    ],
    [
      'a bad wave',
      ['status', '--wave', 'two'],
      'ops: --wave needs a positive whole number, got "two" (see --help)',
    ],
    [
      'an option without its value',
      ['status', '--stage'],
      'ops: --stage needs a value (see --help)',
    ],
    ['no stage', ['status'], 'ops: --stage is required: one of live1, live2, edge'],
    [
      'an unknown stage',
      ['status', '--stage', 'prod9'],
      'ops: unknown stage "prod9": the stages (stages/index.ts) are live1, live2, edge',
    ],
    [
      'an unknown service',
      ['status', '--stage', 'live2', '--service', 'order-history'],
      'ops: unknown service "order-history" in stage live2: it runs payments',
    ],
    [
      'stop without --service on a stage of several',
      ['stop', '--stage', 'live1'],
      'ops: stop acts on one service: add --service (stage live1 runs payments and order-history)',
    ],
    [
      'a wave the stage does not have',
      ['status', '--stage', 'live1', '--wave', '2'],
      'ops: stage live1 has no wave 2: it deploys in one wave (1)',
    ],
    [
      'a region the stage does not deploy to',
      ['status', '--stage', 'edge', '--region', 'us-east-9'],
      'ops: stage edge deploys to no environment in region "us-east-9": its regions are eu-west-1, us-east-1 and ap-southeast-2',
    ],
    [
      'a region outside the wave',
      ['status', '--stage', 'edge', '--wave', '1', '--region', 'us-east-1'],
      'ops: wave 1 of stage edge deploys to no environment in region "us-east-1": its regions are eu-west-1',
    ],
    [
      'an unknown environment',
      ['watch', '--stage', 'edge', '--environment', 'edge-sa'],
      'ops: stage edge has no environment "edge-sa": it deploys to edge-eu (eu-west-1), edge-us (us-east-1) and edge-ap (ap-southeast-2)',
    ],
    [
      '--service on rollback',
      ['rollback', '--stage', 'live1', '--service', 'payments'],
      'ops: rollback acts on the pipeline stage of a whole wave, every service and environment in it: drop --service (choose the wave with --wave)',
    ],
    [
      'rollback of a stage in waves without --wave',
      ['rollback', '--stage', 'edge', '--yes'],
      "ops: rollback acts on one wave's pipeline stage: add --wave (stage edge deploys in waves 1 to 2; roll back the later waves first)",
    ],
    [
      'an option of another command',
      ['status', '--stage', 'live1', '--window', '5'],
      'ops: status takes no --window: it is an option of metrics only. Fix: drop --window (see --help)',
    ],
    [
      'an option of report on a stage command',
      ['watch', '--stage', 'live1', '--json'],
      'ops: watch takes no --json: it is an option of report only. Fix: drop --json (see --help)',
    ],
  ])('%s', async (_, argv, line) => {
    const { code, err, out, h } = await run(argv);
    expect(code).toBe(2);
    expect(err).toEqual([line]);
    expect(out).toEqual([]);
    expect(h.calls('sts')).toEqual([]);
    expect(h.calls('cloudformation')).toEqual([]);
  });

  test.each(['rollback', 'override'])(
    '%s without --yes and no terminal to ask on: refused before any credentials are looked up',
    async (command) => {
      const h = harness();
      let made = 0;
      const { code, err } = await runOps([command, '--stage', 'live2'], h, model, {
        confirm: undefined,
        interactive: false,
        createClients: () => {
          made++;
          return h.clients;
        },
      });
      expect(code).toBe(2);
      expect(err).toEqual([
        `ops: ${command} asks for a confirmation, and there is no terminal to ask on: run it in a terminal, or pass --yes`,
      ]);
      expect(made).toBe(0);
    },
  );

  test.each<[string, string[], string]>([
    [
      'a --since in the future',
      ['report', '--since', '2999-01-01'],
      'ops: --since 2999-01-01 starts at 2999-01-01 00:00:00 UTC, not before now (2030-01-01 00:00:00 UTC): name a day in the past',
    ],
    [
      'an --out in a folder that does not exist',
      ['report', '--out', '/no/such/folder/chart.md'],
      'ops: --out /no/such/folder/chart.md: the folder /no/such/folder does not exist: create it or name another file',
    ],
  ])(
    'report, %s: bad input, exit 1, before any credentials are looked up',
    async (_, argv, line) => {
      const h = harness();
      let made = 0;
      const { code, err } = await runOps(argv, h, model, {
        now: () => new Date('2030-01-01T00:00:00Z'),
        createClients: () => {
          made++;
          return h.clients;
        },
      });
      expect({ code, err }).toEqual({ code: 1, err: [line] });
      expect(made).toBe(0);
    },
  );

  test('an unknown AWS region in the configuration: refused before any client is made', async () => {
    const lost = stageModel([serviceModel('payments')], 'lost', { region: 'us-east-9' });
    const h = harness();
    let made = 0;
    const { code, err } = await runOps(['status', '--stage', 'lost'], h, appModel([lost]), {
      createClients: () => {
        made++;
        return h.clients;
      },
    });
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: unknown AWS region "us-east-9" for environment lost of stage lost: set a region AWS has (e.g. eu-west-1) in pipeline.config.ts',
    ]);
    expect(made).toBe(0);
  });

  /** The first call of every command: whose credentials are these? */
  const failingIdentity = (error: Error) => {
    const h = harness();
    h.mocks.sts.on(GetCallerIdentityCommand).rejects(error);
    return h;
  };

  test.each<[string, Error, string]>([
    [
      'no credentials',
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'ops: no AWS credentials: configure credentials for account 333333333333 (environment live2 of stage live2), e.g. AWS_PROFILE=<profile> or aws sso login',
    ],
    [
      'expired credentials',
      awsError('ExpiredToken', 'The security token included in the request is expired'),
      'ops: the AWS credentials have expired: refresh them for account 333333333333 (environment live2 of stage live2) (e.g. aws sso login)',
    ],
    [
      'no network (DNS)',
      Object.assign(new Error('getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com'), {
        code: 'ENOTFOUND',
        hostname: 'sts.eu-west-1.amazonaws.com',
        $metadata: { attempts: 3 },
      }),
      'ops: no network: AWS did not answer (getaddrinfo ENOTFOUND sts.eu-west-1.amazonaws.com): check the internet connection, VPN or proxy (HTTPS_PROXY), then run the command again',
    ],
    [
      'no network (refused)',
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }),
      'ops: no network: AWS did not answer (connect ECONNREFUSED 10.0.0.1:443): check the internet connection, VPN or proxy (HTTPS_PROXY), then run the command again',
    ],
    [
      'no network (time-out)',
      Object.assign(
        new Error('Socket timed out without establishing a connection within 1000 ms'),
        {
          name: 'TimeoutError',
        },
      ),
      'ops: no network: AWS did not answer (Socket timed out without establishing a connection within 1000 ms): check the internet connection, VPN or proxy (HTTPS_PROXY), then run the command again',
    ],
    [
      'a region the SDK refuses',
      new Error('Region not accepted: region="eu west" is not a valid hostname component.'),
      'ops: invalid AWS region (Region not accepted: region="eu west" is not a valid hostname component.): set a region AWS has (e.g. eu-west-1) in pipeline.config.ts',
    ],
  ])('%s', async (_, error, line) => {
    const { code, err, out } = await run(['status', '--stage', 'live2'], failingIdentity(error));
    expect(code).toBe(2);
    expect(err).toEqual([line]);
    expect(out).toEqual([]);
  });

  test('credentials for the pipeline and the environments are named together', async () => {
    const { err } = await run(
      ['watch', '--stage', 'edge'],
      failingIdentity(
        Object.assign(new Error('Could not load credentials'), {
          name: 'CredentialsProviderError',
        }),
      ),
    );
    expect(err).toEqual([
      'ops: no AWS credentials: configure credentials for account 333333333333 (pipeline ops-test, environment edge-eu of stage edge and environment edge-us of stage edge) and account 555555555555 (environment edge-ap of stage edge), e.g. AWS_PROFILE=<profile> or aws sso login',
    ]);
  });

  test('an AWS error such as access denied', async () => {
    const h = harness();
    deployedStage(h, oneService);
    h.mocks.codedeploy
      .on(ListDeploymentsCommand)
      .rejects(
        awsError(
          'AccessDeniedException',
          'User is not authorized to perform: codedeploy:ListDeployments',
        ),
      );
    const { code, err } = await run(['stop', '--stage', 'live2'], h);
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: AccessDeniedException: User is not authorized to perform: codedeploy:ListDeployments',
    ]);
  });

  /** Each command with one of its calls throttled, after the SDK's own retries. */
  const throttled: [string, string[], (h: Harness) => void][] = [
    [
      'status',
      ['status', '--stage', 'live2'],
      (h) =>
        h.mocks.lambda
          .on(GetAliasCommand)
          .rejects(awsError('TooManyRequestsException', 'Rate exceeded')),
    ],
    [
      'watch',
      ['watch', '--stage', 'live2'],
      (h) =>
        h.mocks.codepipeline
          .on(GetPipelineStateCommand)
          .rejects(awsError('ThrottlingException', 'Rate exceeded')),
    ],
    [
      'rollback',
      ['rollback', '--stage', 'live2', '--yes'],
      (h) =>
        h.mocks.codepipeline
          .on(GetPipelineStateCommand)
          .rejects(awsError('ThrottlingException', 'Rate exceeded')),
    ],
    [
      'override',
      ['override', '--stage', 'live2', '--yes'],
      (h) =>
        h.mocks.codepipeline
          .on(GetPipelineStateCommand)
          .rejects(awsError('ThrottlingException', 'Rate exceeded')),
    ],
    [
      'metrics',
      ['metrics', '--stage', 'live2'],
      (h) =>
        h.mocks.cloudwatch
          .on(GetMetricDataCommand)
          .rejects(awsError('Throttling', 'Rate exceeded')),
    ],
    [
      'stop',
      ['stop', '--stage', 'live2'],
      (h) => {
        h.mocks.codedeploy
          .on(ListDeploymentsCommand)
          .resolves({ deployments: ['d-1'] })
          .on(BatchGetDeploymentsCommand)
          .resolves({ deploymentsInfo: [deployment('d-1')] })
          .on(StopDeploymentCommand)
          .rejects(awsError('ThrottlingException', 'Rate exceeded'));
      },
    ],
  ];
  test.each(throttled)('%s, throttled', async (_, argv, throttle) => {
    const h = harness();
    deployedStage(h, oneService);
    throttle(h);
    const { code, err } = await run(argv, h);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(
      /^ops: AWS is throttling these requests \((ThrottlingException|TooManyRequestsException|Throttling): Rate exceeded\), even after retries: wait a minute, then run the command again$/,
    );
  });

  test.each(['rollback', 'override'])(
    '%s with credentials that do not reach the pipeline account',
    async (command) => {
      const h = harness({ account: OTHER_ACCOUNT });
      const { code, err } = await run([command, '--stage', 'live2'], h);
      expect(code).toBe(2);
      expect(err).toEqual([
        `ops: ${command} acts on pipeline ops-test in account ${ACCOUNT}, not reachable with the credentials of account ${OTHER_ACCOUNT}: use credentials for account ${ACCOUNT}, e.g. AWS_PROFILE=<a profile of account ${ACCOUNT}>`,
      ]);
      expect(h.calls('codepipeline')).toEqual([]);
    },
  );

  test('nothing in progress', async () => {
    const h = harness();
    deployedStage(h, oneService);
    const { code, err } = await run(['stop', '--stage', 'live2'], h);
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: nothing in progress in live2 (live2): no deployment of payments is Created/Queued/InProgress/Baking/Ready',
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

test('--window reaches metrics; the other options are parsed', async () => {
  const h = harness();
  deployedStage(h, oneService);
  h.mocks.cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
  const { code, out } = await run(['metrics', '--stage', 'live2', '--window', '5'], h);
  expect(code).toBe(0);
  expect(out[0]).toContain('(5 min)');
  expect(
    parseArgs([
      'watch',
      '--interval=5',
      '-y',
      '--stage',
      'live1',
      '--wave',
      '2',
      '--region',
      'us-east-1',
      '--environment=edge-us',
    ]),
  ).toEqual({
    command: 'watch',
    stage: 'live1',
    wave: 2,
    region: 'us-east-1',
    environment: 'edge-us',
    yes: true,
    help: false,
    windowMinutes: DEFAULT_WINDOW_MINUTES,
    intervalSeconds: 5,
  });
});

test('no ops code can move an alias: CodeDeploy and CloudFormation own it', () => {
  const dir = path.join(ROOT, 'scripts', 'ops');
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' });
  const sources = files.filter((f) => f.endsWith('.ts'));
  expect(sources.length).toBeGreaterThan(5);
  for (const file of sources) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    expect({ file, moves: text.match(/(Update|Create|Delete)Alias|PublishVersion/g) }).toEqual({
      file,
      moves: null,
    });
  }
});
