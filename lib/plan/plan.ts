import { LIVE_ALIAS } from '../resource-names';
import { stageEnvironments, type AlarmThresholds, type AppModel, type Env } from '../config/model';
import { strategyLabel, strategyMinutes, type DeploymentStrategy } from '../config/strategy';
import { buildCommands } from '../pipeline/build-commands';
import { toolVersions } from '../tool-versions';
import { codeDeployConfig, describeCodeDeployConfig, type CodeDeployConfig } from './codedeploy';
import { longestShift, releaseTiming, type ReleaseTiming } from './timing';

/**
 * The delivery plan: what a push goes through, read from the validated model the CDK app is
 * built from (no second source of truth). The printed plan and docs/pipeline.md render it.
 */
export interface Plan {
  readonly pipelineName: string;
  readonly source: { readonly repository: string; readonly branch: string };
  readonly pipelineEnv: Env;
  /** What the build step runs before anything deploys. */
  readonly buildCommands: readonly string[];
  /** In pipeline order. */
  readonly stages: readonly PlannedStage[];
  readonly timing: ReleaseTiming;
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
  readonly env: Env;
  /** The stage entry's strategy; a service may override it. */
  readonly strategy: PlannedStrategy;
  readonly approval: boolean;
  /** Synthetic checks the smoke tests after the stage run; undefined without smoke tests. */
  readonly smokeTestChecks?: number;
  readonly services: readonly PlannedService[];
  /** The longest traffic shift of the stage's services, which deploy in parallel. */
  readonly shiftMinutes: number;
}

export interface PlannedService {
  readonly name: string;
  readonly strategy: PlannedStrategy;
  readonly alarms: AlarmThresholds;
  /** Synthetic checks each hook runs. */
  readonly checks: number;
}

/** What each traffic hook invokes with the service's synthetic checks. */
export const HOOKS_TEXT = `pre-traffic: new version; post-traffic: ${LIVE_ALIAS} alias`;

export function buildPlan(model: AppModel): Plan {
  return {
    pipelineName: model.pipelineName,
    source: { repository: model.source.repository, branch: model.source.branch },
    pipelineEnv: model.pipelineEnv,
    buildCommands: Object.values(buildCommands(toolVersions().cfnLint)).flat(),
    stages: model.stages.map((stage) => {
      const services = stage.services.map((service) => ({
        name: service.name,
        strategy: planStrategy(service.strategy),
        alarms: service.alarms,
        checks: service.checks.length,
      }));
      return {
        name: stage.name,
        env: stageEnvironments(stage)[0],
        strategy: planStrategy(stage.strategy),
        approval: stage.requiresApproval,
        smokeTestChecks: stage.smokeTests
          ? services.reduce((total, s) => total + s.checks, 0)
          : undefined,
        services,
        shiftMinutes: longestShift(stage).minutes,
      };
    }),
    timing: releaseTiming(model.stages),
  };
}

function planStrategy(strategy: DeploymentStrategy): PlannedStrategy {
  return {
    label: strategyLabel(strategy),
    codeDeploy: codeDeployConfig(strategy),
    shiftMinutes: strategyMinutes(strategy),
  };
}

/**
 * The latency alarm fires on this many breaching minutes out of the last few (set in
 * `CanaryService`; the plan-versus-synth test keeps the two equal).
 */
export const LATENCY_ALARM_WINDOW = { datapoints: 2, minutes: 3 } as const;

/** `errors ≥ 1/min`, `p99 > 1000 ms (2 of 3 min)`, `throttles ≥ 1/min`, as the alarms compare. */
export function describeAlarms(alarms: AlarmThresholds): {
  readonly errors: string;
  readonly latency: string;
  readonly throttles: string;
} {
  return {
    errors: `error rate > ${alarms.errorRatePercent}% (from ${alarms.minInvocationsPerMinute} invocations/min)`,
    latency: `p99 > ${alarms.p99LatencyMs} ms (${LATENCY_ALARM_WINDOW.datapoints} of ${LATENCY_ALARM_WINDOW.minutes} min)`,
    throttles: `throttles ≥ ${alarms.maxThrottles}/min`,
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
