import { smokeTargetsPath } from '../../runtime/synthetic/smoke-targets';
import {
  stageEnvironments,
  type AlarmThresholds,
  type AppModel,
  type CanaryJudgement,
  type DeploymentWindowModel,
  type EnvironmentModel,
  type Env,
  type StageModel,
  type WaveModel,
} from '../config/model';
import { releaseExceptions, type ReleaseException } from '../config/release-exceptions';
import { strategyLabel, strategyMinutes, type DeploymentStrategy } from '../config/strategy';
import { buildCommands } from '../pipeline/build-commands';
import {
  approvalStepName,
  bakeStepName,
  latticeServiceName,
  monitoringStackName,
  MONITORING_WAVE,
  overviewDashboardName,
  pipelineStageName,
  releaseJudgeName,
  smokeTestStepName,
  stageHealthAlarmName,
  stageTopicName,
} from '../resource-names';
import { toolVersions } from '../tool-versions';
import { codeDeployConfig, describeCodeDeployConfig, type CodeDeployConfig } from './codedeploy';
import { stageOps, type StageOps } from './ops';
import { releaseJudgement, type ReleaseJudgement } from './release';
import { longestShift, releaseTiming, type ReleaseTiming } from './timing';

/**
 * The delivery plan: what a push goes through, read from the validated model the CDK app is
 * built from (no second source of truth). The printed plan and docs/pipeline.md render it; a
 * test compares it with the synthesized pipeline.
 */
export interface Plan {
  readonly pipelineName: string;
  readonly source: { readonly repository: string; readonly branch: string };
  readonly pipelineEnv: Env;
  /** What the build step runs before anything deploys. */
  readonly buildCommands: readonly string[];
  /** The first wave after asset publishing: every stage's monitoring, in every environment. */
  readonly monitoring: PlannedMonitoring;
  /** In pipeline order. */
  readonly stages: readonly PlannedStage[];
  readonly timing: ReleaseTiming;
}

/** An environment of `pipeline.config.ts`: its name, account and region. */
export interface PlannedEnvironment extends Env {
  readonly name: string;
}

/** The pipeline stage that deploys the monitoring stacks before any stage. */
export interface PlannedMonitoring {
  /** Its CodePipeline stage. */
  readonly pipelineStage: string;
  /** One per environment of every stage, in pipeline order; all deploy in parallel. */
  readonly stacks: readonly PlannedMonitoringStack[];
}

/** A stage's monitoring stack in one environment. */
export interface PlannedMonitoringStack {
  readonly stage: string;
  readonly environment: PlannedEnvironment;
  readonly stackName: string;
  /** Its notification topic. */
  readonly topic: string;
  /** `<prefix>-health`: any fleet alarm of the stage; what the stage conditions watch. */
  readonly healthAlarm: string;
  /** One per service, on its `live` alias. */
  readonly fleetAlarms: number;
  /** The stage's release judge there, run every minute, and the alarm on its errors. */
  readonly releaseJudge: { readonly function: string; readonly errorsAlarm: string };
  readonly dashboard: string;
}

export interface PlannedStrategy {
  /** `ALL_AT_ONCE`, `CANARY_10PERCENT_10MINUTES`, `LINEAR_20PERCENT_EVERY_2MINUTES`, ... */
  readonly label: string;
  readonly codeDeploy: CodeDeployConfig;
  /** From the first traffic shift to 100%. */
  readonly shiftMinutes: number;
}

