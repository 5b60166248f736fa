import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { ApplicationStage } from '../../lib/pipeline/application-stage';
import {
  acknowledgeReviewedWildcards,
  addComplianceChecks,
  readFindings,
  type Finding,
} from '../../lib/compliance/gate';
import { stageEnvironments } from '../../lib/config/model';
import { Strategy } from '../../lib/config/strategy';
import { MonitoringStack } from '../../lib/monitoring/monitoring-stack';
import { FunctionBundles } from '../../lib/service/function-bundles';
import { appModel, fixtureService, stageModel } from '../helpers/model';
import { cdkJsonContext } from '../helpers/project';
import { healthGateRoleArn } from '../../lib/pipeline/stage-conditions';

/**
 * One stage of a fixture model with its monitoring, outside any pipeline, in an App with the gate, with every
 * planted construct in its first service stack: each check's engine starts once, not once per
 * planted case. Each test below reads the findings of its own planted constructs.
 */
describe('constructs planted in a stage stack', () => {
  let thrown: Error | undefined;
  let findings: Finding[];
  /** The findings on a planted construct or its children. */
  const on = (construct: string) =>
    findings.filter((f) => new RegExp(`/${construct}(/|$)`).test(f.path));

  beforeAll(() => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-gate-'));
    const app = new App({ outdir, context: cdkJsonContext() });
    addComplianceChecks(app);
    acknowledgeReviewedWildcards(app);
    const stage = stageModel('live', Strategy.canary(10, 5), [fixtureService('alpha')], {
      requiresApproval: true,
    });
    const model = appModel([stage]);
    const appStage = new ApplicationStage(app, 'live', {
      stage,
      environment: stageEnvironments(stage)[0],
      code: FunctionBundles.build(model, outdir),
    });
    new MonitoringStack(app, 'Monitoring', {
      stage,
      environment: stageEnvironments(stage)[0],
      bakeRoleArn: healthGateRoleArn(model.pipelineName, model.pipelineEnv),
      env: stageEnvironments(stage)[0],
      judgeCode: FunctionBundles.build(model, outdir).judge(stage.name),
    });
    const stack = appStage.serviceStacks[0];
    new Queue(stack, 'PlantedQueue'); // no DLQ, no TLS policy
    new CfnResource(stack, 'PlantedInvalid', {
      type: 'AWS::SQS::Queue',
      properties: { MessageRetentionPeriod: 'not-a-number', NoSuchProperty: true },
    });
    const unreviewed = new Role(stack, 'PlantedRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    unreviewed.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const tracing = new Role(stack, 'TracingRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    tracing.addToPolicy(
      new PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
    );
    try {
      app.synth();
    } catch (error) {
      thrown = error as Error;
    }
    findings = readFindings(outdir);
  });

  test('fail synth, and nothing of the real stage is a finding', () => {
    expect(thrown).toBeDefined();
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(f.path).toMatch(/\/Planted(Queue|Invalid|Role)(\/|$)/);
  });

  test('all three packs check stage stacks: AWS Solutions, Serverless and CloudFormation', () => {
    const plugins = new Set([...on('PlantedQueue'), ...on('PlantedInvalid')].map((f) => f.plugin));
    expect(plugins).toEqual(new Set(['AwsSolutions', 'Serverless', 'CloudFormation Validate']));
  });

  test('a violation planted in a stage stack fails synth and names the rule and the construct', () => {
    expect(on('PlantedQueue').map((f) => f.rule)).toContain('AwsSolutions-SQS3');
    expect(thrown?.message).toMatch(/AwsSolutions-SQS3[\s\S]*PlantedQueue/);
  });

  test('an unreviewed wildcard stays a finding', () => {
    expect(thrown?.message).toMatch(/AwsSolutions-IAM5\[Resource::\*\]/);
    expect(on('PlantedRole').map((f) => f.rule)).toContain('AwsSolutions-IAM5[Resource::*]');
  });

  test('a reviewed wildcard is acknowledged on that one policy, for that one finding', () => {
    expect(on('TracingRole')).toEqual([]);
  });
});
