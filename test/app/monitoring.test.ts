import { Match, Template } from 'aws-cdk-lib/assertions';
import type { AppModel } from '../../lib/config/model';
import { MAX_ALARMS_PER_WIDGET } from '../../lib/monitoring/stage-overview-dashboard';
import { healthGateRoleArn } from '../../lib/pipeline/stage-conditions';
import {
  conditionsRoleName,
  fleetAlarmName,
  overviewDashboardName,
  releaseJudgeName,
  serviceBaseName,
  serviceDashboardName,
  stageHealthAlarmName,
  stageTopicName,
} from '../../lib/resource-names';
import { defaultApp, template, type AssembledEnvironment } from '../helpers/default-app';
import { ofType, resourcesOf, statementsOf } from '../helpers/deployed-service';

/**
 * What people and the pipeline watch, in every environment of every stage of the project's own
 * configuration: the topic, the fleet alarms and the stage's health alarm, the role the stage
 * conditions read it with, and the dashboards.
 */
let environments: readonly AssembledEnvironment[];
let pipelineAccount: string;
let model: AppModel;

beforeAll(() => {
  const app = defaultApp();
  environments = app.environments;
  pipelineAccount = app.model.pipelineEnv.account;
  model = app.model;
});

const each = (check: (e: AssembledEnvironment, monitoring: Template) => void) => () => {
  expect(environments.length).toBeGreaterThan(0);
  for (const e of environments) check(e, template(e.monitoringStack));
};

interface Widget {
  type: string;
  properties: { title?: string; alarms?: string[]; metrics?: unknown[][]; markdown?: string };
}

/** A dashboard's widgets, with each reference replaced by its logical id in angle brackets. */
function widgetsOf(body: unknown): Widget[] {
  const text = (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join']
    ? (body as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1]
        .map((p) =>
          typeof p === 'string'
            ? p
            : `<${(p as { Ref?: string; 'Fn::GetAtt'?: string[] }).Ref ?? (p as { 'Fn::GetAtt': string[] })['Fn::GetAtt'].join('.')}>`,
        )
        .join('')
    : String(body);
  return JSON.parse(text).widgets;
}

test(
  "each environment's topic is encrypted with a rotated key and refuses publishing without TLS",
  each(({ stage }, monitoring) => {
    const [[keyId, key]] = ofType(monitoring.toJSON().Resources, 'AWS::KMS::Key');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    const [[topicId, topic]] = ofType(monitoring.toJSON().Resources, 'AWS::SNS::Topic');
    expect(topic.Properties.TopicName).toBe(stageTopicName(stage.prefix));
    expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
          }),
        ]),
      },
    });
    const keyStatements = JSON.stringify(key.Properties.KeyPolicy.Statement);
    expect(keyStatements).toContain('cloudwatch.amazonaws.com');
    expect(keyStatements).toContain('events.amazonaws.com');
  }),
);

/** The fleet alarms of a monitoring stack: every metric alarm but the release judge's own. */
function fleetAlarmsOf(monitoring: Template) {
  return ofType(monitoring.toJSON().Resources, 'AWS::CloudWatch::Alarm').filter(
    ([, a]) => !String(a.Properties.AlarmName).endsWith('-release-judge-errors'),
  );
}

test(
  'each service has a fleet alarm on its whole alias that notifies and is in no deployment group',
  each(({ stage, serviceStacks }, monitoring) => {
    const alarms = fleetAlarmsOf(monitoring);
    const [[topicId]] = ofType(monitoring.toJSON().Resources, 'AWS::SNS::Topic');
    expect(alarms.map(([, a]) => a.Properties.AlarmName).sort()).toEqual(
      stage.services.map((x) => fleetAlarmName(stage.prefix, x.name)).sort(),
    );
    for (const [, alarm] of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      const metrics = alarm.Properties.Metrics.filter(
        (m: { MetricStat?: unknown }) => m.MetricStat,
      );
      for (const m of metrics) {
        const names = m.MetricStat.Metric.Dimensions.map((d: { Name: string }) => d.Name);
        expect(names.sort()).toEqual(['FunctionName', 'Resource']);
      }
    }
    const fleet = new Set(alarms.map(([, a]) => a.Properties.AlarmName));
    for (const stack of serviceStacks) {
      for (const [, group] of ofType(resourcesOf(stack), 'AWS::CodeDeploy::DeploymentGroup')) {
        const names = group.Properties.AlarmConfiguration.Alarms.map(
          (a: { Name: { Ref: string } }) => resourcesOf(stack)[a.Name.Ref].Properties.AlarmName,
        );
        for (const name of names) expect(fleet.has(name)).toBe(false);
      }
    }
  }),
);

