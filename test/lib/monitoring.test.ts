import { stageEnvironments } from '../../lib/config/model';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import {
  acknowledgeReviewedWildcards,
  addComplianceChecks,
  readFindings,
} from '../../lib/compliance/gate';
import { MonitoringStack } from '../../lib/monitoring/monitoring-stack';
import {
  ALARM_KINDS,
  alarmName,
  monitoringStackName,
  overviewDashboardName,
  SERVICE_OUTPUTS,
  serviceBaseName,
  serviceDashboardName,
  serviceOutputKey,
  serviceStackName,
  stageTopicName,
} from '../../lib/resource-names';
import { constructId, defaultApp, template, type DefaultApp } from '../helpers/default-app';
import { cdkJsonContext } from '../helpers/project';

let s: DefaultApp;
/** Per stage: the monitoring stack's template and each service stack's template by service. */
const stages: {
  name: string;
  prefix: string;
  services: string[];
  monitoring: Template;
  serviceTemplates: Map<string, Template>;
}[] = [];
let pipeline: Template;

beforeAll(() => {
  s = defaultApp();
  for (const stage of s.stages) {
    // A service stack's id is its service's name.
    stages.push({
      name: stage.stageName,
      prefix: s.model.stages.find((m) => m.name === stage.stageName)!.prefix,
      services: stage.serviceStacks.map(constructId),
      monitoring: template(stage.monitoringStack),
      serviceTemplates: new Map(
        stage.serviceStacks.map((st) => [constructId(st), template(st)] as const),
      ),
    });
  }
  pipeline = template(s.pipelineStack);
});

const each = (fn: (stage: (typeof stages)[number]) => void) => () => stages.forEach(fn);

/** The one resource of a type in a template, with its logical id. */
function only(t: Template, type: string) {
  const found = Object.entries(t.findResources(type));
  expect(found).toHaveLength(1);
  return found[0];
}

interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly alarms?: string[];
    readonly metrics?: unknown[][];
    readonly annotations?: { horizontal: { value: number }[] };
  };
}

/** A dashboard body with its tokens rendered as `<Ref>`/`<GetAtt>` placeholders, parsed. */
function dashboardBody(resource: ReturnType<typeof only>[1]): { widgets: Widget[] } {
  const body = resource.Properties.DashboardBody;
  const text =
    typeof body === 'string'
      ? body
      : (body['Fn::Join'][1] as unknown[])
          .map((part) =>
            typeof part === 'string'
              ? part
              : 'Ref' in (part as object)
                ? `<${(part as { Ref: string }).Ref}>`
                : `<${(part as { 'Fn::GetAtt': string[] })['Fn::GetAtt'].join('.')}>`,
          )
          .join('');
  return JSON.parse(text);
}

describe('stage layout', () => {
  test('each stage deploys its monitoring stack first, then one stack per service', () => {
    // Besides stacks, a stack depends on its asset manifest.
    const stacksBefore = (st: CloudFormationStackArtifact) =>
      st.dependencies.filter((d) => d instanceof CloudFormationStackArtifact);
    for (const stage of s.stages) {
      const model = s.model.stages.find((m) => m.name === stage.stageName)!;
      expect(stage.monitoringStack.stackName).toBe(monitoringStackName(model.prefix));
      expect(stage.serviceStacks.map((st) => st.stackName)).toEqual(
        model.services.map((svc) => serviceStackName(model.prefix, svc.name)),
      );
      for (const st of stage.serviceStacks) {
        expect(stacksBefore(st)).toContain(stage.monitoringStack);
      }
      expect(stacksBefore(stage.monitoringStack)).toEqual([]);
    }
  });

  test(
    'service stacks output what npm run ops reads, under the keys it reads',
    each((stage) => {
      for (const [service, t] of stage.serviceTemplates) {
        const outputs = t.toJSON().Outputs;
        for (const output of SERVICE_OUTPUTS) {
          expect(outputs).toHaveProperty(serviceOutputKey(service, output));
        }
        // Alarms: the alarms' names (Ref of an alarm is its name), comma-separated.
        const alarmNames = t.findResources('AWS::CloudWatch::Alarm');
        const parts = outputs[serviceOutputKey(service, 'Alarms')].Value[
          'Fn::Join'
        ][1] as unknown[];
        const named = parts
          .map((p) =>
            typeof p === 'string' ? p : alarmNames[(p as { Ref: string }).Ref].Properties.AlarmName,
          )
          .join('');
        expect(named).toBe(ALARM_KINDS.map((k) => alarmName(stage.prefix, service, k)).join(','));
      }
    }),
  );
});

