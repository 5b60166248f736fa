import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentTargetsCommand,
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { mockClient } from 'aws-sdk-client-mock';
import type { JudgedService } from '../../../runtime/judge/judge-config';
import { createScheduledJudge } from '../../../runtime/judge/scheduled-judge';
import { recordingLogger } from '../support';

const codedeploy = mockClient(CodeDeployClient);
const cloudwatch = mockClient(CloudWatchClient);

const policy = {
  errorRatePercent: 1,
  baselineErrorRatePercent: 0.1,
  p99LatencyMs: 800,
  confidencePercent: 99,
  powerPercent: 90,
  compareToBaseline: true,
  requireVerdict: true,
};
const service = (name: string): JudgedService => ({
  functionName: `app-prod-${name}`,
  deploymentGroup: `app-prod-${name}`,
  alias: 'live',
  policy,
});
const minute = (m: number) => Date.UTC(2026, 11, 4, 10, m);

/** Two deployments of this stage in progress (one still before its shift) and one of another. */
function deployments(): void {
  codedeploy
    .on(ListDeploymentsCommand)
    .resolvesOnce({ deployments: ['d-1', 'd-2'], nextToken: 'page-2' })
    .resolvesOnce({ deployments: ['d-3'] });
  codedeploy.on(BatchGetDeploymentsCommand).resolves({
    deploymentsInfo: [
      { deploymentId: 'd-1', deploymentGroupName: 'app-prod-orders' },
      { deploymentId: 'd-2', deploymentGroupName: 'other-app-orders' },
      {
        deploymentId: 'd-3',
        deploymentGroupName: 'app-prod-greeter',
        createTime: new Date(minute(9)),
      },
    ],
  });
  codedeploy
    .on(GetDeploymentCommand)
    .resolves({ deploymentInfo: { createTime: new Date(minute(9)) } });
  codedeploy
    .on(ListDeploymentTargetsCommand)
    .callsFake(({ deploymentId }) => Promise.resolve({ targetIds: [`${deploymentId}-target`] }));
  codedeploy.on(BatchGetDeploymentTargetsCommand).callsFake(({ deploymentId }) =>
    Promise.resolve({
      deploymentTargets: [
        {
          lambdaTarget: {
            lambdaFunctionInfo: {
              functionName: deploymentId === 'd-1' ? 'app-prod-orders' : 'app-prod-greeter',
              targetVersion: deploymentId === 'd-1' ? '12' : '3',
            },
            lifecycleEvents:
              deploymentId === 'd-1'
                ? [{ lifecycleEventName: 'AllowTraffic', startTime: new Date(minute(2) + 20_000) }]
                : [{ lifecycleEventName: 'AllowTraffic' }],
          },
        },
      ],
    }),
  );
}

beforeEach(() => {
  codedeploy.reset();
  cloudwatch.reset();
  cloudwatch.on(PutMetricDataCommand).resolves({});
});

describe('the scheduled judge', () => {
  it("judges the stage's releases in progress and records a verdict for each, every minute", async () => {
    deployments();
    // Every minute the new version of orders served 20 calls, 5 of which failed.
    cloudwatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) =>
      Promise.resolve({
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
          const minutes = [2, 3, 4, 5, 6].map((m) => new Date(minute(m)));
          const value = q.Id?.endsWith('Errors')
            ? 5
            : q.Id?.endsWith('Fast')
              ? 100
              : q.Id?.endsWith('Throttles')
                ? 0
                : 20;
          return { Id: q.Id, Timestamps: minutes, Values: minutes.map(() => value) };
        }),
      }),
    );
    const { logger, lines } = recordingLogger();
    const run = createScheduledJudge({
      codedeploy: codedeploy as unknown as CodeDeployClient,
      cloudwatch: cloudwatch as unknown as CloudWatchClient,
      services: [service('orders'), service('greeter')],
      now: () => minute(10) + 5_000,
      logger,
    });

    const result = await run();

    expect(result.failed).toEqual([]);
    expect(result.judged.map((j) => [j.service, j.version, j.verdict.decision])).toEqual([
      ['app-prod-orders', '12', 'roll-back'],
      ['app-prod-greeter', '3', 'inconclusive'],
    ]);
    // It read the minutes from the shift's start (10:02) to those CloudWatch holds at 10:10.
    const read = cloudwatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(read.EndTime).toEqual(new Date(minute(7)));
    expect(read.MetricDataQueries).toHaveLength(9);
    const datums = cloudwatch.commandCalls(PutMetricDataCommand)[0].args[0].input;
    expect(datums.Namespace).toBe('LambdaCanary');
    const verdicts = datums.MetricData?.filter((d) => d.MetricName === 'Verdict');
    expect(verdicts?.map((d) => [d.Dimensions, d.Value])).toEqual([
      [
        [
          { Name: 'FunctionName', Value: 'app-prod-orders' },
          { Name: 'Version', Value: '12' },
        ],
        1,
      ],
      [
        [
          { Name: 'FunctionName', Value: 'app-prod-greeter' },
          { Name: 'Version', Value: '3' },
        ],
        0,
      ],
    ]);
    expect(lines.find((l) => l.level === 'warn')?.extra.reason).toMatch(
      /^roll back: 25 of 100 calls failed \(25%\)/,
    );
  });

  it('does nothing when no deployment of its stage is in progress', async () => {
    codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    const run = createScheduledJudge({
      codedeploy: codedeploy as unknown as CodeDeployClient,
      cloudwatch: cloudwatch as unknown as CloudWatchClient,
      services: [service('orders')],
    });
    expect(await run()).toEqual({ judged: [], failed: [] });
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(0);
  });

  it('judges the others, then fails loudly, when one deployment cannot be read', async () => {
    deployments();
    codedeploy
      .on(ListDeploymentTargetsCommand, { deploymentId: 'd-3' })
      .rejects(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    cloudwatch.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { logger, lines } = recordingLogger();
    const run = createScheduledJudge({
      codedeploy: codedeploy as unknown as CodeDeployClient,
      cloudwatch: cloudwatch as unknown as CloudWatchClient,
      services: [service('orders'), service('greeter')],
      now: () => minute(10),
      logger,
    });
    await expect(run()).rejects.toThrow(
      'could not judge 1 deployment(s): d-3: CodeDeploy ListDeploymentTargets for d-3 failed: ThrottlingException: slow down',
    );
    expect(cloudwatch.commandCalls(PutMetricDataCommand)).toHaveLength(1);
    expect(lines.some((l) => l.message === 'could not judge a deployment')).toBe(true);
  });
});
