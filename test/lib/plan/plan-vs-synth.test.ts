import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { FunctionBundles } from '../../../lib/service/function-bundles';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadApp } from '../../../lib/config/load';
import type { ServiceModel } from '../../../lib/config/model';
import { Strategy } from '../../../lib/config/strategy';
import type { CodeDeployConfig } from '../../../lib/plan/codedeploy';
import {
  buildPlan,
  LATENCY_ALARM_WINDOW,
  type Plan,
  type PlannedService,
} from '../../../lib/plan/plan';
import { ServiceStack } from '../../../lib/service/service-stack';
import { defaultApp } from '../../helpers/default-app';
import { cdkJsonContext, ROOT } from '../../helpers/project';

/**
 * The plan (what `npm run plan` prints and docs/pipeline.md shows) against what the app
 * synthesizes: the same stages in the same order, approvals and smoke tests where planned, and
 * per stage the same services with the same CodeDeploy configs, alarms and hooks.
 */

/** A template's `Resources`, typed as loosely as `Template.findResources()` returns them. */
type Resources = ReturnType<Template['findResources']>;

interface PipelineStage {
  Name: string;
  Actions: {
    Name: string;
    ActionTypeId: { Category: string; Provider: string };
    RunOrder: number;
    Configuration?: { ActionMode?: string; StackName?: string };
  }[];
}

/** A service as one stage stack's template deploys it, in the plan's terms. */
interface Deployed {
  readonly name: string;
  readonly codeDeploy: CodeDeployConfig;
  readonly alarms: Record<string, unknown>;
  /** Synthetic checks the pre- and the post-traffic hook run. */
  readonly hookChecks: readonly [number, number];
}

const byName = <T extends { name: string }>(items: readonly T[]) =>
  [...items].sort((a, b) => a.name.localeCompare(b.name));

/** The synthetic checks a hook function's bundle carries (`checks.json` in its asset). */
function bundledChecks(fn: Resources[string], assemblyDir: string) {
  const key = String(fn.Properties.Code.S3Key);
  const asset = path.join(assemblyDir, `asset.${key.replace(/\.zip$/, '')}`, 'checks.json');
  return (JSON.parse(fs.readFileSync(asset, 'utf8')) as unknown[]).length;
}

/** Reads every CodeDeploy deployment group of a template back into the plan's terms. */
function deployedServices(resources: Resources, prefix: string, assemblyDir: string): Deployed[] {
  const ref = (value: { Ref: string }) => resources[value.Ref];
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::CodeDeploy::DeploymentGroup')
    .map(([id, group]) => {
      const props = group.Properties;
      const configName = props.DeploymentConfigName;
      const codeDeploy: CodeDeployConfig =
        typeof configName === 'string'
          ? { name: configName }
          : { trafficRouting: ref(configName).Properties.TrafficRoutingConfig };
      const alarms = Object.fromEntries(
        props.AlarmConfiguration.Alarms.map((a: { Name: { Ref: string } }) => {
          const p = ref(a.Name).Properties;
          return [
            p.MetricName ?? 'ErrorRate',
            {
              threshold: p.Threshold,
              operator: p.ComparisonOperator,
              statistic: p.Statistic ?? p.ExtendedStatistic,
              evaluationPeriods: p.EvaluationPeriods,
              datapointsToAlarm: p.DatapointsToAlarm,
            },
          ];
        }),
      );
      const alias = Object.values(resources).find(
        (r) =>
          r.Type === 'AWS::Lambda::Alias' &&
          r.UpdatePolicy?.CodeDeployLambdaAliasUpdate?.DeploymentGroupName?.Ref === id,
      )!;
      const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
      const checks = (hook: { Ref: string }) => bundledChecks(ref(hook), assemblyDir);
      return {
        name: String(props.DeploymentGroupName).replace(`${prefix}-`, ''),
        codeDeploy,
        alarms,
        hookChecks: [
          checks(update.BeforeAllowTrafficHook),
          checks(update.AfterAllowTrafficHook),
        ] as const,
      };
    });
}

/** What the plan says the template of a service must hold. */
function planned(service: PlannedService): Deployed {
  const sum = (threshold: number) => ({
    threshold,
    operator: 'GreaterThanOrEqualToThreshold',
    statistic: 'Sum',
    evaluationPeriods: 1,
    datapointsToAlarm: undefined,
  });
  return {
    name: service.name,
    codeDeploy: service.strategy.codeDeploy,
    alarms: {
      ErrorRate: {
        threshold: service.alarms.errorRatePercent,
        operator: 'GreaterThanThreshold',
        statistic: undefined,
        evaluationPeriods: 1,
        datapointsToAlarm: undefined,
      },
      Duration: {
        threshold: service.alarms.p99LatencyMs,
        operator: 'GreaterThanThreshold',
        statistic: 'p99',
        evaluationPeriods: LATENCY_ALARM_WINDOW.minutes,
        datapointsToAlarm: LATENCY_ALARM_WINDOW.datapoints,
      },
      Throttles: sum(service.alarms.maxThrottles),
    },
    hookChecks: [service.checks, service.checks],
  };
}

