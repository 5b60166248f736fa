import * as fs from 'fs';
import * as path from 'path';
import type { Template } from 'aws-cdk-lib/assertions';
import type { ServiceModel } from '../../lib/config/model';
import { constructId, defaultApp, template, type DefaultApp } from '../helpers/default-app';

type Statement = { Action: string | string[]; Resource: unknown; Effect: string };

let s: DefaultApp;
const cases: [string, ServiceModel, Template][] = [];

beforeAll(() => {
  s = defaultApp();
  for (const stage of s.stages) {
    const services = s.model.stages.find((x) => x.name === stage.stageName)!.services;
    for (const stack of stage.serviceStacks) {
      const inStack = services.filter((x) => x.stack === constructId(stack));
      expect(inStack).toHaveLength(1); // the default config keeps one service per stack
      cases.push([stage.stageName, inStack[0], template(stack)]);
    }
  }
});

/** The statements of every policy attached to the role of the function `fnId`. */
function statementsOf(t: Template, fnId: string): Statement[] {
  const fn = t.toJSON().Resources[fnId];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return Object.values(t.findResources('AWS::IAM::Policy'))
    .filter((p) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

function idOf(t: Template, type: string, contains = ''): string {
  const ids = Object.keys(t.findResources(type)).filter((k) => k.includes(contains));
  expect(ids).toHaveLength(1);
  return ids[0];
}

test('there is at least one service stack per stage', () => {
  expect(new Set(cases.map(([stage]) => stage))).toEqual(
    new Set(s.model.stages.map((x) => x.name)),
  );
});

test('every alias under CodeDeploy names a pre- and a post-traffic hook', () => {
  for (const [, , t] of cases) {
    const aliases = Object.values(t.findResources('AWS::Lambda::Alias'));
    expect(aliases.length).toBeGreaterThan(0);
    for (const alias of aliases) {
      const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
      expect(update.BeforeAllowTrafficHook.Ref).toMatch(/PreTrafficHook/);
      expect(update.AfterAllowTrafficHook.Ref).toMatch(/PostTrafficHook/);
    }
  }
});

test('the pre-traffic hook may invoke only the new version, the post-traffic hook only the alias', () => {
  for (const [, , t] of cases) {
    const version = idOf(t, 'AWS::Lambda::Version');
    const alias = idOf(t, 'AWS::Lambda::Alias');
    const pre = idOf(t, 'AWS::Lambda::Function', 'PreTrafficHook');
    const post = idOf(t, 'AWS::Lambda::Function', 'PostTrafficHook');
    const invokes = (fn: string) =>
      statementsOf(t, fn).filter((st) => [st.Action].flat().some((a) => a.startsWith('lambda:')));
    expect(invokes(pre)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: version } },
    ]);
    // The alias ARN as a string: a Ref to the alias would close a cycle through its UpdatePolicy.
    const fnName = t.toJSON().Resources[alias].Properties.FunctionName.Ref;
    const name = t.toJSON().Resources[fnName].Properties.FunctionName;
    expect(invokes(post)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        Effect: 'Allow',
        Resource: expect.stringMatching(
          new RegExp(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\\d{12}:function:${name}:live$`),
        ),
      },
    ]);
  }
});

test('each hook reports only to its own deployment group', () => {
  for (const [, , t] of cases) {
    const group = idOf(t, 'AWS::CodeDeploy::DeploymentGroup');
    for (const hook of ['PreTrafficHook', 'PostTrafficHook']) {
      const reports = statementsOf(t, idOf(t, 'AWS::Lambda::Function', hook)).filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('codedeploy:')),
      );
      expect(reports).toHaveLength(1);
      expect(reports[0].Action).toBe('codedeploy:PutLifecycleEventHookExecutionStatus');
      expect(JSON.stringify(reports[0].Resource)).toContain(`"Ref":"${group}"`);
      expect(JSON.stringify(reports[0].Resource)).not.toContain('*');
    }
  }
});

test('no hook or service role has Resource "*" beyond X-Ray tracing', () => {
  for (const [, , t] of cases) {
    for (const fn of Object.keys(t.findResources('AWS::Lambda::Function'))) {
      for (const st of statementsOf(t, fn)) {
        if (JSON.stringify(st.Resource) === '"*"') {
          expect([st.Action].flat().sort()).toEqual([
            'xray:PutTelemetryRecords',
            'xray:PutTraceSegments',
          ]);
        }
      }
    }
  }
});

test('hooks run the service checks against the right qualifier, with a timeout in minutes', () => {
  for (const [, service, t] of cases) {
    const version = idOf(t, 'AWS::Lambda::Version');
    const fns = t.toJSON().Resources;
    const env = (hook: string) =>
      fns[idOf(t, 'AWS::Lambda::Function', hook)].Properties.Environment.Variables;
    expect(env('PreTrafficHook').TARGET_QUALIFIER).toEqual({ 'Fn::GetAtt': [version, 'Version'] });
    expect(env('PostTrafficHook').TARGET_QUALIFIER).toBe('live');
    for (const hook of ['PreTrafficHook', 'PostTrafficHook']) {
      const code = fns[idOf(t, 'AWS::Lambda::Function', hook)].Properties.Code;
      const asset = path.join(s.outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
      expect(JSON.parse(fs.readFileSync(path.join(asset, 'checks.json'), 'utf8'))).toEqual(
        service.checks,
      );
      expect(env(hook).SYNTHETIC_CHECKS).toBeUndefined();
      expect(env(hook).HOOK_PHASE).toBe(hook === 'PreTrafficHook' ? 'pre-traffic' : 'post-traffic');
      const timeout = fns[idOf(t, 'AWS::Lambda::Function', hook)].Properties.Timeout;
      expect(timeout).toBeGreaterThanOrEqual(60);
      expect(timeout).toBeLessThanOrEqual(300);
    }
  }
});
