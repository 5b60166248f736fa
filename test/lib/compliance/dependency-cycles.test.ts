import { dependencyCycles } from '../../../lib/compliance/dependency-cycles';
import type { CfnTemplate } from '../../../lib/compliance/template-text';

const resource = (extra: object = {}) => ({
  Type: 'AWS::CloudFormation::WaitConditionHandle',
  ...extra,
});

test('a template without loops has no cycle, whatever it refers to', () => {
  const template: CfnTemplate = {
    Parameters: { Stage: {} },
    Resources: {
      A: resource({
        Properties: { X: { Ref: 'B' }, Y: { Ref: 'Stage' }, Z: { Ref: 'AWS::Region' } },
      }),
      B: resource({ Properties: { X: { 'Fn::GetAtt': ['C', 'Arn'] } } }),
      C: resource(),
    },
  };
  expect(dependencyCycles(template)).toEqual([]);
});

test.each([
  ['Ref', { Ref: 'B' }],
  ['Fn::GetAtt (list)', { 'Fn::GetAtt': ['B', 'Arn'] }],
  ['Fn::GetAtt (dotted)', { 'Fn::GetAtt': 'B.Arn' }],
  ['Fn::Sub', { 'Fn::Sub': 'arn:${AWS::Partition}:x:${B.Arn}:y' }],
  ['Fn::Join of a Ref', { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
])('finds a loop closed through %s', (_, value) => {
  const template: CfnTemplate = {
    Resources: { A: resource({ Properties: { X: value } }), B: resource({ DependsOn: 'A' }) },
  };
  expect(dependencyCycles(template)).toEqual([['A', 'B']]);
});

test('finds the loop an alias UpdatePolicy closes through a hook policy, as CloudFormation would', () => {
  const template: CfnTemplate = {
    Resources: {
      LiveAlias: resource({
        Properties: { FunctionVersion: { 'Fn::GetAtt': ['Version', 'Version'] } },
        UpdatePolicy: {
          CodeDeployLambdaAliasUpdate: { AfterAllowTrafficHook: { Ref: 'PostHookFunction' } },
        },
      }),
      Version: resource(),
      PostHookFunction: resource({ DependsOn: ['PostHookPolicy'] }),
      PostHookPolicy: resource({ Properties: { Resource: { Ref: 'LiveAlias' } } }),
    },
  };
  expect(dependencyCycles(template)).toEqual([['LiveAlias', 'PostHookFunction', 'PostHookPolicy']]);
});

test('a variable that Fn::Sub defines itself is not a reference', () => {
  const template: CfnTemplate = {
    Resources: {
      A: resource({ Properties: { X: { 'Fn::Sub': ['${B}-x', { B: 'literal' }] } } }),
      B: resource({ DependsOn: 'A' }),
    },
  };
  expect(dependencyCycles(template)).toEqual([]);
});

test('reports a resource that depends on itself, and each separate loop once', () => {
  const template: CfnTemplate = {
    Resources: {
      Self: resource({ DependsOn: 'Self' }),
      P: resource({ DependsOn: 'Q' }),
      Q: resource({ DependsOn: 'R' }),
      R: resource({ DependsOn: ['P', 'Self'] }),
    },
  };
  expect(dependencyCycles(template)).toEqual([['P', 'Q', 'R'], ['Self']]);
});