export interface PlannedStage {
  readonly name: string;
  /** `<pipelineName>-<stage>`: the prefix of the stage's physical names. */
  readonly prefix: string;
  /** The stage entry's strategy; a service may override it. */
  readonly strategy: PlannedStrategy;
  /** A manual approval before the first wave. */
  readonly approval: boolean;
  /** The first wave starts only inside it. */
  readonly deploymentWindow?: DeploymentWindowModel;
  /** A wave does not start while the health alarm of one of its environments fires. */
  readonly blockWhileAlarming: boolean;
  /** Minutes each wave is watched after it reaches 100%; 0: no bake. */
  readonly bakeMinutes: number;
  /** The alarm the stage conditions watch, in each environment: `<prefix>-health`. */
  readonly healthAlarm: string;
  /** Every environment of the stage, in wave order. */
  readonly environments: readonly PlannedEnvironment[];
  /** In order: each deploys in a CodePipeline stage of its own, after the one before. */
  readonly waves: readonly PlannedWave[];
  readonly services: readonly PlannedService[];
  /** The longest traffic shift of the stage's services, which deploy in parallel. */
  readonly shiftMinutes: number;
  /** How to operate a release of the stage. */
  readonly ops: StageOps;
  /** Exceptions its entry declares to the release rules, with their reasons. */
  readonly exceptions: readonly ReleaseException[];
}

/** A rule of a stage condition that watches the stage's health alarm in one environment. */
export interface PlannedAlarmRule {
  readonly alarm: string;
  readonly environment: PlannedEnvironment;
}

/** One wave of a stage: its environments deploy in parallel, in one CodePipeline stage. */
export interface PlannedWave {
  /** 1-based. */
  readonly index: number;
  /** The CodePipeline stage that deploys it. */
  readonly pipelineStage: string;
  readonly environments: readonly PlannedEnvironment[];
  /**
   * The entry condition (result FAIL): the deployment window (every wave), and one alarm rule
   * per environment when the stage blocks while alarming, holding the release up to
   * `waitMinutes` while the alarm fires. Undefined: none.
   */
  readonly entry?: {
    readonly window?: DeploymentWindowModel;
    readonly alarms: readonly PlannedAlarmRule[];
    /** Minutes a release waits for a firing alarm to clear before it fails. */
    readonly waitMinutes: number;
  };
  /**
   * The manual approval: a pipeline stage of its own before the first wave (named like the
   * approval), so the entry condition is checked after a person said yes.
   */
  readonly approval?: string;
  /** The smoke-test step after the wave deployed. */
  readonly smokeTest?: {
    readonly step: string;
    /** The targets file in the cloud assembly. */
    readonly targets: string;
    /** Checks it runs: every service's, in every environment of the wave. */
    readonly checks: number;
  };
  /**
   * The bake: an action beside the smoke tests (once the wave is at 100%) that watches each environment's health alarm for
   * `minutes` and fails the stage if one fires; the stage's on-failure result, ROLLBACK, rolls
   * the wave back. Undefined: no bake.
   */
  readonly bake?: {
    readonly step: string;
    readonly minutes: number;
    readonly alarms: readonly PlannedAlarmRule[];
  };
  /** The stage rolls back to its last successful execution when it fails. */
  readonly rollbackOnFailure: boolean;
}

export interface PlannedService {
  readonly name: string;
  readonly strategy: PlannedStrategy;
  readonly alarms: AlarmThresholds;
  readonly canary: CanaryJudgement;
  /** What a release is judged on: the release alarms, the evidence, the fleet alarm. */
  readonly judgement: ReleaseJudgement;
  /** Synthetic checks each hook runs. */
  readonly checks: number;
  /** The VPC Lattice service in front of the `live` alias, when the service has one. */
  readonly frontDoor?: string;
}

export function buildPlan(model: AppModel): Plan {
  return {
    pipelineName: model.pipelineName,
    source: { repository: model.source.repository, branch: model.source.branch },
    pipelineEnv: model.pipelineEnv,
    buildCommands: Object.values(buildCommands(toolVersions().cfnLint)).flat(),
    monitoring: {
      pipelineStage: MONITORING_WAVE,
      stacks: model.stages.flatMap((stage) =>
        stageEnvironments(stage).map((env) => ({
          stage: stage.name,
          environment: environment(env),
          stackName: monitoringStackName(stage.prefix),
          topic: stageTopicName(stage.prefix),
          healthAlarm: stageHealthAlarmName(stage.prefix),
          fleetAlarms: stage.services.length,
          releaseJudge: {
            function: releaseJudgeName(stage.prefix),
            errorsAlarm: `${releaseJudgeName(stage.prefix)}-errors`,
          },
          dashboard: overviewDashboardName(stage.prefix),
        })),
      ),
    },
    stages: model.stages.map(planStage),
    timing: releaseTiming(model.stages),
  };
}

