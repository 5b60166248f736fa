import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { deploymentsOf, withDeployments } from '../../../../scripts/ops/report/attach';
import {
  deploymentDetails,
  readGroups,
  readVerdict,
} from '../../../../scripts/ops/report/deployments';
import { stageHistory } from '../../../../scripts/ops/report/releases';
import { awsError, harness, OTHER_ACCOUNT, selection, type Harness } from '../harness';
import { ALARM, buildHistory, dev, model, NOW, prod, startOf } from './fixture';
import { PAGES, serveHistory } from './serve';

const history = buildHistory();
const window = { start: new Date('2026-10-22T10:07:30Z'), end: NOW };
const minutes = (i: number, m: number) => new Date(startOf(i).getTime() + m * 60_000);

function served(): Harness {
  const h = harness();
  serveHistory(h, history);
  return h;
}

describe('reading the deployment groups', () => {
  test('names from the stacks’ outputs; every page in the window; 25 ids a batch', async () => {
    const h = served();
    const { groups, unread } = await readGroups(selection(dev, model), h.deps, window);
    expect(unread).toEqual([]);
    expect(groups.map((g) => [g.environment, g.target.deploymentGroup])).toEqual([
      ['dev', 'ops-test-dev-payments'],
      ['dev', 'ops-test-dev-orders'],
    ]);
    // payments moved in 47 of the 48 dev releases (47's stack failed first), and one of those
    // failed, with a CodeDeploy rollback of its own; orders moved in every third (15).
    expect(groups.map((g) => g.deployments.length)).toEqual([48, 15]);
    const calls = h.calls('codedeploy');
    const listed = calls.filter(([name]) => name === 'ListDeployments').map(([, i]) => i);
    expect(listed.slice(0, 2)).toEqual([
      {
        applicationName: 'app-payments',
        deploymentGroupName: 'ops-test-dev-payments',
        createTimeRange: window,
      },
      {
        applicationName: 'app-payments',
        deploymentGroupName: 'ops-test-dev-payments',
        createTimeRange: window,
        nextToken: `next@${PAGES.deployments}`,
      },
    ]);
    const batches = calls
      .filter(([name]) => name === 'BatchGetDeployments')
      .map(([, i]) => (i as { deploymentIds: string[] }).deploymentIds.length);
    expect(batches).toEqual([25, 23, 15]);
  });

  test('an environment out of reach is named, not read', async () => {
    const h = harness({ account: OTHER_ACCOUNT });
    serveHistory(h, history);
    const { groups, unread } = await readGroups(
      selection(prod, model),
      { clients: h.clients, account: OTHER_ACCOUNT },
      window,
    );
    expect(groups).toEqual([]);
    expect(unread).toEqual([
      'prod of stage prod: not reachable with the credentials of account 555555555555: use credentials for account 333333333333, e.g. AWS_PROFILE=<a profile of account 333333333333>',
    ]);
    expect(h.mocks.cloudformation.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });
});

describe('a release and its deployments', () => {
  const releases = new Map(
    stageHistory(model, prod, history.executions).releases.map((r) => [
      Number(r.executionId.slice(0, 8)),
      r,
    ]),
  );

  test('those created during its deploy actions, not CodeDeploy’s own rollbacks', async () => {
    const h = served();
    const { groups } = await readGroups(selection(prod, model), h.deps, window);
    const ids = (i: number) =>
      deploymentsOf(prod, releases.get(i)!, groups).map(({ info }) => info.deploymentId);
    expect(ids(42)).toEqual(['d-PP052K7Q', 'd-PO052K7Q']);
    expect(ids(43)).toEqual(['d-PP053K7Q']);
    // The rollback execution after 25's bake deployed too, but in a window of its own.
    expect(ids(25)).toEqual(['d-PP035K7Q']);
  });

  test('versions from the target, the judge’s numbers, and the alarm as the cause', async () => {
    const h = served();
    const { groups } = await readGroups(selection(prod, model), h.deps, window);
    const [payments] = deploymentsOf(prod, releases.get(42)!, groups);
    const details = await deploymentDetails(payments.group, payments.info, () => {
      throw new Error('no verdict error expected');
    });
    expect(details).toEqual({
      service: 'payments',
      environment: 'prod',
      deploymentId: 'd-PP052K7Q',
      status: 'Stopped',
      fromVersion: '46',
      toVersion: '47',
      created: minutes(42, 32 + 30 + 3),
      completed: minutes(42, 32 + 30 + 10),
      error: {
        code: 'ALARM_ACTIVE',
        message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${ALARM}>`,
      },
      rolledBackBy: 'd-PP052KRB1',
      verdict: {
        rollback: true,
        invocations: 240,
        errors: 14,
        slow: 3,
        throttles: 0,
        evidence: 5.3,
      },
    });
    const failed = withDeployments(releases.get(42)!, [details]);
    expect(failed.outcome).toBe('failed');
    // CloudFormation's failure of the deploy action gives way to CodeDeploy's reason.
    expect(failed.failures).toEqual([
      {
        kind: 'alarm',
        at: minutes(42, 72),
        text: `payments in prod: deployment d-PP052K7Q Stopped (ALARM_ACTIVE: One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${ALARM}>); the release judge decided to roll back; rolled back by d-PP052KRB1`,
      },
    ]);
  });

  test('the verdict query: the judge’s metrics of that version, Maximum, hours long', async () => {
    const h = served();
    await readVerdict(h.clients.region('eu-west-1').cloudwatch, 'ops-test-prod-payments', '47', {
      start: new Date('2026-11-15T11:05:20Z'),
      end: new Date('2026-11-15T12:22:00Z'),
    });
    const [[, input]] = h.calls('cloudwatch');
    const { MetricDataQueries, StartTime, EndTime } = input as {
      MetricDataQueries: { Id: string; MetricStat: Record<string, unknown> }[];
      StartTime: Date;
      EndTime: Date;
    };
    expect(StartTime).toEqual(new Date('2026-11-15T11:05:00Z'));
    expect(EndTime).toEqual(new Date('2026-11-15T13:05:00Z'));
    expect(MetricDataQueries.map((q) => q.Id)).toEqual([
      'verdict',
      'invocations',
      'errors',
      'slow',
      'throttles',
      'evidence',
    ]);
    expect(MetricDataQueries[1].MetricStat).toEqual({
      Metric: {
        Namespace: 'LambdaCanary',
        MetricName: 'JudgedInvocations',
        Dimensions: [
          { Name: 'FunctionName', Value: 'ops-test-prod-payments' },
          { Name: 'Version', Value: '47' },
        ],
      },
      Period: 7200,
      Stat: 'Maximum',
    });
  });

  test('no datapoints: no verdict; CloudWatch refusing: told, and the rest still read', async () => {
    const h = served();
    const { groups } = await readGroups(selection(prod, model), h.deps, window);
    const [quiet] = deploymentsOf(prod, releases.get(30)!, groups);
    const errors: Error[] = [];
    expect((await deploymentDetails(quiet.group, quiet.info, (e) => errors.push(e))).verdict).toBe(
      undefined,
    );
    h.mocks.cloudwatch
      .on(GetMetricDataCommand)
      .rejects(awsError('AccessDenied', 'not authorized to perform: cloudwatch:GetMetricData'));
    const denied = await deploymentDetails(quiet.group, quiet.info, (e) => errors.push(e));
    expect(denied.toVersion).toBeDefined();
    expect(denied.verdict).toBeUndefined();
    expect(errors.map((e) => e.name)).toEqual(['AccessDenied']);
  });
});
