import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { BatchGetDeploymentsCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { GetAliasCommand } from '@aws-sdk/client-lambda';
import { status } from '../../../scripts/ops/commands/status';
import {
  ACCOUNT,
  aliasAt,
  deployedIn,
  deployment,
  env,
  harness,
  OTHER_ACCOUNT,
  selection,
  serviceModel,
  serviceTarget,
  stageModel,
} from './harness';

const dashboard = (region: string, name: string) =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards/dashboard/${name}`;

describe('one environment', () => {
  const stage = stageModel([serviceModel('payments'), serviceModel('order-history')]);
  const [payments, history] = stage.services.map((s) => serviceTarget(stage.prefix, s));

  test('per service the alias weights, the latest deployment, the alarms and the dashboards', async () => {
    const h = harness();
    deployedIn(h.mocks, stage);
    const state = (name: string) => ({
      AlarmName: name,
      StateValue:
        name === 'ops-test-live1-payments-canary-verdict-v12'
          ? ('ALARM' as const)
          : ('OK' as const),
    });
    // The last alarm is a composite one: CloudWatch lists those apart.
    h.mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [...payments.alarms, ...history.alarms.slice(0, -1)].map(state),
      CompositeAlarms: history.alarms.slice(-1).map(state),
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
          deployment('d-OLD', {
            status: 'Succeeded',
            createTime: new Date('2026-11-20T09:00:00Z'),
          }),
          deployment('d-NEW'),
        ],
      });

    expect(await status(selection(stage), h.deps)).toBe(0);

    expect(h.calls('cloudformation')).toEqual([
      ['DescribeStacks', { StackName: 'ops-test-live1-payments' }],
      ['DescribeStacks', { StackName: 'ops-test-live1-order-history' }],
    ]);
    expect(h.calls('cloudwatch')).toEqual([
      [
        'DescribeAlarms',
        {
          AlarmNames: [...payments.alarms, ...history.alarms],
          AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        },
      ],
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
        {
          applicationName: 'app-order-history',
          deploymentGroupName: 'ops-test-live1-order-history',
        },
      ],
    ]);
    expect(h.lines).toEqual([
      'live1: 1 environment in 1 wave',
      '',
      'wave 1 (pipeline stage live1)',
      '  live1 (account 333333333333, eu-west-1)',
      '    payments (stack ops-test-live1-payments)',
      '      live alias  version 7 90% · version 8 10%',
      '      deployment  d-NEW InProgress, CodeDeployDefault.LambdaCanary10Percent10Minutes, created 2026-11-21 10:00:00 UTC',
      '      alarms      canary-verdict-v12 ALARM',
      `      dashboard   ${dashboard('eu-west-1', 'ops-test-live1-payments')}`,
      '    order-history (stack ops-test-live1-order-history)',
      '      live alias  version 3 (100%)',
      '      deployment  none yet',
      '      alarms      canary-verdict-v12 OK',
      `      dashboard   ${dashboard('eu-west-1', 'ops-test-live1-order-history')}`,
      `    overview    ${dashboard('eu-west-1', 'ops-test-live1-Overview')}`,
    ]);
  });

  test('names why a deployment ended and which rollback undid it; a missing alarm shows', async () => {
    const only = stageModel([serviceModel('payments')]);
    const h = harness();
    deployedIn(h.mocks, only);
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
              message: 'ops-test-live1-payments-canary-verdict-v12 in ALARM',
            },
            rollbackInfo: { rollbackDeploymentId: 'd-2' },
          }),
        ],
      });

    expect(await status(selection(only), h.deps)).toBe(0);

    expect(h.lines).toContain(
      '      deployment  d-1 Stopped (ALARM_ACTIVE: ops-test-live1-payments-canary-verdict-v12 in ALARM), CodeDeployDefault.LambdaCanary10Percent10Minutes, created 2026-11-21 10:00:00 UTC, rolled back by d-2',
    );
    expect(h.lines).toContain('      alarms      canary-verdict-v12 MISSING');
  });
});

describe('waves across regions and accounts', () => {
  // Wave 1: one region first; wave 2: two more regions, one of them in another account.
  const stage = stageModel([serviceModel('payments')], 'edge', {
    waves: [
      [env('edge-eu', ACCOUNT, 'eu-west-1')],
      [env('edge-us', ACCOUNT, 'us-east-1'), env('edge-ap', OTHER_ACCOUNT, 'ap-southeast-2')],
    ],
  });

  function answers(h: ReturnType<typeof harness>, region: string, version: string) {
    const mocks = h.region(region);
    deployedIn(mocks, stage, { account: ACCOUNT, region });
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: version });
    mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  }

  test('shows each environment in its wave with clients and dashboards of its region; names an account out of reach', async () => {
    const h = harness();
    answers(h, 'eu-west-1', '12');
    answers(h, 'us-east-1', '11');

    expect(await status(selection(stage), h.deps)).toBe(2);

    expect(h.lines).toEqual([
      'edge: 3 environments in 2 waves',
      '',
      'wave 1 (pipeline stage edge-edge-eu)',
      '  edge-eu (account 333333333333, eu-west-1)',
      '    payments (stack ops-test-edge-payments)',
      '      live alias  version 12 (100%)',
      '      deployment  none yet',
      '      alarms      canary-verdict-v12 MISSING',
      `      dashboard   ${dashboard('eu-west-1', 'ops-test-edge-payments')}`,
      `    overview    ${dashboard('eu-west-1', 'ops-test-edge-Overview')}`,
      '',
      'wave 2 (pipeline stage edge-wave2)',
      '  edge-us (account 333333333333, us-east-1)',
      '    payments (stack ops-test-edge-payments)',
      '      live alias  version 11 (100%)',
      '      deployment  none yet',
      '      alarms      canary-verdict-v12 MISSING',
      `      dashboard   ${dashboard('us-east-1', 'ops-test-edge-payments')}`,
      `    overview    ${dashboard('us-east-1', 'ops-test-edge-Overview')}`,
      '  edge-ap (account 555555555555, ap-southeast-2)',
      '    ✖ not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
      '',
      '✖ not shown: edge-ap (see above)',
    ]);
    for (const region of ['eu-west-1', 'us-east-1']) {
      expect(h.calls('lambda', region)).toEqual([
        ['GetAlias', { FunctionName: 'ops-test-edge-payments', Name: 'live' }],
      ]);
    }
    expect(h.calls('cloudformation', 'ap-southeast-2')).toEqual([]);
  });

  test('an environment whose stack does not exist is named, the others still show', async () => {
    const h = harness();
    answers(h, 'eu-west-1', '12');
    h.region('us-east-1')
      .cloudformation.on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Stack with id ops-test-edge-payments does not exist'), {
          name: 'ValidationError',
          $metadata: {},
        }),
      );
    const narrowed = {
      ...selection(stage),
      environments: selection(stage).environments.slice(0, 2),
    };

    expect(await status(narrowed, h.deps)).toBe(2);

    expect(h.lines).toContain('      live alias  version 12 (100%)');
    expect(h.lines).toContain(
      '    ✖ stack ops-test-edge-payments does not exist in edge-us (account 333333333333, us-east-1): deploy stage edge there first',
    );
    expect(h.lines.at(-1)).toBe('✖ not shown: edge-us (see above)');
  });
});
