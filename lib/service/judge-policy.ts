import type { JudgePolicy } from '../../runtime/judge/judge';
import type { JudgedService, ReleaseJudgement } from '../../runtime/judge/judge-config';
import type { TrafficShift } from '../../runtime/model/traffic-shift';
import type { ServiceModel } from '../config/model';
import { isAllAtOnce, strategyMinutes, type DeploymentStrategy } from '../config/strategy';
import { LIVE_ALIAS, serviceBaseName } from '../resource-names';

/**
 * How a service's releases are judged in a stage, for the deployed judge (the scheduled judge's
 * `judge.json`, the post-traffic hook's `RELEASE_JUDGEMENT`), the simulator and the plan: one
 * mapping from the resolved configuration, so all of them judge alike. No CDK.
 */
export function judgePolicy(service: ServiceModel): JudgePolicy {
  return {
    errorRatePercent: service.alarms.errorRatePercent,
    baselineErrorRatePercent: service.canary.baselineErrorRatePercent,
    p99LatencyMs: service.alarms.p99LatencyMs,
    confidencePercent: service.canary.confidencePercent,
    powerPercent: service.canary.powerPercent,
    compareToBaseline: service.canary.compareToBaseline,
    requireVerdict: !isAllAtOnce(service.strategy),
  };
}

/**
 * What the post-traffic hook needs, or nothing for a strategy that moves all traffic at once:
 * then nothing is held back, and the hook runs its checks only.
 */
export function releaseJudgement(service: ServiceModel): ReleaseJudgement | undefined {
  if (isAllAtOnce(service.strategy)) return undefined;
  return {
    policy: judgePolicy(service),
    onQuiet: service.canary.onQuiet,
    watchMinutes: service.canary.watchMinutes,
  };
}

/** A service as the stage's scheduled judge knows it. */
export function judgedService(prefix: string, service: ServiceModel): JudgedService {
  const name = serviceBaseName(prefix, service.name);
  return {
    functionName: name,
    deploymentGroup: name,
    alias: LIVE_ALIAS,
    policy: judgePolicy(service),
  };
}

/** CodeDeploy's traffic shift for a strategy, as the runtime models it. */
export function trafficShift(strategy: DeploymentStrategy): TrafficShift {
  if (strategy.kind === 'canary' || strategy.kind === 'linear') {
    return {
      kind: strategy.kind,
      percentage: strategy.percentage,
      intervalMinutes: strategy.intervalMinutes,
    };
  }
  const canary = /^CANARY_(\d+)PERCENT_(\d+)MINUTES$/.exec(strategy.name);
  if (canary) {
    return { kind: 'canary', percentage: Number(canary[1]), intervalMinutes: Number(canary[2]) };
  }
  const linear = /^LINEAR_(\d+)PERCENT_EVERY_(\d+)MINUTES?$/.exec(strategy.name);
  if (linear) {
    return { kind: 'linear', percentage: Number(linear[1]), intervalMinutes: Number(linear[2]) };
  }
  if (strategyMinutes(strategy) !== 0) throw new Error(`unknown strategy ${strategy.name}`);
  return { kind: 'all-at-once' };
}