describe('the plan matches the synthesized pipeline', () => {
  let plan: Plan;
  let stages: PipelineStage[];
  let projects: Resources;
  let stacks: Map<string, { resources: Resources; account: string; region: string }>;
  let assemblyDir: string;
  let prefixOf: (stage: string) => string;

  beforeAll(() => {
    const s = defaultApp();
    assemblyDir = s.outdir;
    prefixOf = (name) => s.model.stages.find((st) => st.name === name)!.prefix;
    plan = buildPlan(s.model);
    const template = Template.fromJSON(s.pipelineStack.template);
    const pipeline = Object.values(template.findResources('AWS::CodePipeline::Pipeline'))[0];
    projects = template.findResources('AWS::CodeBuild::Project');
    stages = pipeline.Properties.Stages;
    stacks = new Map(
      new CloudAssembly(s.outdir).stacksRecursively.map((stack) => [
        stack.stackName,
        {
          resources: stack.template.Resources,
          account: stack.environment.account,
          region: stack.environment.region,
        },
      ]),
    );
  });

  const stageNamed = (name: string) => stages.find((st) => st.Name === name)!;
  const deployActions = (stage: PipelineStage) =>
    stage.Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');

  test('source, build, self-mutation and asset publishing come first, as the diagram draws', () => {
    expect(stages.slice(0, 4).map((st) => st.Name)).toEqual([
      'Source',
      'Build',
      'UpdatePipeline',
      'Assets',
    ]);
    const build = Object.values(projects).find((p) =>
      String(p.Properties.Source.BuildSpec).includes('cdk synth'),
    )!;
    const spec = JSON.parse(build.Properties.Source.BuildSpec);
    expect([...spec.phases.install.commands, ...spec.phases.build.commands]).toEqual(
      plan.buildCommands,
    );
  });

  test('then the planned stages, in the planned order', () => {
    expect(stages.slice(4).map((st) => st.Name)).toEqual(plan.stages.map((st) => st.name));
  });

  test('an approval precedes exactly the stages the plan says, before anything deploys', () => {
    for (const planned of plan.stages) {
      const stage = stageNamed(planned.name);
      const approvals = stage.Actions.filter((a) => a.ActionTypeId.Provider === 'Manual');
      expect({ stage: planned.name, approvals: approvals.length }).toEqual({
        stage: planned.name,
        approvals: planned.approval ? 1 : 0,
      });
      for (const approval of approvals) {
        for (const deploy of deployActions(stage)) {
          expect(deploy.RunOrder).toBeGreaterThan(approval.RunOrder);
        }
      }
    }
  });

  test('smoke tests follow exactly the stages the plan says, after everything deployed', () => {
    for (const planned of plan.stages) {
      const stage = stageNamed(planned.name);
      const smoke = stage.Actions.filter((a) => a.Name === `SmokeTest-${planned.name}`);
      expect({ stage: planned.name, smokeTests: smoke.length }).toEqual({
        stage: planned.name,
        smokeTests: planned.smokeTestChecks === undefined ? 0 : 1,
      });
      for (const step of smoke) {
        for (const deploy of deployActions(stage)) {
          expect(step.RunOrder).toBeGreaterThan(deploy.RunOrder);
        }
      }
    }
  });

  test('each stage deploys the planned services to the planned account and region', () => {
    for (const planned of plan.stages) {
      const deployed = deployActions(stageNamed(planned.name)).map((a) =>
        stacks.get(a.Configuration!.StackName!)!,
      );
      for (const stack of deployed) {
        expect({ account: stack.account, region: stack.region }).toEqual({
          account: planned.env.account,
          region: planned.env.region,
        });
      }
      const services = deployed.flatMap((stack) =>
        deployedServices(stack.resources, prefixOf(planned.name), assemblyDir),
      );
      expect({ stage: planned.name, services: services.map((s) => s.name).sort() }).toEqual({
        stage: planned.name,
        services: planned.services.map((s) => s.name).sort(),
      });
    }
  });

  test('with the planned CodeDeploy configs, alarm thresholds and hook checks', () => {
    for (const stage of plan.stages) {
      const deployed = deployActions(stageNamed(stage.name)).flatMap((a) =>
        deployedServices(
          stacks.get(a.Configuration!.StackName!)!.resources,
          prefixOf(stage.name),
          assemblyDir,
        ),
      );
      expect(byName(deployed)).toEqual(byName(stage.services.map(planned)));
    }
  });
});

test('custom canary and linear strategies synthesize as the plan describes them', () => {
  const model = loadApp(ROOT);
  const base = model.stages[model.stages.length - 1].services[0];
  const services: ServiceModel[] = [
    { ...base, name: 'order-history', strategy: Strategy.canary(25, 5) },
    { ...base, name: 'payments', strategy: Strategy.linear(20, 3) },
    { ...base, name: 'audit', strategy: Strategy.predefined('LINEAR_10PERCENT_EVERY_2MINUTES') },
  ];
  const app = new App({ context: cdkJsonContext() });
  const qa = { ...model, stages: [{ ...model.stages[0], name: 'qa', services }] };
  const code = FunctionBundles.build(qa, app.outdir);
  const stack = new ServiceStack(app, 'qa-custom', {
    stageName: 'qa',
    prefix: 'fixture-qa',
    services,
    code,
  });
  const plan = buildPlan(qa);
  const resources = Template.fromStack(stack).toJSON().Resources;
  expect(byName(deployedServices(resources, 'fixture-qa', app.outdir))).toEqual(
    byName(plan.stages[0].services.map(planned)),
  );
});