describe('notifications', () => {
  test(
    "each stage's topic is encrypted with a rotated key and refuses publishing without TLS",
    each(({ prefix, monitoring }) => {
      const [keyId, key] = only(monitoring, 'AWS::KMS::Key');
      expect(key.Properties.EnableKeyRotation).toBe(true);
      const [topicId, topic] = only(monitoring, 'AWS::SNS::Topic');
      expect(topic.Properties.TopicName).toBe(stageTopicName(prefix));
      expect(topic.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      monitoring.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowPublishThroughSSLOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: { Ref: topicId },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({
                StringEquals: { 'aws:SourceAccount': Match.anyValue() },
              }),
            }),
          ]),
        },
      });
      // CloudWatch (alarms) and EventBridge (rules) may encrypt messages with the key.
      const keyStatements = JSON.stringify(key.Properties.KeyPolicy.Statement);
      expect(keyStatements).toContain('cloudwatch.amazonaws.com');
      expect(keyStatements).toContain('events.amazonaws.com');
    }),
  );

  test(
    'every alarm notifies the stage topic on ALARM and on OK',
    each(({ prefix, monitoring, serviceTemplates }) => {
      const [topicId] = only(monitoring, 'AWS::SNS::Topic');
      const monitoringOutputs = monitoring.toJSON().Outputs as Record<string, { Value: unknown }>;
      /** An alarm action, resolved through the cross-stack reference to a monitoring output. */
      const resolve = (action: Record<string, { StackName?: string; OutputName?: string }>) => {
        const ref = action['Fn::GetStackOutput'] ?? action['Fn::ImportValue'];
        expect(ref).toBeDefined();
        if (ref.StackName) expect(ref.StackName).toBe(monitoringStackName(prefix));
        const output = Object.entries(monitoringOutputs).find(
          ([key, o]) =>
            key === ref.OutputName || (o as { Export?: { Name: string } }).Export?.Name === ref,
        );
        return output?.[1].Value;
      };
      for (const t of serviceTemplates.values()) {
        const alarms = Object.values(t.findResources('AWS::CloudWatch::Alarm'));
        expect(alarms).toHaveLength(ALARM_KINDS.length);
        for (const alarm of alarms) {
          expect(alarm.Properties.AlarmActions).toHaveLength(1);
          expect(alarm.Properties.OKActions).toHaveLength(1);
          expect(resolve(alarm.Properties.AlarmActions[0])).toEqual({ Ref: topicId });
          expect(resolve(alarm.Properties.OKActions[0])).toEqual({ Ref: topicId });
        }
      }
    }),
  );

  test(
    "a failed or stopped deployment of any of the stage's groups is announced on the topic",
    each(({ name, prefix, services, monitoring }) => {
      const [topicId] = only(monitoring, 'AWS::SNS::Topic');
      const [queueId] = only(monitoring, 'AWS::SQS::Queue');
      const [, rule] = only(monitoring, 'AWS::Events::Rule');
      expect(rule.Properties.EventPattern).toEqual({
        source: ['aws.codedeploy'],
        'detail-type': ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: ['FAILURE', 'STOP'],
          deploymentGroup: services.map((svc) => serviceBaseName(prefix, svc)),
        },
      });
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { Ref: topicId },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
          InputTransformer: expect.objectContaining({
            InputPathsMap: expect.objectContaining({
              'detail-deploymentId': '$.detail.deploymentId',
              'detail-state': '$.detail.state',
            }),
          }),
        }),
      ]);
      expect(rule.Properties.Targets[0].InputTransformer.InputTemplate).toContain(
        `npm run ops -- status --stage ${name}`,
      );
    }),
  );

  test('the pipeline tells its own topic about failed executions and pending approvals', () => {
    const [pipelineId] = only(pipeline, 'AWS::CodePipeline::Pipeline');
    const topicId = Object.keys(pipeline.findResources('AWS::SNS::Topic'))[0];
    pipeline.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: `${s.model.pipelineName}-pipeline-notifications`,
      KmsMasterKeyId: Match.anyValue(),
    });
    pipeline.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    const pipelineArn = {
      'Fn::Join': [
        '',
        Match.arrayWith([Match.stringLikeRegexp(':codepipeline:'), { Ref: pipelineId }]),
      ],
    };
    const target = Match.objectLike({
      Arn: { Ref: topicId },
      DeadLetterConfig: Match.anyValue(),
      InputTransformer: Match.anyValue(),
    });
    pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codepipeline'],
        resources: [pipelineArn],
        'detail-type': ['CodePipeline Pipeline Execution State Change'],
        detail: { state: ['FAILED'] },
      },
      Targets: [target],
    });
    pipeline.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.codepipeline'],
        resources: [pipelineArn],
        'detail-type': ['CodePipeline Action Execution State Change'],
        detail: { state: ['STARTED'], type: { category: ['Approval'] } },
      },
      Targets: [target],
    });
  });

  test('no e-mail subscriptions unless the config names addresses', () => {
    expect(s.model.notificationEmails).toEqual([]);
    for (const { monitoring } of stages) monitoring.resourceCountIs('AWS::SNS::Subscription', 0);
    pipeline.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('configured addresses are subscribed with a dead-letter queue, and pass the gate', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-emails-'));
    const app = new App({
      outdir,
      context: cdkJsonContext(),
    });
    addComplianceChecks(app);
    acknowledgeReviewedWildcards(app);
    const model = s.model.stages[s.model.stages.length - 1];
    const stack = new MonitoringStack(app, 'Monitoring', {
      env: stageEnvironments(model)[0],
      stage: model,
      notificationEmails: ['oncall@example.com', 'team@example.com'],
    });
    app.synth();
    expect(readFindings(outdir)).toEqual([]);
    const t = Template.fromStack(stack);
    const [queueId] = only(t, 'AWS::SQS::Queue');
    for (const email of ['oncall@example.com', 'team@example.com']) {
      t.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: email,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [queueId, 'Arn'] } },
      });
    }
  });
});