test(
  "the stage's health alarm fires when any fleet alarm does, within a composite's 100 children",
  each(({ stage }, monitoring) => {
    const composites = ofType(monitoring.toJSON().Resources, 'AWS::CloudWatch::CompositeAlarm');
    const top = composites.find(
      ([, c]) => c.Properties.AlarmName === stageHealthAlarmName(stage.prefix),
    );
    expect(top).toBeDefined();
    const rule = JSON.stringify(composites.map(([, c]) => c.Properties.AlarmRule));
    for (const [id] of fleetAlarmsOf(monitoring)) expect(rule).toContain(id);
    // The release judge's own errors notify; they say nothing about the services' health.
    expect(rule).not.toContain('ReleaseJudge');
    for (const [, c] of composites) {
      const children = JSON.stringify(c.Properties.AlarmRule).match(/ALARM\(/g) ?? [];
      expect(children.length).toBeLessThanOrEqual(100);
    }
  }),
);

test(
  "the pipeline's account, and only it, may read the health alarm through the conditions role of a stage that bakes",
  each(({ stage, environment }, monitoring) => {
    const roles = ofType(monitoring.toJSON().Resources, 'AWS::IAM::Role').filter(
      ([, r]) => r.Properties.RoleName === conditionsRoleName(stage.prefix, environment.region),
    );
    // No bake, nothing assumes it: no role.
    expect(roles).toHaveLength(stage.bakeMinutes > 0 ? 1 : 0);
    if (roles.length === 0) return;
    const [[, role]] = roles;
    const trust = role.Properties.AssumeRolePolicyDocument.Statement;
    expect(trust).toHaveLength(1);
    expect(trust[0].Action).toBe('sts:AssumeRole');
    expect(JSON.stringify(trust[0].Principal)).toContain(`:iam::${pipelineAccount}:root`);
    // Of that account, the bake function's role only.
    expect(trust[0].Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': healthGateRoleArn(model.pipelineName, model.pipelineEnv) },
    });
    const roleId = ofType(monitoring.toJSON().Resources, 'AWS::IAM::Role').find(
      ([, r]) => r === role,
    )![0];
    const [[, policy]] = ofType(monitoring.toJSON().Resources, 'AWS::IAM::Policy').filter(([, p]) =>
      JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
    );
    const statements = policy.Properties.PolicyDocument.Statement;
    // The history of the health alarm, by its ARN; DescribeAlarms of a composite alarm is
    // authorized only on "*" (the service authorization reference lists no resource for it).
    expect(statements).toHaveLength(2);
    const history = statements.find(
      (s: { Action: string }) => s.Action === 'cloudwatch:DescribeAlarmHistory',
    );
    expect(JSON.stringify(history.Resource)).not.toContain('*');
    const describe = statements.find(
      (s: { Action: string }) => s.Action === 'cloudwatch:DescribeAlarms',
    );
    expect(describe.Resource).toBe('*');
  }),
);

test(
  "release alarms notify the stage's topic, by its name",
  each(({ stage, environment, serviceStacks }) => {
    const topic = `arn:aws:sns:${environment.region}:${environment.account}:${stageTopicName(stage.prefix)}`;
    for (const stack of serviceStacks) {
      const alarms = ofType(resourcesOf(stack), 'AWS::CloudWatch::Alarm');
      expect(alarms.length).toBeGreaterThan(0);
      for (const [, alarm] of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([topic]);
        expect(alarm.Properties.OKActions).toEqual([topic]);
      }
    }
  }),
);

test(
  "a failed or stopped deployment of any of the stage's groups is announced on the topic",
  each(({ stage }, monitoring) => {
    const [[topicId]] = ofType(monitoring.toJSON().Resources, 'AWS::SNS::Topic');
    monitoring.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codedeploy'],
        'detail-type': ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: ['FAILURE', 'STOP'],
          deploymentGroup: stage.services.map((x) => serviceBaseName(stage.prefix, x.name)),
        },
      },
      Targets: [Match.objectLike({ Arn: { Ref: topicId }, DeadLetterConfig: Match.anyValue() })],
    });
  }),
);

