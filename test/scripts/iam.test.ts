import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readIamApp, type IamApp, type Statement } from '../../scripts/iam/app';
import { checkApp, type Finding } from '../../scripts/iam/check';
import { parseIamArgs } from '../../scripts/iam/cli';
import { roleExpectations, type RoleExpectation } from '../../scripts/iam/expectations';
import { ResolvingStack, UnresolvableError } from '../../scripts/iam/resolve';
import { defaultApp } from '../helpers/default-app';

/**
 * The IAM check fails on each kind of defect, planted in the project's synthesized policies:
 * a grant missing, a grant on another service's resource, a wildcard where one alias belongs.
 */
jest.setTimeout(120_000);

let app: IamApp;
let post: RoleExpectation;
beforeAll(() => {
  const assembled = defaultApp();
  app = readIamApp(assembled.outdir);
  post = roleExpectations(assembled.model, app).find((e) => e.kind === 'post-traffic hook')!;
});

/** The app with the statements of one role's policies changed by `change`. */
function planted(roleArn: string, change: (s: Statement) => Statement | undefined): IamApp {
  const role = app.roles.get(roleArn)!;
  const policies = role.policies.map((p) => ({
    ...p,
    document: {
      ...p.document,
      Statement: p.document.Statement.flatMap((s) => {
        const changed = change(s);
        return changed ? [changed] : [];
      }),
    },
  }));
  return { ...app, roles: new Map([...app.roles, [roleArn, { ...role, policies }]]) };
}

const invokes = (s: Statement, resource: string) =>
  [s.Action].flat().includes('lambda:InvokeFunction') && [s.Resource].flat().includes(resource);

async function findingsOf(changed: IamApp): Promise<Finding[]> {
  const { findings } = await checkApp(defaultApp().model, changed);
  return findings.filter((f) => f.role === post.role.arn);
}

const alias = () =>
  post.calls.find((c) => c.action === 'lambda:InvokeFunction' && c.resource.endsWith(':live'))!
    .resource;

test('a missing grant: the call is denied, naming the role, the call and the policies', async () => {
  const findings = await findingsOf(
    planted(post.role.arn, (s) => (invokes(s, alias()) ? undefined : s)),
  );
  expect(findings).toEqual([
    expect.objectContaining({
      problem: 'denied',
      label: post.label,
      message: expect.stringMatching(
        new RegExp(
          `^lambda:InvokeFunction on ${alias()} \\(runtime/synthetic/lambda-invoker.ts\\) is denied: no statement of .+ allows it$`,
        ),
      ),
    }),
  ]);
});

test("a grant on another service's alias: its own call is denied and the probe is allowed", async () => {
  const other = post.probes.find((p) => p.why === "another service's alias")!.resource;
  const findings = await findingsOf(
    planted(post.role.arn, (s) => (invokes(s, alias()) ? { ...s, Resource: [other] } : s)),
  );
  expect(findings.map((f) => f.problem).sort()).toEqual(['allowed', 'denied']);
  expect(findings.find((f) => f.problem === 'allowed')!.message).toMatch(
    new RegExp(
      `^lambda:InvokeFunction on ${other} \\(another service's alias\\) must be denied, but is allowed by .+ statement`,
    ),
  );
});

test('a wildcard alias: every version of the function becomes callable, and the check says so', async () => {
  const wildcard = alias().replace(/:live$/, ':*');
  const findings = await findingsOf(
    planted(post.role.arn, (s) => (invokes(s, alias()) ? { ...s, Resource: [wildcard] } : s)),
  );
  expect(findings).toEqual([
    expect.objectContaining({
      problem: 'allowed',
      message: expect.stringMatching(
        /another version of its function\) must be denied, but is allowed by/,
      ),
    }),
  ]);
});

test('a grant no call makes is an extra grant, named with its statement', async () => {
  const findings = await findingsOf(
    planted(post.role.arn, (s) =>
      invokes(s, alias()) ? { ...s, Action: ['lambda:InvokeFunction', 'lambda:UpdateAlias'] } : s,
    ),
  );
  expect(findings).toEqual([
    expect.objectContaining({
      problem: 'extra',
      message: expect.stringMatching(
        /allows lambda:UpdateAlias on .+:live, which no call of this role makes/,
      ),
    }),
  ]);
});

