import * as fs from 'fs';
import * as path from 'path';
import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { AppModel } from '../../lib/config/model';
import { Strategy } from '../../lib/config/strategy';
import type { SmokeTargets } from '../../runtime/synthetic/smoke-targets';
import type { CodeDeployConfig } from '../../lib/plan/codedeploy';
import {
  buildPlan,
  type Plan,
  type PlannedAlarmRule,
  type PlannedEnvironment,
  type PlannedStage,
} from '../../lib/plan/plan';
import {
  defaultApp,
  readAssembly,
  type AssembledApp,
  type AssembledEnvironment,
} from '../helpers/default-app';
import {
  deployedServices,
  ofType,
  resourcesOf,
  type Resource,
  type Resources,
} from '../helpers/deployed-service';
import { synthFast } from '../helpers/synth';
import { appModel, service, stage, stressModel } from '../lib/plan/model-fixture';

/**
 * The plan (what `npm run plan` prints and docs/pipeline.md shows) against what the app
 * synthesizes, for the project's own configuration (whatever it holds) and for a fixture with a
 * stage in waves over three regions, a deployment window, the alarm blocker, a bake, custom
 * strategies, a Lattice front door and the baseline comparison on and off: the pipeline stages
 * in order (the Monitoring wave, then every wave of every stage), approvals, smoke tests, the
 * stage conditions, and per service in every environment the CodeDeploy config, the release
 * alarms, the fleet alarm, the hooks and the front door.
 */

interface Action {
  Name: string;
  ActionTypeId: { Category: string; Provider: string };
  RunOrder: number;
  Region?: string;
  Configuration?: {
    StackName?: string;
    TemplatePath?: string;
    ProjectName?: { Ref: string };
    UserParameters?: string;
  };
}
interface Rule {
  RuleTypeId: { Provider: string };
  Configuration: Record<string, string>;
  Region?: string;
  RoleArn?: string;
}
interface Conditions {
  Conditions: { Result: string; Rules: Rule[] }[];
}
interface PipelineStage {
  Name: string;
  Actions: Action[];
  BeforeEntry?: Conditions;
  OnSuccess?: Conditions;
  OnFailure?: { Result: string };
}

/** A synthesized app, read back, with the plan of its model. */
interface Subject {
  readonly plan: Plan;
  readonly app: AssembledApp;
  readonly stages: readonly PipelineStage[];
  readonly pipelineResources: Resources;
  /** Whether the functions carry the real bundles (with the hooks' checks.json). */
  readonly realBundles: boolean;
}

function subjectOf(app: AssembledApp, realBundles: boolean): Subject {
  const pipelineResources = app.pipelineStack.template.Resources as Resources;
  const [[, pipeline]] = ofType(pipelineResources, 'AWS::CodePipeline::Pipeline');
  return {
    plan: buildPlan(app.model),
    app,
    stages: pipeline.Properties.Stages,
    pipelineResources,
    realBundles,
  };
}

/** Synthesizes a model with inline code (fast, no gate) and reads it back. */
function synthesized(model: AppModel): Subject {
  return subjectOf(readAssembly(model, synthFast(model).outdir), false);
}

const SUBJECTS: [string, () => Subject][] = [
  ["the project's configuration", () => subjectOf(defaultApp(), true)],
  ['a fixture in waves over three regions (inline code)', () => synthesized(stressModel())],
  [
    'the smallest configuration: one stage, one environment, one service (inline code)',
    () =>
      synthesized(
        appModel([stage('solo', Strategy.allAtOnce(), [service('only', Strategy.allAtOnce())])]),
      ),
  ],
];

const deploysOf = (stage: PipelineStage) =>
  stage.Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');

/** `Synth_Output::assembly-<stage>/<template>`: the stack artifact a deploy action deploys. */
const templatePath = (stack: CloudFormationStackArtifact) =>
  `${path.basename(stack.assembly.directory)}/${stack.templateFile}`;

const envOf = (stack: CloudFormationStackArtifact) => ({
  account: stack.environment.account,
  region: stack.environment.region,
});

