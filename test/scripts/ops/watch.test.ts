import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListRuleExecutionsCommand,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { IN_PROGRESS } from '../../../scripts/ops/aws';
import { watch } from '../../../scripts/ops/commands/watch';
import { OpsError } from '../../../scripts/ops/types';
import {
  ACCOUNT,
  aliasAt,
  appModel,
  deployedIn,
  deployment,
  env,
  harness,
  lambdaTarget,
  OTHER_ACCOUNT,
  selection,
  serviceModel,
  serviceTarget,
  stageModel,
  stageState,
  type Harness,
} from './harness';

const RELEASE = '6c1d2e3f-4a5b-4c6d-8e7f-8a9b0c1d2e3f';
const EARLIER = '2b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d';
const shiftStart = new Date('2026-11-21T10:03:00Z'); // NOW is 10:07:30: 4m 30s into a 10 min window
const canary10 = {
  deploymentConfigInfo: {
    trafficRoutingConfig: {
      type: 'TimeBasedCanary' as const,
      timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 },
    },
  },
};

type Mocks = ReturnType<Harness['region']>;

/** A canary of `service` in progress as `id`, its alarms all OK; other services quiet. */
function canaryInProgress(mocks: Mocks, group: string, id: string, alarms: readonly string[]) {
  mocks.codedeploy
    .on(ListDeploymentsCommand)
    .resolves({ deployments: [] })
    .on(ListDeploymentsCommand, { deploymentGroupName: group })
    .resolves({ deployments: [id] })
    .on(BatchGetDeploymentsCommand)
    .resolves({ deploymentsInfo: [deployment(id)] })
    .on(GetDeploymentConfigCommand)
    .resolves(canary10)
    .on(ListDeploymentTargetsCommand)
    .resolves({ targetIds: [group] });
  mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: alarms.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })),
  });
}

/** GetPipelineState answers, one per poll (the last one repeats). */
function pipelineStates(h: Harness, ...polls: StageState[][]) {
  let on = h.mocks.codepipeline.on(GetPipelineStateCommand);
  for (const stageStates of polls.slice(0, -1)) {
    on = on.resolvesOnce({ stageStates });
  }
  on.resolves({ stageStates: polls[polls.length - 1] });
}

const running = (id = RELEASE) => ({ pipelineExecutionId: id, status: 'InProgress' as const });
const succeeded = (id = RELEASE) => ({ pipelineExecutionId: id, status: 'Succeeded' as const });