test('the resolver gives concrete ARNs, and names what it cannot resolve', () => {
  const stack = new ResolvingStack(
    { account: '123456789012', region: 'eu-west-1', partition: 'aws', stackName: 's' },
    {
      Fn: { Type: 'AWS::Lambda::Function', Properties: { FunctionName: 'f' } },
      V: { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'Fn' } } },
      T: { Type: 'AWS::Some::Thing' },
    },
  );
  expect(stack.value({ Ref: 'V' })).toBe('arn:aws:lambda:eu-west-1:123456789012:function:f:1');
  expect(stack.value({ 'Fn::Sub': ['${A}:live', { A: { 'Fn::GetAtt': ['Fn', 'Arn'] } }] })).toBe(
    'arn:aws:lambda:eu-west-1:123456789012:function:f:live',
  );
  expect(stack.value({ 'Fn::Select': [1, { 'Fn::Split': [':', 'a:b:c'] }] })).toBe('b');
  expect(() => stack.value({ 'Fn::GetAtt': ['T', 'Arn'] })).toThrow(UnresolvableError);
  expect(() => stack.value({ 'Fn::If': ['c', 'a', 'b'] })).toThrow(/Fn::If is not resolved/);
});

test('the command line: a folder and --config are read; a bad option or a missing assembly is refused with the fix', () => {
  const assembled = defaultApp();
  const cwd = path.dirname(assembled.outdir);
  const folder = path.basename(assembled.outdir);
  expect(parseIamArgs([folder, '--config', 'examples/three-region-prod'], cwd)).toEqual({
    outdir: assembled.outdir,
    configRoot: 'examples/three-region-prod',
  });
  expect(() => parseIamArgs(['--bogus'], cwd)).toThrow(
    'unknown option --bogus. Usage: npm run iam [-- <cdk.out>] [--config <folder>]',
  );
  expect(() => parseIamArgs([folder, '--config'], cwd)).toThrow('--config needs a folder');
  expect(() => parseIamArgs(['a', 'b'], cwd)).toThrow('one assembly folder at most, got a, b.');
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'iam-cli-'));
  expect(() => parseIamArgs([], empty)).toThrow(
    'cdk.out holds no synthesized app (no manifest.json). Fix: run npx cdk synth first, or name the folder that holds it: npm run iam -- <cdk.out>',
  );
  expect(() => parseIamArgs(['--config', 'examples/three-region-prod'], empty)).toThrow(
    'Fix: run npx cdk synth -c config=examples/three-region-prod first',
  );
  fs.rmSync(empty, { recursive: true });
});

test('a role no expectation describes is a finding; the roles CDK Pipelines makes for its own actions are listed apart', async () => {
  const model = defaultApp().model;
  const clean = await checkApp(model, app);
  expect(clean.findings).toEqual([]);
  expect(clean.cdkPipelinesRoles.length).toBeGreaterThan(0);
  for (const role of clean.cdkPipelinesRoles) {
    expect(role.cdkPath).toMatch(new RegExp(`^${role.stack.name}/Pipeline/`));
  }
  // The post-traffic hook's role again, under another name and in no expectation.
  const original = app.roles.get(post.role.arn)!;
  const arn = post.role.arn.replace(/role\/.*$/, 'role/left-over-role');
  const stray = { ...original, arn, logicalId: 'LeftOverRole', cdkPath: 'stack/LeftOver/Resource' };
  const { findings } = await checkApp(model, {
    ...app,
    roles: new Map([...app.roles, [arn, stray]]),
  });
  expect(findings).toEqual([
    expect.objectContaining({
      problem: 'unchecked',
      role: arn,
      label: 'stack/LeftOver/Resource',
      message: expect.stringContaining('Fix: declare the calls its code makes'),
    }),
  ]);
});

test("an alarm reader that trusts the whole pipeline account, not the bake's role, is a finding", async () => {
  const model = defaultApp().model;
  const reader = roleExpectations(model, app).find((e) => e.kind === 'alarm reader')!;
  const role = app.roles.get(reader.role.arn)!;
  const loose = {
    ...role,
    trust: {
      ...role.trust,
      Statement: role.trust.Statement.map(({ Condition: _condition, ...s }) => s),
    },
  };
  expect(JSON.stringify(role.trust)).toContain('aws:PrincipalArn');
  const { findings } = await checkApp(model, {
    ...app,
    roles: new Map([...app.roles, [role.arn, loose]]),
  });
  expect(findings.map((f) => [f.problem, f.role, f.message.split(' (')[0]])).toEqual([
    ['allowed', role.arn, `sts:AssumeRole on ${role.arn}`],
  ]);
});
