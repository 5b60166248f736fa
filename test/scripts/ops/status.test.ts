import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { BatchGetDeploymentsCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { status } from '../../../scripts/ops/commands/status';
import { aliasAt, deployment, harness, serviceModel, stageModel, target } from './harness';

const stage = stageModel([serviceModel('payments'), serviceModel('order-history')]);
const [payments, history] = target(stage).services;

test('prints per service the alias weights, the latest deployment, the alarms and the dashboards', async () => {
  const h = harness();
  h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
    MetricAlarms: [...payments.alarms, ...history.alarms].map((name) => ({
      AlarmName: name,
      StateValue: name === 'ops-test-live1-payments-errors' ? 'ALARM' : 'OK',
    })),
  });
  h.mocks.lambda
    .on(GetAliasCommand, { FunctionName: 'ops-test-live1-payments' })
    .resolves(aliasAt('7', { '8': 0.1 }))
    .on(GetAliasCommand, { FunctionName: 'ops-test-live1-order-history' })
    .resolves({ FunctionVersion: '3' });
  h.mocks.codedeploy
    .on(ListDeploymentsCommand, { deploymentGroupName: 'ops-test-live1-payments' })
    .resolves({ deployments: ['d-OLD', 'd-NEW'] })
    .on(ListDeploymentsCommand, { deploymentGroupName: 'ops-test-live1-order-history' })
    .resolves({ deployments: [] })
    .on(BatchGetDeploymentsCommand)
    .resolves({
      deploymentsInfo: [
        deployment('d-OLD', { status: 'Succeeded', createTime: new Date('2026-11-20T09:00:00Z') }),
        deployment('d-NEW'),
      ],
    });

  expect(await status(target(stage), h.deps)).toBe(0);

  expect(h.calls('cloudwatch')).toEqual([
    ['DescribeAlarms', { AlarmNames: [...payments.alarms, ...history.alarms] }],
  ]);
  expect(h.calls('lambda')).toEqual([
    ['GetAlias', { FunctionName: 'ops-test-live1-payments', Name: 'live' }],
    ['GetAlias', { FunctionName: 'ops-test-live1-order-history', Name: 'live' }],
  ]);
  expect(h.calls('codedeploy')).toEqual([
    [
      'ListDeployments',
      { applicationName: 'app-payments', deploymentGroupName: 'ops-test-live1-payments' },
    ],
    ['BatchGetDeployments', { deploymentIds: ['d-OLD', 'd-NEW'] }],
    [
      'ListDeployments',
      { applicationName: 'app-order-history', deploymentGroupName: 'ops-test-live1-order-history' },
    ],
  ]);
  const dashboard = (name: string) =>
    `https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards/dashboard/${name}`;
  expect(h.lines).toEqual([
    'live1 (account 333333333333, eu-west-1)',
    '',
    'payments (stack ops-test-live1-payments)',
    '  live alias  version 7 90% · version 8 10%',
    '  deployment  d-NEW InProgress, CodeDeployDefault.LambdaCanary10Percent10Minutes, created 2026-11-21 10:00:00 UTC',
    '  alarms      errors ALARM · p99-latency OK · throttles OK',
    `  dashboard   ${dashboard('ops-test-live1-payments')}`,
    '',
    'order-history (stack ops-test-live1-order-history)',
    '  live alias  version 3 (100%)',
    '  deployment  none yet',
    '  alarms      errors OK · p99-latency OK · throttles OK',
    `  dashboard   ${dashboard('ops-test-live1-order-history')}`,
    '',
    `overview: ${dashboard('ops-test-live1-Overview')}`,
  ]);
});

test('names why a deployment ended and which rollback undid it; a missing alarm shows', async () => {
  const h = harness();
  h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });
  h.mocks.codedeploy
    .on(ListDeploymentsCommand)
    .resolves({ deployments: ['d-1'] })
    .on(BatchGetDeploymentsCommand)
    .resolves({
      deploymentsInfo: [
        deployment('d-1', {
          status: 'Stopped',
          errorInformation: {
            code: 'ALARM_ACTIVE',
            message: 'ops-test-live1-payments-errors in ALARM',
          },
          rollbackInfo: { rollbackDeploymentId: 'd-2' },
        }),
      ],
    });

  await status({ stage, services: [payments] }, h.deps);

  expect(h.lines).toContain(
    '  deployment  d-1 Stopped (ALARM_ACTIVE: ops-test-live1-payments-errors in ALARM), CodeDeployDefault.LambdaCanary10Percent10Minutes, created 2026-11-21 10:00:00 UTC, rolled back by d-2',
  );
  expect(h.lines).toContain(
    '  alarms      errors MISSING · p99-latency MISSING · throttles MISSING',
  );
});