function planStage(stage: StageModel): PlannedStage {
  const services = stage.services.map((service) => ({
    name: service.name,
    strategy: planStrategy(service.strategy),
    alarms: service.alarms,
    canary: service.canary,
    judgement: releaseJudgement(stage.prefix, service),
    checks: service.checks.length,
    ...(service.lattice && { frontDoor: latticeServiceName(stage.prefix, service.name) }),
  }));
  const waves = stage.waves.map((wave) => planWave(stage, wave));
  return {
    name: stage.name,
    prefix: stage.prefix,
    strategy: planStrategy(stage.strategy),
    approval: stage.requiresApproval,
    ...(stage.deploymentWindow && { deploymentWindow: stage.deploymentWindow }),
    blockWhileAlarming: stage.blockWhileAlarming,
    bakeMinutes: stage.bakeMinutes,
    healthAlarm: stageHealthAlarmName(stage.prefix),
    environments: stageEnvironments(stage).map(environment),
    waves,
    services,
    shiftMinutes: longestShift(stage).minutes,
    ops: stageOps({
      name: stage.name,
      waves: stage.waves,
      services: stage.services,
      hasEntryCondition: waves.some((w) => w.entry !== undefined),
    }),
    exceptions: releaseExceptions(stage),
  };
}

/** The steps and conditions of one wave, as `PipelineStack` and `waveConditions` build them. */
function planWave(stage: StageModel, wave: WaveModel): PlannedWave {
  const environments = wave.environments.map(environment);
  const rules = environments.map((env) => ({
    alarm: stageHealthAlarmName(stage.prefix),
    environment: env,
  }));
  const window = stage.deploymentWindow;
  const entryAlarms = stage.blockWhileAlarming ? rules : [];
  const checks = stage.services.reduce((total, s) => total + s.checks.length, 0);
  return {
    index: wave.index,
    pipelineStage: pipelineStageName(stage, wave),
    environments,
    ...((window || entryAlarms.length > 0) && {
      entry: {
        ...(window && { window }),
        alarms: entryAlarms,
        waitMinutes: stage.blockWaitMinutes,
      },
    }),
    ...(stage.requiresApproval && wave.index === 1 && { approval: approvalStepName(stage) }),
    ...(stage.smokeTests && {
      smokeTest: {
        step: smokeTestStepName(stage, wave),
        targets: smokeTargetsPath(stage.name, wave.index),
        checks: checks * environments.length,
      },
    }),
    ...(stage.bakeMinutes > 0 && {
      bake: { step: bakeStepName(stage, wave), minutes: stage.bakeMinutes, alarms: rules },
    }),
    rollbackOnFailure: stage.bakeMinutes > 0,
  };
}

function environment(env: EnvironmentModel): PlannedEnvironment {
  return { name: env.name, account: env.account, region: env.region };
}

function planStrategy(strategy: DeploymentStrategy): PlannedStrategy {
  return {
    label: strategyLabel(strategy),
    codeDeploy: codeDeployConfig(strategy),
    shiftMinutes: strategyMinutes(strategy),
  };
}

/** `1 synthetic check`, `3 synthetic checks`. */
export function checksText(count: number): string {
  return `${count} synthetic check${count === 1 ? '' : 's'}`;
}

/** `CANARY_10PERCENT_10MINUTES (CodeDeployDefault.LambdaCanary10Percent10Minutes)`. */
export function describeStrategy(strategy: PlannedStrategy): string {
  return `${strategy.label} (${describeCodeDeployConfig(strategy.codeDeploy)})`;
}

/** `prod-eu (333333333333 / eu-west-1)`. */
export function describeEnvironment(env: PlannedEnvironment): string {
  return `${env.name} (${env.account} / ${env.region})`;
}