const accountOf = (roleArn: unknown) => /:iam::(\d{12}):role\//.exec(JSON.stringify(roleArn))?.[1];

/**
 * The verdict alarm as the template declares it: its name with the version in place of the
 * `<version>` of the plan's name, and the function its metric is about.
 */
function verdictAlarmAsPlanned(alarm: Resource, versionId: string) {
  const p = alarm.Properties;
  const [prefix, version] = p.AlarmName['Fn::Join'][1];
  const dimensions = Object.fromEntries(
    (p.Dimensions as { Name: string; Value: unknown }[]).map((d) => [d.Name, d.Value]),
  );
  return {
    name: `${prefix}<version>`,
    namesTheVersion: version['Fn::GetAtt']?.[0] === versionId,
    function: dimensions.FunctionName,
    metricOfTheVersion: JSON.stringify(dimensions.Version) === JSON.stringify(version),
  };
}

/** An alarm rule of a stage condition, in the plan's terms. */
/** The one alarm a wave's rules name. */
function ruleAlarmOf(rules: readonly PlannedAlarmRule[]): string {
  const alarms = [...new Set(rules.map((r) => r.alarm))];
  expect(alarms).toHaveLength(1);
  return alarms[0];
}

function ruleAsPlanned(rule: Rule) {
  return {
    provider: rule.RuleTypeId.Provider,
    alarm: rule.Configuration.AlarmName,
    states: rule.Configuration.AlarmStates,
    region: rule.Region,
    account: accountOf(rule.RoleArn),
    waitTime: rule.Configuration.WaitTime,
  };
}

function plannedRule(rule: PlannedAlarmRule, waitMinutes?: number) {
  return {
    provider: 'CloudWatchAlarm',
    alarm: rule.alarm,
    states: 'ALARM',
    region: rule.environment.region,
    account: rule.environment.account,
    waitTime: waitMinutes === undefined ? undefined : String(waitMinutes),
  };
}

/** The synthetic checks a hook function's bundle carries (`checks.json` in its asset). */
function bundledChecks(fn: Resource, outdir: string): number {
  const key = String(fn.Properties.Code.S3Key);
  const asset = path.join(outdir, `asset.${key.replace(/\.zip$/, '')}`, 'checks.json');
  return (JSON.parse(fs.readFileSync(asset, 'utf8')) as unknown[]).length;
}