describe('dashboards', () => {
  test(
    'each service has a dashboard: alarms, errors against invocations, p50/p90/p99, throttles, concurrency',
    each(({ name, prefix, serviceTemplates }) => {
      for (const [service, t] of serviceTemplates) {
        const [, dashboard] = only(t, 'AWS::CloudWatch::Dashboard');
        expect(dashboard.Properties.DashboardName).toBe(serviceDashboardName(prefix, service));
        const { widgets } = dashboardBody(dashboard);
        const byTitle = new Map(widgets.map((w) => [w.properties.title, w.properties]));

        const alarmIds = Object.keys(t.findResources('AWS::CloudWatch::Alarm'));
        const alarmWidget = widgets.find((w) => w.type === 'alarm')!;
        expect(alarmWidget.properties.alarms!.sort()).toEqual(
          alarmIds.map((id) => `<${id}.Arn>`).sort(),
        );

        const fn = serviceBaseName(prefix, service);
        const onAlias = ['FunctionName', fn, 'Resource', `${fn}:live`];
        const metricsOf = (title: string) => byTitle.get(title)!.metrics as unknown[][];
        const errors = metricsOf('Errors against invocations');
        expect(errors.slice(0, 2).map((m) => m.slice(0, 6))).toEqual([
          ['AWS/Lambda', 'Invocations', ...onAlias],
          ['AWS/Lambda', 'Errors', ...onAlias],
        ]);
        expect(JSON.stringify(errors[2])).toContain('100 * errors_');
        const durations = metricsOf('Duration p50 / p90 / p99');
        expect(durations.map((m) => (m[6] as { stat: string }).stat)).toEqual([
          'p50',
          'p90',
          'p99',
        ]);
        expect(metricsOf('Throttles')[0].slice(0, 6)).toEqual([
          'AWS/Lambda',
          'Throttles',
          ...onAlias,
        ]);
        expect(metricsOf('Concurrent executions')[0].slice(0, 4)).toEqual([
          'AWS/Lambda',
          'ConcurrentExecutions',
          'FunctionName',
          fn,
        ]);
        // Each threshold that rolls a deployment back is drawn on its graph.
        const model = s.model.stages
          .find((m) => m.name === name)!
          .services.find((m) => m.name === service)!;
        expect(byTitle.get('Duration p50 / p90 / p99')!.annotations!.horizontal[0].value).toBe(
          model.alarms.p99LatencyMs,
        );
        expect(byTitle.get('Throttles')!.annotations!.horizontal[0].value).toBe(
          model.alarms.maxThrottles,
        );
        expect(
          JSON.stringify(metricsOf('Invocations by version (canary traffic split)')),
        ).toContain(`SEARCH('{AWS/Lambda,ExecutedVersion,FunctionName,Resource}`);
      }
    }),
  );

  test(
    "each stage's overview charts every service and shows every alarm, by name",
    each(({ prefix, services, monitoring }) => {
      const [, dashboard] = only(monitoring, 'AWS::CloudWatch::Dashboard');
      expect(dashboard.Properties.DashboardName).toBe(overviewDashboardName(prefix));
      const { widgets } = dashboardBody(dashboard);

      const alarms = widgets.find((w) => w.type === 'alarm')!.properties.alarms as string[];
      const expected = services.flatMap((svc) => ALARM_KINDS.map((k) => alarmName(prefix, svc, k)));
      expect(alarms.map((arn) => arn.slice(arn.lastIndexOf(':alarm:') + 7))).toEqual(expected);

      const graphs = widgets.filter((w) => w.type === 'metric');
      expect(graphs.map((g) => g.properties.title)).toEqual([
        'Invocations per minute',
        'Errors per minute',
        'Error rate %',
        'Duration p99 (ms)',
        'Throttles per minute',
        'Concurrent executions',
      ]);
      for (const graph of graphs) {
        const options = (graph.properties.metrics as unknown[][]).map(
          (m) => m[m.length - 1] as { label?: string; visible?: boolean },
        );
        const labels = options.filter((o) => o.visible !== false).map((o) => o.label);
        expect(labels).toEqual(services);
      }
      const text = widgets.find((w) => w.type === 'text')!.properties.markdown as string;
      for (const svc of services) {
        expect(text).toContain(`#dashboards:name=${serviceDashboardName(prefix, svc)}`);
      }
      // Built from names only: the overview references no other stack.
      expect(JSON.stringify(dashboard)).not.toMatch(/Fn::GetStackOutput|Fn::ImportValue/);
    }),
  );
});
