import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Strategy, type DeploymentStrategy } from '../../lib/config/strategy';
import { deploymentConfigFor } from '../../lib/service/deployment-config';
import { defaultApp, template, type DefaultApp } from '../helpers/default-app';

let s: DefaultApp;
const templates: Record<string, Template> = {};

beforeAll(() => {
  s = defaultApp();
  for (const stage of s.stages) {
    templates[stage.stageName] = template(stage.serviceStacks[0]);
  }
});

const expectedConfig: Record<string, string> = {
  dev: 'CodeDeployDefault.LambdaAllAtOnce',
  prod: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
};

describe.each(['dev', 'prod'])('greeter in %s', (stage) => {
  const t = () => templates[stage];
  const service = () => s.model.stages.find((x) => x.name === stage)!.services[0];

  test("deploys with the stage's deployment config", () => {
    t().hasResourceProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: expectedConfig[stage],
      DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
    });
  });

  test('rolls back automatically on failure, stop and alarm, with all three alarms attached', () => {
    const groups = t().findResources('AWS::CodeDeploy::DeploymentGroup');
    const group = Object.values(groups)[0].Properties;
    expect(group.AutoRollbackConfiguration.Enabled).toBe(true);
    expect(new Set(group.AutoRollbackConfiguration.Events)).toEqual(
      new Set(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM']),
    );
    expect(group.AlarmConfiguration.Enabled).toBe(true);
    const alarmIds = Object.keys(t().findResources('AWS::CloudWatch::Alarm'));
    expect(alarmIds).toHaveLength(3);
    expect(
      group.AlarmConfiguration.Alarms.map((a: { Name: { Ref: string } }) => a.Name.Ref).sort(),
    ).toEqual(alarmIds.sort());
  });

  test("alarms watch the live alias with the service's thresholds and ignore missing data", () => {
    const alarms = Object.values(t().findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties,
    );
    const byMetric = Object.fromEntries(alarms.map((a) => [a.MetricName ?? 'ErrorRate', a]));
    expect(Object.keys(byMetric).sort()).toEqual(['Duration', 'ErrorRate', 'Throttles']);
    expect(byMetric.ErrorRate.Threshold).toBe(service().alarms.errorRatePercent);
    expect(byMetric.Duration.Threshold).toBe(service().alarms.p99LatencyMs);
    expect(byMetric.Duration.ExtendedStatistic).toBe('p99');
    expect(byMetric.Throttles.Threshold).toBe(service().alarms.maxThrottles);
    for (const alarm of alarms) {
      expect(alarm.TreatMissingData).toBe('notBreaching');
      const metrics: { Period: number; Dimensions: { Name: string; Value: unknown }[] }[] =
        alarm.Metrics
          ? alarm.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
              (m: { MetricStat: { Metric: object; Period: number } }) => ({
                ...m.MetricStat.Metric,
                Period: m.MetricStat.Period,
              }),
            )
          : [alarm];
      for (const metric of metrics) {
        expect(metric.Period).toBe(60);
        const resource = metric.Dimensions.find((d) => d.Name === 'Resource');
        expect(JSON.stringify(resource!.Value)).toContain(':live');
      }
    }
  });

  test('publishes a retained version behind a live alias that names both hooks', () => {
    t().hasResource('AWS::Lambda::Version', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    const alias = Object.values(t().findResources('AWS::Lambda::Alias'))[0];
    expect(alias.Properties.Name).toBe('live');
    const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
    const fns = t().findResources('AWS::Lambda::Function');
    const pre = Object.keys(fns).find((k) => k.includes('PreTrafficHook'));
    const post = Object.keys(fns).find((k) => k.includes('PostTrafficHook'));
    expect(update.BeforeAllowTrafficHook).toEqual({ Ref: pre });
    expect(update.AfterAllowTrafficHook).toEqual({ Ref: post });
  });

  test('the function runs on Node.js 24 with tracing, JSON logs and a dead-letter queue', () => {
    t().hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: `${s.model.stages.find((x) => x.name === stage)!.prefix}-greeter`,
      Runtime: 'nodejs24.x',
      MemorySize: service().memoryMb,
      Timeout: service().timeoutSeconds,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({ LogFormat: 'JSON' }),
      DeadLetterConfig: { TargetArn: Match.anyValue() },
    });
  });

  test('outputs what the smoke test and an operator need', () => {
    const outputs = t().toJSON().Outputs;
    expect(Object.keys(outputs)).toEqual(
      expect.arrayContaining([
        'GreeterFunctionName',
        'GreeterAliasArn',
        'GreeterDeploymentGroup',
        'GreeterAlarms',
      ]),
    );
  });
});

describe('custom strategies', () => {
  const cases: [DeploymentStrategy, Record<string, unknown>][] = [
    [Strategy.canary(25, 5), { TimeBasedCanary: { CanaryPercentage: 25, CanaryInterval: 5 } }],
    [Strategy.linear(20, 3), { TimeBasedLinear: { LinearPercentage: 20, LinearInterval: 3 } }],
  ];
  test.each(cases)('%j becomes a custom deployment config', (strategy, routing) => {
    const stack = new Stack();
    deploymentConfigFor(stack, strategy);
    deploymentConfigFor(stack, strategy); // shared, not duplicated
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 1);
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
      ComputePlatform: 'Lambda',
      TrafficRoutingConfig: Match.objectLike(routing),
    });
  });

  test('every predefined config is expressible', () => {
    const stack = new Stack();
    const cfg = deploymentConfigFor(stack, Strategy.predefined('LINEAR_10PERCENT_EVERY_1MINUTE'));
    expect(stack.resolve(cfg.deploymentConfigName)).toBe(
      'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
    );
  });
});
