import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { AppModel } from '../../lib/config/model';
import { loadApp } from '../../lib/config/load';
import { FunctionBundles } from '../../lib/service/function-bundles';
import { serviceOutputKey } from '../../lib/resource-names';
import { ServiceStack } from '../../lib/service/service-stack';
import { cdkJsonContext, ROOT } from '../helpers/project';
import { synthApp, type Synthesized } from '../helpers/synth';

const real = loadApp(ROOT);
/** The real model with every service of every stage placed in one shared stack. */
const shared: AppModel = {
  ...real,
  stages: real.stages.map((st) => ({
    ...st,
    services: st.services.map((s) => ({ ...s, stack: 'shared' })),
  })),
};

let s: Synthesized;
beforeAll(() => {
  s = synthApp(shared);
});

test('services placed in a shared stack deploy together in one stack named after it', () => {
  for (const stage of s.pipelineStack.stages) {
    const prefix = shared.stages.find((x) => x.name === stage.stageName)!.prefix;
    expect(stage.serviceStacks.map((x) => x.stackName)).toEqual([`${prefix}-shared`]);
    const t = Template.fromStack(stage.serviceStacks[0]);
    const names = shared.stages
      .find((x) => x.name === stage.stageName)!
      .services.map((x) => x.name);
    t.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', names.length);
    t.resourceCountIs('AWS::Lambda::Alias', names.length);
    const outputs = Object.keys(t.toJSON().Outputs);
    for (const name of names) {
      expect(outputs).toContain(serviceOutputKey(name, 'AliasArn'));
    }
  }
});

test('each stack is one deploy action (no change sets), so a stage stays one pipeline stage', () => {
  const pipeline = Object.values(
    Template.fromStack(s.pipelineStack).findResources('AWS::CodePipeline::Pipeline'),
  )[0];
  const prod = pipeline.Properties.Stages.find((x: { Name: string }) => x.Name === 'prod');
  const prodPrefix = shared.stages.find((x) => x.name === 'prod')!.prefix;
  const deploys = prod.Actions.filter(
    (a: { ActionTypeId: { Provider: string } }) => a.ActionTypeId.Provider === 'CloudFormation',
  );
  expect(
    deploys.map((a: { Configuration: { StackName: string } }) => a.Configuration.StackName).sort(),
  ).toEqual([`${prodPrefix}-Monitoring`, `${prodPrefix}-shared`]);
  for (const a of deploys) expect(a.Configuration.ActionMode).toBe('CREATE_UPDATE');
});

test('a stack over the resource limit fails synth with its count and the fix', () => {
  const base = real.stages[0].services[0];
  const services = Array.from({ length: 19 }, (_, i) => ({
    ...base,
    name: `svc-${i}`,
    stack: 'big',
  }));
  const model = { ...real, stages: [{ ...real.stages[0], services }] };
  const app = new App({ context: cdkJsonContext() });
  new ServiceStack(app, 'big', {
    stageName: 'dev',
    prefix: 'fixture-dev',
    services,
    code: FunctionBundles.build(model, app.outdir),
  });
  expect(() => app.synth()).toThrow(
    /stack big has \d{3} resources, more than the 450 this project allows \(CloudFormation's limit is 500\)\. Fix: move some of its services \(svc-0, .*svc-18\) into another shared stack/,
  );
});