describe('one wave', () => {
  const stage = stageModel([serviceModel('payments'), serviceModel('order-history')]);
  const [payments] = stage.services.map((s) => serviceTarget(stage.prefix, s));

  /** A canary of payments in progress; at the next poll the stage has failed. */
  function canaryThenFailure() {
    const h = harness();
    deployedIn(h.mocks, stage);
    canaryInProgress(h.mocks, payments.deploymentGroup, 'd-1', payments.alarms);
    pipelineStates(
      h,
      [stageState('live1', { latestExecution: running() })],
      [
        stageState('live1', {
          latestExecution: { pipelineExecutionId: RELEASE, status: 'Failed' },
        }),
      ],
    );
    return h;
  }

  test('follows the release and its canary to success: wave, bar, window left, alarms; exits 0', async () => {
    const h = harness();
    deployedIn(h.mocks, stage);
    canaryInProgress(h.mocks, payments.deploymentGroup, 'd-1', payments.alarms);
    pipelineStates(
      h,
      [stageState('live1', { latestExecution: running() })],
      [stageState('live1', { latestExecution: running() })],
      [stageState('live1', { latestExecution: succeeded() })],
    );
    h.mocks.codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: deployment('d-1') })
      .resolvesOnce({ deploymentInfo: deployment('d-1') })
      .resolves({ deploymentInfo: deployment('d-1', { status: 'Succeeded' }) })
      .on(BatchGetDeploymentTargetsCommand)
      .resolvesOnce({ deploymentTargets: [lambdaTarget('7', '8', shiftStart)] })
      .resolves({
        deploymentTargets: [lambdaTarget('7', '8', shiftStart, new Date('2026-11-21T10:13:00Z'))],
      });
    h.mocks.lambda
      .on(GetAliasCommand)
      .resolvesOnce(aliasAt('7', { '8': 0.1 }))
      .resolves({ FunctionVersion: '8' });

    expect(await watch(selection(stage), h.deps)).toBe(0);

    const alarms = 'alarms canary-verdict-v12 OK';
    expect(h.lines).toEqual([
      `Following execution ${RELEASE} through live1 (one wave), every 30s:`,
      '10:07:30  wave 1 live1: deploying',
      `10:07:30  live1 eu-west-1  payments  InProgress  [██░░░░░░░░░░░░░░░░░░]  10% on version 8  canary window 5m 30s left  ${alarms}`,
      '10:08:00  wave 1 live1: deploying',
      `10:08:00  live1 eu-west-1  payments  InProgress  [████████████████████] 100% on version 8  shift complete, post-traffic hook running  ${alarms}`,
      '10:08:30  wave 1 live1: succeeded',
      '✔ live1 eu-west-1  payments: d-1 Succeeded; live: version 8 (100%)',
      `✔ execution ${RELEASE} passed live1: its wave succeeded`,
    ]);
    expect(h.sleeps).toEqual([30_000, 30_000]);
    expect(h.calls('codepipeline')).toEqual(
      Array(3).fill(['GetPipelineState', { name: 'ops-test' }]),
    );
    const inProgress = { includeOnlyStatuses: IN_PROGRESS };
    const historyGroup = {
      applicationName: 'app-order-history',
      deploymentGroupName: 'ops-test-live1-order-history',
      ...inProgress,
    };
    expect(h.calls('codedeploy')).toEqual([
      [
        'ListDeployments',
        {
          applicationName: 'app-payments',
          deploymentGroupName: payments.deploymentGroup,
          ...inProgress,
        },
      ],
      ['BatchGetDeployments', { deploymentIds: ['d-1'] }],
      [
        'GetDeploymentConfig',
        { deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent10Minutes' },
      ],
      ['GetDeployment', { deploymentId: 'd-1' }],
      ['ListDeploymentTargets', { deploymentId: 'd-1' }],
      ['BatchGetDeploymentTargets', { deploymentId: 'd-1', targetIds: [payments.deploymentGroup] }],
      // The other service has no deployment: looked for at every poll while the wave deploys.
      ['ListDeployments', historyGroup],
      ['GetDeployment', { deploymentId: 'd-1' }],
      ['ListDeploymentTargets', { deploymentId: 'd-1' }],
      ['BatchGetDeploymentTargets', { deploymentId: 'd-1', targetIds: [payments.deploymentGroup] }],
      ['ListDeployments', historyGroup],
      // The wave has succeeded: only the deployment followed is asked after, until it ends.
      ['GetDeployment', { deploymentId: 'd-1' }],
    ]);
    expect(h.calls('lambda')).toEqual(
      Array(3).fill(['GetAlias', { FunctionName: 'ops-test-live1-payments', Name: 'live' }]),
    );
  });

  test('exits 1 when an alarm stops the canary and the stage fails, showing why and where the alias went', async () => {
    const h = canaryThenFailure();
    h.mocks.codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: deployment('d-1', {
        status: 'Stopped',
        errorInformation: {
          code: 'ALARM_ACTIVE',
          message: 'One or more alarms have been activated',
        },
      }),
    });
    h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: payments.alarms.map((AlarmName, i) => ({
        AlarmName,
        StateValue: i === 0 ? 'ALARM' : 'OK',
      })),
    });
    h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });

    expect(await watch(selection(stage), h.deps)).toBe(1);

    expect(h.lines).toEqual([
      `Following execution ${RELEASE} through live1 (one wave), every 30s:`,
      '10:07:30  wave 1 live1: deploying',
      '✖ live1 eu-west-1  payments: d-1 Stopped (ALARM_ACTIVE: One or more alarms have been activated); CodeDeploy rolls it back, live: version 7 (100%); alarms canary-verdict-v12 ALARM',
      '10:08:00  wave 1 live1: failed',
      `✖ execution ${RELEASE}: wave 1 live1: failed`,
    ]);
  });

  test('shows the pre-traffic hook before any traffic moves', async () => {
    const h = canaryThenFailure();
    h.mocks.codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: deployment('d-1') })
      .resolves({ deploymentInfo: deployment('d-1', { status: 'Failed' }) })
      .on(BatchGetDeploymentTargetsCommand)
      .resolves({
        deploymentTargets: [
          {
            lambdaTarget: {
              lambdaFunctionInfo: { currentVersion: '7', targetVersion: '8' },
              lifecycleEvents: [{ lifecycleEventName: 'BeforeAllowTraffic', status: 'InProgress' }],
            },
          },
        ],
      });
    h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });

    expect(await watch(selection(stage), h.deps)).toBe(1);
    expect(h.lines[2]).toBe(
      '10:07:30  live1 eu-west-1  payments  InProgress  [░░░░░░░░░░░░░░░░░░░░]   0% on version 8  pre-traffic hook InProgress  alarms canary-verdict-v12 OK',
    );
    expect(h.lines[4]).toBe(
      '✖ live1 eu-west-1  payments: d-1 Failed; CodeDeploy rolls it back, live: version 7 (100%); alarms canary-verdict-v12 OK',
    );
  });

  test('a release held at the entry condition: says so and how to override; ends when it is superseded', async () => {
    const h = harness();
    pipelineStates(
      h,
      [
        stageState('live1', {
          latestExecution: succeeded(EARLIER),
          beforeEntryConditionState: {
            latestExecution: { status: 'InProgress', summary: 'Outside the deployment window' },
          },
        }),
      ],
      [stageState('live1', { latestExecution: succeeded(EARLIER) })],
    );
    h.mocks.codepipeline
      .on(ListRuleExecutionsCommand)
      .resolves({
        ruleExecutionDetails: [
          { pipelineExecutionId: RELEASE, stageName: 'live1', status: 'InProgress' },
        ],
      })
      .on(GetPipelineExecutionCommand)
      .resolves({ pipelineExecution: { pipelineExecutionId: RELEASE, status: 'Superseded' } });

    expect(await watch(selection(stage), h.deps)).toBe(1);

    expect(h.lines).toEqual([
      `Following execution ${RELEASE} through live1 (one wave), every 30s:`,
      '10:07:30  wave 1 live1: waiting at its entry (Outside the deployment window)',
      '          to let it in now: npm run ops -- override --stage live1',
      '10:08:00  wave 1 live1: not started',
      `✖ execution ${RELEASE} ended Superseded before passing live1`,
    ]);
    expect(h.calls('codedeploy')).toEqual([]);
  });

  test('a release waiting for its approval (a stage of its own before the wave): says so, and follows it in', async () => {
    const h = harness();
    const approval = (latestExecution: ReturnType<typeof running> | ReturnType<typeof succeeded>) =>
      stageState('Approve-live1', { latestExecution });
    pipelineStates(
      h,
      [stageState('live1', { latestExecution: succeeded(EARLIER) }), approval(running())],
      [stageState('live1', { latestExecution: succeeded() }), approval(succeeded())],
    );

    expect(await watch(selection(stage), h.deps)).toBe(0);

    expect(h.lines).toEqual([
      `Following execution ${RELEASE} through live1 (one wave), every 30s:`,
      '10:07:30  wave 1 live1: waiting for the approval Approve-live1',
      '10:08:00  wave 1 live1: succeeded',
      `✔ execution ${RELEASE} passed live1: its wave succeeded`,
    ]);
  });

  test('with nothing in progress, says where each wave stands and exits 2', async () => {
    const h = harness();
    pipelineStates(h, [stageState('live1', { latestExecution: succeeded(EARLIER) })]);

    const error = (await watch(selection(stage), h.deps).catch((e: unknown) => e)) as OpsError;

    expect(error).toBeInstanceOf(OpsError);
    expect(error.message).toBe('nothing in progress in live1: wave 1 live1 Succeeded');
    expect(error.exitCode).toBe(2);
    expect(h.lines).toEqual([]);
  });
});

