import { Template } from 'aws-cdk-lib/assertions';
import { readFindings } from '../../lib/compliance/gate';
import { servicesByStack, waveActions } from '../../lib/config/grouping';
import { loadApp } from '../../lib/config/load';
import { stageEnvironments, type AppModel } from '../../lib/config/model';
import { derivedNames } from '../../lib/config/names';
import { pipelineStageName, stageHealthAlarmName } from '../../lib/resource-names';
import { lintErrors, templatesIn } from '../../scripts/lib/cfn-lint';
import { readAssembly, type AssembledApp } from '../helpers/default-app';
import { ROOT } from '../helpers/project';
import { synthApp } from '../helpers/synth';

/**
 * The documented example: prod in three regions over two waves (examples/three-region-prod),
 * synthesized with the compliance gate and the project's services, as a user who copies it
 * would. One region first, a bake, then the other two in parallel.
 */
jest.setTimeout(120_000);

interface Action {
  Name: string;
  ActionTypeId: { Provider: string };
  RunOrder: number;
  Configuration?: { StackName?: string; UserParameters?: string };
  Region?: string;
}
interface PipelineStage {
  Name: string;
  Actions: Action[];
  BeforeEntry?: {
    Conditions: {
      Result: string;
      Rules: { Region: string; Configuration: Record<string, string> }[];
    }[];
  };
  OnFailure?: { Result: string };
}

let model: AppModel;
let app: AssembledApp;
let stages: PipelineStage[];
let thrown: unknown;

beforeAll(() => {
  model = loadApp(ROOT, { configRoot: 'examples/three-region-prod' });
  let outdir: string | undefined;
  try {
    outdir = synthApp(model, { gate: true }).outdir;
  } catch (error) {
    thrown = error;
  }
  if (!outdir) throw new Error(`the example did not synthesize: ${String(thrown)}`);
  app = readAssembly(model, outdir);
  const t = Template.fromJSON(app.pipelineStack.template);
  stages = Object.values(t.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
});

const prod = () => model.stages.find((s) => s.name === 'prod')!;
const stageOf = (wave: number) =>
  stages.find((s) => s.Name === pipelineStageName(prod(), prod().waves[wave - 1]))!;
const deploys = (s: PipelineStage) =>
  s.Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');

test('the example is three prod regions in two waves: one region, then two', () => {
  expect(prod().waves.map((w) => w.environments.map((e) => e.region))).toEqual([
    ['us-east-1'],
    ['eu-west-1', 'ap-southeast-2'],
  ]);
});

test("wave 1's deploy precedes its bake, which precedes wave 2's parallel deploys", () => {
  const names = stages.map((s) => s.Name);
  const [one, two] = [stageOf(1), stageOf(2)];
  expect(names.indexOf(one.Name)).toBeLessThan(names.indexOf(two.Name));
  // The bake is an action of wave 1's stage: wave 2 cannot start before it passed.
  const bake = one.Actions.find((a) => a.ActionTypeId.Provider === 'Lambda')!;
  for (const d of deploys(one)) expect(bake.RunOrder).toBeGreaterThan(d.RunOrder);
  const parameters = JSON.parse(String(bake.Configuration!.UserParameters));
  expect(parameters.minutes).toBe(prod().bakeMinutes);
  expect(parameters.environments.map((e: { region: string }) => e.region)).toEqual(['us-east-1']);
  expect(one.OnFailure).toEqual({ Result: 'ROLLBACK' });
  // Wave 2 deploys both regions at once: their stacks share the first run order.
  const regions = new Set(deploys(two).map((a) => a.Region));
  expect(regions).toEqual(new Set(['eu-west-1', 'ap-southeast-2']));
  const first = Math.min(...deploys(two).map((a) => a.RunOrder));
  for (const region of regions) {
    expect(deploys(two).some((a) => a.Region === region && a.RunOrder === first)).toBe(true);
  }
});

test("each wave holds exactly the actions the synth counts against CodePipeline's limit", () => {
  const stacks = servicesByStack(prod().services).size;
  for (const wave of prod().waves) {
    const actions = stageOf(wave.index).Actions.length;
    expect(actions).toBe(waveActions(stacks, wave.environments.length, prod()));
    expect(actions).toBe(wave.environments.length * stacks + 2);
  }
});

test('an alarm during the bake rolls the wave back; a firing alarm holds the next wave at its entry', () => {
  for (const [index, regions] of [
    [1, ['us-east-1']],
    [2, ['ap-southeast-2', 'eu-west-1']],
  ] as const) {
    const s = stageOf(index);
    const bake = s.Actions.find((a) => a.ActionTypeId.Provider === 'Lambda')!;
    const parameters = JSON.parse(String(bake.Configuration!.UserParameters));
    expect(parameters.environments.map((e: { region: string }) => e.region).sort()).toEqual([
      ...regions,
    ]);
    expect(parameters.alarm).toBe(stageHealthAlarmName(prod().prefix));
    const rules = s.BeforeEntry!.Conditions[0].Rules.filter(
      (r) => r.Configuration.AlarmName !== undefined,
    );
    expect(rules.map((r) => r.Region).sort()).toEqual([...regions]);
    for (const rule of rules) {
      expect(rule.Configuration.AlarmName).toBe(stageHealthAlarmName(prod().prefix));
      expect(rule.Configuration.WaitTime).toBe(String(prod().blockWaitMinutes));
    }
    expect(s.BeforeEntry!.Conditions[0].Result).toBe('FAIL');
  }
});

test('every environment has its monitoring, deployed before any stage', () => {
  const monitoring = stages.find((s) => s.Name === 'Monitoring')!;
  expect(stages.indexOf(monitoring)).toBeLessThan(stages.indexOf(stageOf(1)));
  expect(
    deploys(monitoring)
      .map((a) => a.Configuration!.StackName)
      .sort(),
  ).toEqual(app.environments.map((e) => e.monitoringStack.stackName).sort());
});

test('the deploy action names synth checks against their limit are the ones CDK Pipelines makes', () => {
  // Waves of several environments and several monitoring stages prefix the actions with the
  // Stage's id: the names the configuration check measures must be these, not shorter ones.
  const pairs = model.stages.reduce((n, st) => n + stageEnvironments(st).length, 0);
  const derived = model.stages
    .flatMap((st) => derivedNames(st, model.pipelineName, 'pipeline.config.ts', pairs))
    .filter((n) => n.kind === 'pipeline action')
    .map((n) => n.name);
  const synthesized = stages.flatMap((s) =>
    s.Actions.filter((a) => a.Name.endsWith('.Deploy')).map((a) => a.Name),
  );
  expect(synthesized.some((name) => /^prod-[a-z0-9-]+-monitoring\./.test(name))).toBe(true);
  expect(derived.sort()).toEqual(synthesized.sort());
});

test('the gate is clean, cross-region support stacks included', () => {
  expect(thrown).toBeUndefined();
  expect(readFindings(app.outdir)).toEqual([]);
  expect(templatesIn(app.outdir).some((t) => t.includes('cross-region-stack'))).toBe(true);
});

test('cfn-lint reports no error on any template', () => {
  expect(lintErrors(templatesIn(app.outdir))).toEqual([]);
});