describe.each(SUBJECTS)('the plan matches the synthesized pipeline: %s', (_, load) => {
  let s: Subject;
  beforeAll(() => {
    s = load();
  }, 180_000);

  const stageNamed = (name: string) => {
    const found = s.stages.find((st) => st.Name === name);
    if (!found) throw new Error(`no pipeline stage ${name} in ${s.stages.map((st) => st.Name)}`);
    return found;
  };
  const waves = () =>
    s.plan.stages.flatMap((stage) => stage.waves.map((wave) => ({ stage, wave })));
  const environmentsOf = (stage: PlannedStage, envs: readonly PlannedEnvironment[]) =>
    envs.map((env) =>
      s.app.environments.find(
        (e) => e.stage.name === stage.name && e.environment.name === env.name,
      )!,
    );
  /** Every environment of every stage, read from the assembly, with its planned stage. */
  const deployed = () =>
    s.plan.stages.flatMap((stage) =>
      environmentsOf(stage, stage.environments).map((assembled) => ({ stage, assembled })),
    );
  const resourcesIn = (assembled: AssembledEnvironment) => assembled.serviceStacks.map(resourcesOf);

  test('source, build, self-mutation and assets come first, then Monitoring, then every wave in order', () => {
    const names = s.stages.map((st) => st.Name);
    const assets = names.includes('Assets') ? ['Assets'] : [];
    if (s.realBundles) expect(assets).toEqual(['Assets']);
    expect(names).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      ...assets,
      s.plan.monitoring.pipelineStage,
      ...s.plan.stages.flatMap((stage) => [
        ...(stage.waves[0].approval ? [stage.waves[0].approval] : []),
        ...stage.waves.map((wave) => wave.pipelineStage),
      ]),
    ]);
    const build = ofType(s.pipelineResources, 'AWS::CodeBuild::Project')
      .map(([, p]) => p)
      .find((p) => String(p.Properties.Source.BuildSpec).includes('cdk synth'))!;
    const spec = JSON.parse(build.Properties.Source.BuildSpec);
    expect([...spec.phases.install.commands, ...spec.phases.build.commands]).toEqual(
      s.plan.buildCommands,
    );
  });

  test('the Monitoring wave deploys every planned monitoring stack to its environment', () => {
    const monitoring = stageNamed(s.plan.monitoring.pipelineStage);
    const byPath = new Map(
      s.app.environments.map((e) => [templatePath(e.monitoringStack), e.monitoringStack]),
    );
    const actual = deploysOf(monitoring).map((a) => {
      const stack = byPath.get(a.Configuration!.TemplatePath!.split('::')[1])!;
      return { stackName: a.Configuration!.StackName, ...envOf(stack) };
    });
    const planned = s.plan.monitoring.stacks.map((m) => ({
      stackName: m.stackName,
      account: m.environment.account,
      region: m.environment.region,
    }));
    expect(actual).toHaveLength(planned.length);
    expect(actual).toEqual(expect.arrayContaining(planned));
    expect(monitoring.BeforeEntry).toBeUndefined();
    expect(monitoring.OnSuccess).toBeUndefined();
  });

  test('each monitoring stack holds the planned health alarm, every fleet alarm and the release judge', () => {
    for (const { stage, assembled } of deployed()) {
      const planned = s.plan.monitoring.stacks.find(
        (m) => m.stage === stage.name && m.environment.name === assembled.environment.name,
      )!;
      const resources = resourcesOf(assembled.monitoringStack);
      const composite = ofType(resources, 'AWS::CloudWatch::CompositeAlarm').map(
        ([, a]) => a.Properties.AlarmName,
      );
      expect(composite).toContain(stage.healthAlarm);
      const alarms = ofType(resources, 'AWS::CloudWatch::Alarm').map(
        ([, a]) => a.Properties.AlarmName,
      );
      expect(alarms.sort()).toEqual(
        [
          ...stage.services.map((sv) => sv.judgement.fleetAlarm),
          planned.releaseJudge.errorsAlarm,
        ].sort(),
      );
      const functions = ofType(resources, 'AWS::Lambda::Function').map(
        ([, f]) => f.Properties.FunctionName,
      );
      expect(functions).toEqual([planned.releaseJudge.function]);
    }
  });

  test('each wave deploys exactly the stacks of its planned environments', () => {
    for (const { stage, wave } of waves()) {
      const assembled = environmentsOf(stage, wave.environments);
      const byPath = new Map(
        assembled.flatMap((e) => e.serviceStacks.map((st) => [templatePath(st), st] as const)),
      );
      const actions = deploysOf(stageNamed(wave.pipelineStage));
      const stacks = actions.map((a) => byPath.get(a.Configuration!.TemplatePath!.split('::')[1]));
      expect({ wave: wave.pipelineStage, missing: stacks.filter((st) => !st).length }).toEqual({
        wave: wave.pipelineStage,
        missing: 0,
      });
      expect(stacks).toHaveLength(byPath.size);
      const environments = new Set(stacks.map((st) => JSON.stringify(envOf(st!))));
      expect([...environments].sort()).toEqual(
        wave.environments
          .map((e) => JSON.stringify({ account: e.account, region: e.region }))
          .sort(),
      );
    }
  });

  test('an approval stage comes right before exactly the planned waves, and no wave holds one', () => {
    const names = s.stages.map((st) => st.Name);
    for (const { wave } of waves()) {
      const stage = stageNamed(wave.pipelineStage);
      expect(stage.Actions.filter((a) => a.ActionTypeId.Provider === 'Manual')).toEqual([]);
      if (!wave.approval) continue;
      const approval = stageNamed(wave.approval);
      expect(approval.Actions.map((a) => [a.Name, a.ActionTypeId.Provider])).toEqual([
        [wave.approval, 'Manual'],
      ]);
      expect(names.indexOf(wave.approval) + 1).toBe(names.indexOf(wave.pipelineStage));
    }
  });

  test('a smoke test follows exactly the planned waves, after everything deployed, on the planned targets', () => {
    for (const { stage, wave } of waves()) {
      const pipelineStage = stageNamed(wave.pipelineStage);
      const smoke = pipelineStage.Actions.filter(
        (a) => a.ActionTypeId.Provider === 'CodeBuild' && a.Name.startsWith('SmokeTest-'),
      );
      expect({ wave: wave.pipelineStage, smoke: smoke.map((a) => a.Name) }).toEqual({
        wave: wave.pipelineStage,
        smoke: wave.smokeTest ? [wave.smokeTest.step] : [],
      });
      if (!wave.smokeTest) continue;
      for (const deploy of deploysOf(pipelineStage)) {
        expect(smoke[0].RunOrder).toBeGreaterThan(deploy.RunOrder);
      }
      const project = s.pipelineResources[smoke[0].Configuration!.ProjectName!.Ref];
      expect(project.Properties.Source.BuildSpec).toContain(wave.smokeTest.targets);
      const targets: SmokeTargets = JSON.parse(
        fs.readFileSync(path.join(s.app.outdir, wave.smokeTest.targets), 'utf8'),
      );
      const checksOf = (name: string) => stage.services.find((sv) => sv.name === name)!.checks;
      expect(targets.targets.map((t) => `${t.environment}/${t.service}`).sort()).toEqual(
        wave.environments.flatMap((e) => stage.services.map((sv) => `${e.name}/${sv.name}`)).sort(),
      );
      expect(targets.targets.reduce((n, t) => n + checksOf(t.service), 0)).toBe(
        wave.smokeTest.checks,
      );
    }
  });

  test('each wave has the planned entry condition: the window first, then the alarm blocker with its wait', () => {
    for (const { wave } of waves()) {
      const entry = stageNamed(wave.pipelineStage).BeforeEntry;
      if (!wave.entry) {
        expect({ wave: wave.pipelineStage, entry }).toEqual({
          wave: wave.pipelineStage,
          entry: undefined,
        });
        continue;
      }
      expect(entry!.Conditions).toHaveLength(1);
      const [{ Result, Rules }] = entry!.Conditions;
      expect(Result).toBe('FAIL');
      const window = wave.entry.window
        ? [
            {
              provider: 'DeploymentWindow',
              cron: wave.entry.window.cron,
              timeZone: wave.entry.window.timeZone,
            },
          ]
        : [];
      const rules = Rules.map((r) =>
        r.RuleTypeId.Provider === 'DeploymentWindow'
          ? {
              provider: r.RuleTypeId.Provider,
              cron: r.Configuration.Cron,
              timeZone: r.Configuration.TimeZone,
            }
          : ruleAsPlanned(r),
      );
      expect(rules).toEqual([
        ...window,
        ...wave.entry.alarms.map((r) => plannedRule(r, wave.entry!.waitMinutes)),
      ]);
    }
  });

  test('each wave bakes as planned: an action watches its environments for the bake time, and the stage rolls back on failure', () => {
    for (const { wave } of waves()) {
      const stage = stageNamed(wave.pipelineStage);
      expect(stage.OnSuccess).toBeUndefined();
      const bakes = stage.Actions.filter((a) => a.ActionTypeId.Provider === 'Lambda');
      if (!wave.bake) {
        expect({ wave: wave.pipelineStage, bakes, onFailure: stage.OnFailure }).toEqual({
          wave: wave.pipelineStage,
          bakes: [],
          onFailure: undefined,
        });
        continue;
      }
      expect(stage.OnFailure).toEqual({ Result: 'ROLLBACK' });
      expect(bakes.map((a) => a.Name)).toEqual([wave.bake.step]);
      const parameters = JSON.parse(String(bakes[0].Configuration!.UserParameters));
      expect({
        minutes: parameters.minutes,
        alarm: parameters.alarm,
        environments: parameters.environments.map(
          (e: { name: string; region: string; roleArn: string }) => ({
            name: e.name,
            region: e.region,
            account: accountOf(e.roleArn),
          }),
        ),
      }).toEqual({
        minutes: wave.bake.minutes,
        alarm: ruleAlarmOf(wave.bake.alarms),
        environments: wave.bake.alarms.map((r) => ({
          name: r.environment.name,
          region: r.environment.region,
          account: r.environment.account,
        })),
      });
    }
  });

  test('every environment deploys the planned services with the planned CodeDeploy configs', () => {
    for (const { stage, assembled } of deployed()) {
      const services = resourcesIn(assembled).flatMap((resources) =>
        deployedServices(resources, stage.prefix).map((d) => {
          const name = d.group.Properties.DeploymentConfigName;
          const codeDeploy: CodeDeployConfig =
            typeof name === 'string'
              ? { name }
              : { trafficRouting: resources[name.Ref].Properties.TrafficRoutingConfig };
          return { name: d.name, codeDeploy };
        }),
      );
      const where = `${stage.name} in ${assembled.environment.name}`;
      expect({ where, services: services.sort((a, b) => a.name.localeCompare(b.name)) }).toEqual({
        where,
        services: stage.services
          .map((sv) => ({ name: sv.name, codeDeploy: sv.strategy.codeDeploy }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      });
    }
  });

  test('the deployment group watches the planned verdict alarm, of the version it deploys, and not the fleet alarm', () => {
    for (const { stage, assembled } of deployed()) {
      for (const resources of resourcesIn(assembled)) {
        for (const d of deployedServices(resources, stage.prefix)) {
          const planned = stage.services.find((sv) => sv.name === d.name)!;
          const alarms = Object.values(d.alarms);
          expect(alarms).toHaveLength(1);
          expect(verdictAlarmAsPlanned(alarms[0], d.versionId)).toEqual({
            name: planned.judgement.verdictAlarm,
            namesTheVersion: true,
            function: `${stage.prefix}-${d.name}`,
            metricOfTheVersion: true,
          });
          expect(alarms[0].Properties.AlarmName).not.toBe(planned.judgement.fleetAlarm);
        }
      }
    }
  });

  test('the hooks run the planned checks, and the post-traffic hook asks for the planned evidence', () => {
    for (const { stage, assembled } of deployed()) {
      for (const resources of resourcesIn(assembled)) {
        for (const d of deployedServices(resources, stage.prefix)) {
          const planned = stage.services.find((sv) => sv.name === d.name)!;
          const pre = resources[d.preHookId].Properties.Environment.Variables;
          const post = resources[d.postHookId].Properties.Environment.Variables;
          expect([pre.HOOK_PHASE, post.HOOK_PHASE]).toEqual(['pre-traffic', 'post-traffic']);
          expect(post.TARGET_QUALIFIER).toBe('live');
          expect(pre.TARGET_QUALIFIER).not.toBe('live');
          const { policy, onQuiet, watchMinutes } = planned.judgement;
          expect({
            service: d.name,
            judgement: post.RELEASE_JUDGEMENT && JSON.parse(post.RELEASE_JUDGEMENT),
          }).toEqual({
            service: d.name,
            judgement: policy.requireVerdict ? { policy, onQuiet, watchMinutes } : undefined,
          });
          // The checks travel in the hook bundle's checks.json. The fixture is synthesized with
          // inline code (no bundles, no checks.json), so only the real bundles are compared.
          if (s.realBundles) {
            const checks = [d.preHookId, d.postHookId].map((id) =>
              bundledChecks(resources[id], s.app.outdir),
            );
            expect(checks).toEqual([planned.checks, planned.checks]);
          }
        }
      }
    }
  });

  test('a VPC Lattice service fronts exactly the services the plan names, by the planned name', () => {
    for (const { stage, assembled } of deployed()) {
      const lattice = resourcesIn(assembled).flatMap((resources) =>
        ofType(resources, 'AWS::VpcLattice::Service').map(([, r]) => r.Properties.Name),
      );
      const where = `${stage.name} in ${assembled.environment.name}`;
      expect({ where, lattice: lattice.sort() }).toEqual({
        where,
        lattice: stage.services.flatMap((sv) => (sv.frontDoor ? [sv.frontDoor] : [])).sort(),
      });
    }
  });
});