describe('waves across regions and accounts', () => {
  const stage = stageModel([serviceModel('payments')], 'edge', {
    bakeMinutes: 15,
    waves: [
      [env('edge-eu', ACCOUNT, 'eu-west-1')],
      [env('edge-us', ACCOUNT, 'us-east-1'), env('edge-ap', OTHER_ACCOUNT, 'ap-southeast-2')],
    ],
  });

  /** The canary d-US of payments in progress in edge-us. */
  function canaryInUs() {
    const h = harness();
    const us = h.region('us-east-1');
    const where = { account: ACCOUNT, region: 'us-east-1' };
    const payments = serviceTarget(stage.prefix, stage.services[0], where);
    deployedIn(us, stage, where);
    canaryInProgress(us, payments.deploymentGroup, 'd-US', payments.alarms);
    return { h, us };
  }

  test('shows wave progress, the bake, then the canaries of the running wave in each region it reaches', async () => {
    const { h, us } = canaryInUs();
    us.codedeploy
      .on(GetDeploymentCommand)
      .resolvesOnce({ deploymentInfo: deployment('d-US') })
      .resolves({ deploymentInfo: deployment('d-US', { status: 'Succeeded' }) })
      .on(BatchGetDeploymentTargetsCommand)
      .resolves({ deploymentTargets: [lambdaTarget('4', '5', new Date('2026-11-21T10:08:00Z'))] });
    us.lambda
      .on(GetAliasCommand)
      .resolvesOnce(aliasAt('4', { '5': 0.1 }))
      .resolves({ FunctionVersion: '5' });
    // The wave's bake action, as the health gate reports it to CodePipeline.
    const bake = {
      actionName: 'Bake-edge-wave1',
      latestExecution: {
        status: 'InProgress' as const,
        summary: 'baking: 7.0 of 15 min, no alarm in edge-eu',
      },
    };
    pipelineStates(
      h,
      [
        stageState('edge-edge-eu', { latestExecution: running(), actionStates: [bake] }),
        stageState('edge-wave2', { latestExecution: succeeded(EARLIER) }),
      ],
      [
        stageState('edge-edge-eu', { latestExecution: succeeded() }),
        stageState('edge-wave2', { latestExecution: succeeded(EARLIER) }),
      ],
      [
        stageState('edge-edge-eu', { latestExecution: succeeded() }),
        stageState('edge-wave2', { latestExecution: running() }),
      ],
      [
        stageState('edge-edge-eu', { latestExecution: succeeded() }),
        stageState('edge-wave2', { latestExecution: succeeded() }),
      ],
    );
    h.mocks.codepipeline
      .on(GetPipelineExecutionCommand)
      .resolves({ pipelineExecution: { pipelineExecutionId: RELEASE, status: 'InProgress' } });

    expect(await watch(selection(stage, appModel([stage])), h.deps)).toBe(0);

    expect(h.lines).toEqual([
      `Following execution ${RELEASE} through edge (2 waves), every 30s:`,
      '10:07:30  wave 1 edge-edge-eu: baking (baking: 7.0 of 15 min, no alarm in edge-eu) · wave 2 edge-wave2: not started',
      '10:08:00  wave 1 edge-edge-eu: succeeded · wave 2 edge-wave2: not started',
      '10:08:30  wave 1 edge-edge-eu: succeeded · wave 2 edge-wave2: deploying',
      '10:08:30  edge-us us-east-1  payments  InProgress  [██░░░░░░░░░░░░░░░░░░]  10% on version 5  canary window 9m 30s left  alarms canary-verdict-v12 OK',
      '          edge-ap: ✖ not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
      '10:09:00  wave 1 edge-edge-eu: succeeded · wave 2 edge-wave2: succeeded',
      '✔ edge-us us-east-1  payments: d-US Succeeded; live: version 5 (100%)',
      `✔ execution ${RELEASE} passed edge: all 2 waves succeeded`,
    ]);
    // Between the waves the execution itself is asked whether it still runs.
    expect(h.calls('codepipeline').map(([name]) => name)).toEqual([
      'GetPipelineState',
      'GetPipelineState',
      'GetPipelineExecution',
      'GetPipelineState',
      'GetPipelineState',
    ]);
    // Wave 1 baked: nothing asked of its region. Wave 2's other region is another account.
    expect(h.calls('codedeploy', 'eu-west-1')).toEqual([]);
    expect(h.calls('cloudformation', 'ap-southeast-2')).toEqual([]);
  });

  test('without the pipeline account, follows the canaries in progress where it can', async () => {
    const { h, us } = canaryInUs();
    us.codedeploy
      .on(GetDeploymentCommand)
      .resolves({ deploymentInfo: deployment('d-US', { status: 'Succeeded' }) });
    us.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '5' });
    deployedIn(h.mocks, stage);
    h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    const elsewhere = appModel([stage], { account: OTHER_ACCOUNT, region: 'eu-west-1' });

    expect(await watch(selection(stage, elsewhere), h.deps)).toBe(0);

    expect(h.lines).toEqual([
      'pipeline ops-test is in account 555555555555, not reachable with the credentials of account 333333333333: following the CodeDeploy deployments only (to see the waves, use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>)',
      '10:07:30  edge-eu eu-west-1  no deployment in progress',
      '✔ edge-us us-east-1  payments: d-US Succeeded; live: version 5 (100%)',
      '          edge-ap: ✖ not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
    ]);
    expect(h.calls('codepipeline')).toEqual([]);
  });
});