test(
  'the overview shows the health and fleet alarms in widgets of at most 100, and one search per graph',
  each(({ stage }, monitoring) => {
    const [[, dashboard]] = ofType(monitoring.toJSON().Resources, 'AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe(overviewDashboardName(stage.prefix));
    const widgets = widgetsOf(dashboard.Properties.DashboardBody);
    const alarmWidgets = widgets.filter((w) => w.type === 'alarm');
    const shown = alarmWidgets.flatMap((w) => w.properties.alarms!);
    // The health alarm, the release judge's errors, and a fleet alarm per service.
    expect(shown).toHaveLength(stage.services.length + 2);
    for (const w of alarmWidgets) {
      expect(w.properties.alarms!.length).toBeLessThanOrEqual(MAX_ALARMS_PER_WIDGET);
    }
    for (const graph of widgets.filter((w) => w.type === 'metric')) {
      expect(graph.properties.metrics).toHaveLength(1);
      expect(JSON.stringify(graph.properties.metrics)).toContain('SEARCH(');
    }
    const text = widgets.find((w) => w.type === 'text')!.properties.markdown!;
    for (const svc of stage.services) {
      expect(text).toContain(`#dashboards:name=${serviceDashboardName(stage.prefix, svc.name)}`);
    }
  }),
);

test(
  'each service has its dashboard: its release alarms, errors against invocations, latency, throttles, versions',
  each(({ stage, serviceStacks }) => {
    for (const stack of serviceStacks) {
      const resources = resourcesOf(stack);
      const dashboards = ofType(resources, 'AWS::CloudWatch::Dashboard');
      const groups = ofType(resources, 'AWS::CodeDeploy::DeploymentGroup');
      expect(dashboards).toHaveLength(groups.length);
      for (const [, dashboard] of dashboards) {
        const name = String(dashboard.Properties.DashboardName);
        expect(stage.services.map((x) => serviceDashboardName(stage.prefix, x.name))).toContain(
          name,
        );
        const widgets = widgetsOf(dashboard.Properties.DashboardBody);
        const titles = widgets.map((w) => w.properties.title);
        expect(titles).toEqual(
          expect.arrayContaining([
            'Errors against invocations',
            'Duration p50 / p90 / p99',
            'Throttles',
            'Invocations by version (canary traffic split)',
          ]),
        );
      }
    }
  }),
);

test(
  "the stage's release judge runs every minute and may read deployments and metrics, and record verdicts",
  each(({ stage }, monitoring) => {
    const resources = monitoring.toJSON().Resources;
    const [[fnId, fn]] = ofType(resources, 'AWS::Lambda::Function');
    expect(fn.Properties.FunctionName).toBe(releaseJudgeName(stage.prefix));
    monitoring.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [fnId, 'Arn'] } })],
    });
    const statements = statementsOf(resources, fnId);
    const actions = statements.flatMap((st) => [st.Action].flat()).sort();
    expect(actions).toEqual(
      [
        'codedeploy:BatchGetDeploymentTargets',
        'codedeploy:BatchGetDeployments',
        'codedeploy:GetDeployment',
        'codedeploy:ListDeploymentTargets',
        'codedeploy:ListDeployments',
        'cloudwatch:GetMetricData',
        'cloudwatch:PutMetricData',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'sqs:SendMessage',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    // It reads its own stage's deployment groups only.
    const groups = statements.find((st) =>
      [st.Action].flat().includes('codedeploy:GetDeployment'),
    )!;
    expect(groups.Resource).toMatch(
      new RegExp(`:codedeploy:[a-z0-9-]+:\\d{12}:deploymentgroup:\\*/${stage.prefix}-\\*$`),
    );
  }),
);

test('every configured address, and no other, is subscribed to each topic', () => {
  const emails = defaultApp().model.notificationEmails;
  for (const e of environments) {
    const subscriptions = ofType(
      template(e.monitoringStack).toJSON().Resources,
      'AWS::SNS::Subscription',
    );
    expect(subscriptions.map(([, x]) => x.Properties.Endpoint).sort()).toEqual([...emails].sort());
  }
});
