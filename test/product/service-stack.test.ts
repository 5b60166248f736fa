import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { stackResources } from '../../lib/config/grouping';
import { Strategy } from '../../lib/config/strategy';
import { serviceOutputKey, serviceStackName } from '../../lib/resource-names';
import { ServiceStack } from '../../lib/service/service-stack';
import { appModel, environmentModel, serviceModel, stageModel } from '../helpers/model';
import { cdkJsonContext } from '../helpers/project';
import { inlineCode, synthFast } from '../helpers/synth';

test('services placed in a shared stack deploy together in one stack named after it, one action', () => {
  const services = ['alpha', 'beta-two', 'gamma'].map((n) => serviceModel(n, { stack: 'shared' }));
  const stage = stageModel('live', Strategy.canary(10, 5), services);
  const s = synthFast(appModel([stage]));
  const [app] = s.pipelineStack.stages;
  expect(app.serviceStacks.map((x) => x.stackName)).toEqual([
    serviceStackName(stage.prefix, 'shared'),
  ]);
  const t = Template.fromStack(app.serviceStacks[0]);
  t.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 3);
  t.resourceCountIs('AWS::Lambda::Alias', 3);
  const outputs = Object.keys(t.toJSON().Outputs);
  for (const s of services) expect(outputs).toContain(serviceOutputKey(s.name, 'AliasArn'));
  const pipeline = Object.values(
    Template.fromStack(s.pipelineStack).findResources('AWS::CodePipeline::Pipeline'),
  )[0];
  const live = pipeline.Properties.Stages.find((x: { Name: string }) => x.Name === 'live');
  const deploys = live.Actions.filter(
    (a: { ActionTypeId: { Provider: string } }) => a.ActionTypeId.Provider === 'CloudFormation',
  );
  expect(
    deploys.map((a: { Configuration: { StackName: string } }) => a.Configuration.StackName),
  ).toEqual([serviceStackName(stage.prefix, 'shared')]);
});

test('a stack over the resource limit fails synth with its count and the fix', () => {
  const services = Array.from({ length: 21 }, (_, i) => serviceModel(`svc-${i}`, { stack: 'big' }));
  const app = new App({ context: cdkJsonContext() });
  new ServiceStack(app, 'big', {
    stageName: 'live',
    prefix: 'fixture-live',
    environment: environmentModel('live'),
    services,
    code: inlineCode(),
  });
  expect(() => app.synth()).toThrow(
    /stack big has \d{3} resources, more than the 450 this project allows \(CloudFormation's limit is 500\)\. Fix: move some of its services \(svc-0, .*svc-20\) into another shared stack/,
  );
});

test.each([
  ['without front doors', false],
  ['with VPC Lattice front doors', true],
])(
  'the resources of a shared stack %s stay within the bound validation counts with',
  (_, lattice) => {
    const services = ['alpha', 'beta-two', 'gamma'].map((n) =>
      serviceModel(n, { stack: 'shared', lattice }),
    );
    const stage = stageModel('live', Strategy.canary(10, 5), services);
    const s = synthFast(appModel([stage]));
    const [stack] = s.pipelineStack.stages[0].serviceStacks;
    const count = Object.keys(Template.fromStack(stack).toJSON().Resources).length;
    const bound = stackResources(services);
    expect(count).toBeLessThanOrEqual(bound);
    // A close bound, not a generous one: it decides how many services a shared stack takes.
    expect(count).toBeGreaterThan(bound - 2 * services.length);
  },
);
