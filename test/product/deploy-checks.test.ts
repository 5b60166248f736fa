import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnOutput, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { LIMITS } from '../../lib/compliance/aws-limits';
import { CYCLE_RULE, DEPLOY_CHECKS } from '../../lib/compliance/deploy-checks-plugin';
import { addComplianceChecks, readFindings, type Finding } from '../../lib/compliance/gate';

/**
 * One breach of every kind the deploy checks know, planted in plain stacks of an App behind the
 * whole gate, as `cdk synth` would run it. Each must come back as a finding of the gate that
 * names the count, the limit and the fix.
 */
let findings: Finding[];
let thrown: unknown;

const handle = (scope: Stack, id: string) =>
  new CfnResource(scope, id, { type: 'AWS::CloudFormation::WaitConditionHandle' });

beforeAll(() => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-checks-'));
  // The CDK's own resource-count check would stop synth before the gate could measure.
  const app = new App({ outdir, context: { '@aws-cdk/core:stackResourceLimit': 0 } });
  addComplianceChecks(app);
  const env = { account: '123456789012', region: 'eu-west-1' };

  const cycle = new Stack(app, 'Cycle', { env });
  handle(cycle, 'Alpha').addOverride('DependsOn', ['Beta']);
  handle(cycle, 'Beta').addOverride('Properties.Target', { Ref: 'Alpha' });

  const big = new Stack(app, 'Big', { env });
  for (let i = 0; i <= 500; i++) handle(big, `H${i}`);
  for (let i = 0; i <= 200; i++) new CfnOutput(big, `O${i}`, { value: `v${i}` });
  for (let i = 0; i <= 200; i++) new CfnParameter(big, `P${i}`, { default: 'x' });

  const heavy = new Stack(app, 'Heavy', { env });
  handle(heavy, 'Blob').addOverride('Metadata.Blob', 'x'.repeat(1_100_000));

  const other = new Stack(app, 'Other', { env });
  new CfnResource(other, 'Fn', {
    type: 'AWS::Lambda::Function',
    properties: {
      FunctionName: 'f'.repeat(65),
      Environment: { Variables: { BIG: 'v'.repeat(4100) } },
    },
  });
  const action = (name: string, extra: object = {}) => ({
    Name: name,
    ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
    Configuration: { ProjectName: 'p' },
    ...extra,
  });
  new CfnResource(other, 'Pipeline', {
    type: 'AWS::CodePipeline::Pipeline',
    properties: {
      Stages: [
        { Name: 'Wide', Actions: Array.from({ length: 51 }, (_, i) => action(`A${i}`)) },
        {
          Name: 'Odd',
          Actions: [
            action('Long', { Configuration: { EnvironmentVariables: 'e'.repeat(1001) } }),
            action('n'.repeat(101)),
            action('Ns1', { Namespace: 'shared' }),
            action('Ns2', { Namespace: 'shared' }),
          ],
        },
      ],
    },
  });
  const metrics = (n: number) =>
    Array.from({ length: n }, (_, i) => ['AWS/Lambda', 'Errors', 'FunctionName', `f${i}`]);
  new CfnResource(other, 'Dashboard', {
    type: 'AWS::CloudWatch::Dashboard',
    properties: {
      DashboardBody: JSON.stringify({
        widgets: [
          {
            type: 'alarm',
            properties: {
              title: 'All alarms',
              alarms: Array.from({ length: 101 }, (_, i) => `arn:a${i}`),
            },
          },
          { type: 'metric', properties: { title: 'Crowded', metrics: metrics(501) } },
          ...Array.from({ length: 5 }, (_, i) => ({
            type: 'metric',
            properties: { title: `W${i}`, metrics: metrics(450) },
          })),
        ],
      }),
    },
  });
  new CfnResource(other, 'Role', {
    type: 'AWS::IAM::Role',
    properties: { AssumeRolePolicyDocument: { Statement: [] } },
  });
  new CfnResource(other, 'Policy', {
    type: 'AWS::IAM::Policy',
    properties: {
      PolicyName: 'big',
      Roles: [{ Ref: 'Role' }],
      PolicyDocument: {
        Statement: Array.from({ length: 120 }, (_, i) => ({
          Effect: 'Allow',
          Action: 'lambda:InvokeFunction',
          Resource: `arn:aws:lambda:eu-west-1:123456789012:function:some-long-function-name-${i}:live`,
        })),
      },
    },
  });
  try {
    app.synth();
  } catch (e) {
    thrown = e;
  }
  findings = readFindings(outdir).filter((f) => f.plugin === DEPLOY_CHECKS);
});

const of = (rule: string) => findings.filter((f) => f.rule === rule);

test('fails synth', () => {
  expect(String(thrown)).toMatch(/ValidationFailed/);
});

test('a dependency cycle is a finding that names the resources in the loop', () => {
  const [cycle] = of(CYCLE_RULE);
  expect(cycle.description).toContain('dependency cycle Alpha → Beta → Alpha');
  expect(cycle.path).toMatch(/^Cycle\/(Alpha|Beta)$/);
  expect(cycle.fix).toMatch(/Break the loop/);
});

test.each([
  [LIMITS.resources, '501 / 500', 'Big'],
  [LIMITS.outputs, '201 / 200', 'Big'],
  [LIMITS.parameters, '202 / 200', 'Big'], // and the CDK's BootstrapVersion
  [LIMITS.templateBytes, '/ 1,048,576', 'Heavy'],
  [LIMITS.lambdaEnvironment, '4,103 / 4,096', 'Other/Fn'],
  [LIMITS.functionName, '65 / 64', 'Other/Fn'],
  [LIMITS.actionsPerStage, '(stage Wide) is 51 / 50', 'Other/Pipeline'],
  [
    LIMITS.actionConfiguration,
    '(Odd/Long EnvironmentVariables) is 1,001 / 1,000',
    'Other/Pipeline',
  ],
  [LIMITS.actionName, 'is 101 / 100', 'Other/Pipeline'],
  [LIMITS.namespaces, '(namespace shared) is 2 / 1', 'Other/Pipeline'],
  [LIMITS.alarmWidget, ': All alarms) is 101 / 100', 'Other/Dashboard'],
  [LIMITS.widgetMetrics, ': Crowded) is 501 / 500', 'Other/Dashboard'],
  [LIMITS.dashboardMetrics, '2,751 / 2,500', 'Other/Dashboard'],
  [LIMITS.rolePolicy, '/ 10,240', 'Other/Role'],
])('%j over its limit is a finding with the count, the limit and the fix', (rule, count, where) => {
  const found = of(rule.id);
  expect(found.length).toBeGreaterThan(0);
  expect(found[0].description).toContain(rule.what);
  expect(found[0].description).toContain(count);
  expect(found[0].fix).toBe(rule.fix);
  expect(found[0].path.startsWith(where)).toBe(true);
});

test('nothing within its limits is a finding', () => {
  const rules = findings.filter((f) => f.path.startsWith('Cycle/')).map((f) => f.rule);
  expect([...new Set(rules)]).toEqual([CYCLE_RULE]);
});
