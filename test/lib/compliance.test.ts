import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { ApplicationStage } from '../../lib/application-stage';
import {
  acknowledgeReviewedWildcards,
  addComplianceChecks,
  readFindings,
} from '../../lib/compliance';
import { loadApp } from '../../lib/config/load';
import { FunctionBundles } from '../../lib/function-bundles';
import { cdkJsonContext, ROOT, synthApp } from '../helpers/synth';

/** An App with the gate, one stage of the real model outside any pipeline, and a hook to plant. */
function stageApp(plant: (stage: ApplicationStage) => void) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-gate-'));
  const app = new App({ outdir, context: cdkJsonContext() });
  addComplianceChecks(app);
  acknowledgeReviewedWildcards(app);
  const model = loadApp(ROOT);
  const stage = new ApplicationStage(app, 'prod', {
    stage: model.stages[1],
    code: FunctionBundles.build(model),
  });
  plant(stage);
  return { app, outdir };
}

test('the whole app, pipeline and every stage stack, has zero unacknowledged findings', () => {
  const s = synthApp(undefined, { gate: true });
  expect(fs.existsSync(path.join(s.outdir, 'validation-report.json'))).toBe(true);
  expect(readFindings(s.outdir)).toEqual([]);
});

test('all three packs check stage stacks: AWS Solutions, Serverless and CloudFormation', () => {
  const { app, outdir } = stageApp((stage) => {
    new Queue(stage.serviceStacks[0], 'PlantedQueue');
    new CfnResource(stage.serviceStacks[0], 'PlantedInvalid', {
      type: 'AWS::SQS::Queue',
      properties: { MessageRetentionPeriod: 'not-a-number', NoSuchProperty: true },
    });
  });
  expect(() => app.synth()).toThrow();
  const plugins = new Set(readFindings(outdir).map((f) => f.plugin));
  expect(plugins).toEqual(new Set(['AwsSolutions', 'Serverless', 'CloudFormation Validate']));
});

test('a violation planted in a stage stack fails synth and names the rule and the construct', () => {
  const { app } = stageApp((stage) => {
    new Queue(stage.serviceStacks[0], 'PlantedQueue'); // no DLQ, no TLS policy
  });
  expect(() => app.synth()).toThrow(/AwsSolutions-SQS3[\s\S]*PlantedQueue/);
});

test('an unreviewed wildcard stays a finding', () => {
  const { app, outdir } = stageApp((stage) => {
    const role = new Role(stage.serviceStacks[0], 'PlantedRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(new PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  });
  expect(() => app.synth()).toThrow(/AwsSolutions-IAM5\[Resource::\*\]/);
  const findings = readFindings(outdir);
  expect(findings.map((f) => f.rule)).toContain('AwsSolutions-IAM5[Resource::*]');
  expect(findings.every((f) => f.path.includes('PlantedRole'))).toBe(true);
});

test('a reviewed wildcard is acknowledged on that one policy, for that one finding', () => {
  const { app, outdir } = stageApp((stage) => {
    const role = new Role(stage.serviceStacks[0], 'TracingRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
        resources: ['*'],
      }),
    );
  });
  expect(() => app.synth()).not.toThrow();
  expect(readFindings(outdir)).toEqual([]);
});
