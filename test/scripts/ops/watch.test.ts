import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  GetDeploymentCommand,
  GetDeploymentConfigCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { IN_PROGRESS } from '../../../scripts/ops/aws';
import { watch } from '../../../scripts/ops/commands/watch';
import { OpsError } from '../../../scripts/ops/types';
import {
  aliasAt,
  deployment,
  harness,
  lambdaTarget,
  serviceModel,
  stageModel,
  target,
} from './harness';

const stage = stageModel([serviceModel('payments'), serviceModel('order-history')]);
const [payments] = target(stage).services;
const shiftStart = new Date('2026-11-21T10:03:00Z'); // NOW is 10:07:30: 4m 30s into a 10 min window

function canaryInProgress(h: ReturnType<typeof harness>) {
  h.mocks.codedeploy
    .on(ListDeploymentsCommand, { deploymentGroupName: 'ops-test-live1-payments' })
    .resolves({ deployments: ['d-1'] })
    .on(ListDeploymentsCommand, { deploymentGroupName: 'ops-test-live1-order-history' })
    .resolves({ deployments: [] })
    .on(BatchGetDeploymentsCommand)
    .resolves({ deploymentsInfo: [deployment('d-1')] })
    .on(GetDeploymentConfigCommand)
    .resolves({
      deploymentConfigInfo: {
        trafficRoutingConfig: {
          type: 'TimeBasedCanary',
          timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 },
        },
      },
    })
    .on(ListDeploymentTargetsCommand)
    .resolves({ targetIds: ['ops-test-live1-payments'] });
  h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: payments.alarms.map((AlarmName) => ({ AlarmName, StateValue: 'OK' })),
  });
}

test('follows a canary to success: progress bar, window left, alarms; exits 0', async () => {
  const h = harness();
  canaryInProgress(h);
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

  expect(await watch(target(stage), h.deps)).toBe(0);

  expect(h.lines).toEqual([
    'Following payments d-1 in live1, every 30s:',
    '10:07:30  payments  InProgress  [██░░░░░░░░░░░░░░░░░░]  10% on version 8  canary window 5m 30s left  alarms errors OK · p99-latency OK · throttles OK',
    '10:08:00  payments  InProgress  [████████████████████] 100% on version 8  shift complete, post-traffic hook running  alarms errors OK · p99-latency OK · throttles OK',
    '✔ payments: d-1 Succeeded; live: version 8 (100%)',
  ]);
  expect(h.sleeps).toEqual([30_000, 30_000]);
  const inProgress = { includeOnlyStatuses: IN_PROGRESS };
  expect(h.calls('codedeploy')).toEqual([
    [
      'ListDeployments',
      {
        applicationName: 'app-payments',
        deploymentGroupName: 'ops-test-live1-payments',
        ...inProgress,
      },
    ],
    ['BatchGetDeployments', { deploymentIds: ['d-1'] }],
    [
      'GetDeploymentConfig',
      { deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent10Minutes' },
    ],
    [
      'ListDeployments',
      {
        applicationName: 'app-order-history',
        deploymentGroupName: 'ops-test-live1-order-history',
        ...inProgress,
      },
    ],
    ...[1, 2].flatMap(() => [
      ['GetDeployment', { deploymentId: 'd-1' }],
      ['ListDeploymentTargets', { deploymentId: 'd-1' }],
      [
        'BatchGetDeploymentTargets',
        { deploymentId: 'd-1', targetIds: ['ops-test-live1-payments'] },
      ],
    ]),
    ['GetDeployment', { deploymentId: 'd-1' }],
  ]);
  expect(h.calls('lambda')).toEqual(
    Array(3).fill(['GetAlias', { FunctionName: 'ops-test-live1-payments', Name: 'live' }]),
  );
  expect(h.calls('cloudwatch')).toEqual(
    Array(3).fill(['DescribeAlarms', { AlarmNames: payments.alarms }]),
  );
});

test('exits 1 when an alarm stops the deployment, showing why and where the alias went', async () => {
  const h = harness();
  canaryInProgress(h);
  h.mocks.codedeploy.on(GetDeploymentCommand).resolves({
    deploymentInfo: deployment('d-1', {
      status: 'Stopped',
      errorInformation: { code: 'ALARM_ACTIVE', message: 'One or more alarms have been activated' },
    }),
  });
  h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: payments.alarms.map((AlarmName, i) => ({
      AlarmName,
      StateValue: i === 0 ? 'ALARM' : 'OK',
    })),
  });
  h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });

  expect(await watch(target(stage), h.deps)).toBe(1);

  expect(h.lines).toEqual([
    'Following payments d-1 in live1, every 30s:',
    '✖ payments: d-1 Stopped (ALARM_ACTIVE: One or more alarms have been activated); CodeDeploy rolls it back, live: version 7 (100%); alarms errors ALARM · p99-latency OK · throttles OK',
  ]);
  expect(h.sleeps).toEqual([]);
});

test('shows the pre-traffic hook before any traffic moves', async () => {
  const h = harness();
  canaryInProgress(h);
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

  expect(await watch(target(stage), h.deps)).toBe(1);
  expect(h.lines[1]).toBe(
    '10:07:30  payments  InProgress  [░░░░░░░░░░░░░░░░░░░░]   0% on version 8  pre-traffic hook InProgress  alarms errors OK · p99-latency OK · throttles OK',
  );
  expect(h.lines[2]).toBe(
    '✖ payments: d-1 Failed; CodeDeploy rolls it back, live: version 7 (100%); alarms errors OK · p99-latency OK · throttles OK',
  );
});

test('with nothing in progress, says so in one line and exits 2', async () => {
  const h = harness();
  h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });

  const error = await watch(target(stage), h.deps).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(OpsError);
  expect((error as OpsError).message).toBe(
    'nothing in progress in live1: no deployment of payments, order-history is Created/Queued/InProgress/Baking/Ready',
  );
  expect((error as OpsError).exitCode).toBe(2);
  expect(h.calls('codedeploy').map(([name]) => name)).toEqual([
    'ListDeployments',
    'ListDeployments',
  ]);
  expect(h.lines).toEqual([]);
});
