import type { SyntheticCheck } from '../../runtime/synthetic/types';
import { ConfigError } from './config-error';
import type { AlarmThresholds, CanaryJudgement, ServiceModel } from './model';
import { DEFAULTS, type ServiceDefinition } from './schema';
import type { DeploymentStrategy } from './strategy';

/** A service definition that passed its schema, with its folder, handler and checks. */
export interface ParsedService {
  readonly def: ServiceDefinition;
  /** Absolute path of the service folder. */
  readonly dir: string;
  /** Absolute path of the handler file. */
  readonly entry: string;
  /** Project-relative path of `service.ts`, for messages. */
  readonly file: string;
  readonly checks: readonly SyntheticCheck[];
}

/**
 * One service in one stage: the definition's settings, its `stageOverrides` for the stage
 * (field by field; `environment`, `alarms` and `canary` key by key), the stage entry's
 * `lattice` and `requestsPerMinute`, and the defaults.
 */
export function resolveService(
  svc: ParsedService,
  stage: { readonly name: string; readonly requiresApproval: boolean },
  strategy: DeploymentStrategy,
  entryLattice: boolean | undefined,
  requestsPerMinute?: number,
): { model: Omit<ServiceModel, 'stack'>; latticeSource: string } {
  const { def } = svc;
  const o = (
    def.stageOverrides && Object.hasOwn(def.stageOverrides, stage.name)
      ? def.stageOverrides[stage.name]
      : {}
  ) as NonNullable<ServiceDefinition['stageOverrides']>[string];
  const timeoutSeconds = o.timeoutSeconds ?? def.timeoutSeconds ?? DEFAULTS.timeoutSeconds;
  const timeoutMs = timeoutSeconds * 1000;
  const a = { ...def.alarms, ...o.alarms };
  const alarms: AlarmThresholds = {
    errorRatePercent: a.errorRatePercent ?? DEFAULTS.errorRatePercent,
    minInvocationsPerMinute: a.minInvocationsPerMinute ?? DEFAULTS.minInvocationsPerMinute,
    p99LatencyMs: a.p99LatencyMs ?? Math.min(DEFAULTS.p99LatencyMsMax, Math.floor(timeoutMs * 0.8)),
    maxThrottles: a.maxThrottles ?? DEFAULTS.maxThrottles,
  };
  if (alarms.p99LatencyMs >= timeoutMs) {
    const field =
      o.alarms?.p99LatencyMs !== undefined
        ? `stageOverrides.${stage.name}.alarms.p99LatencyMs`
        : 'alarms.p99LatencyMs';
    const timeout =
      o.timeoutSeconds !== undefined
        ? `stageOverrides.${stage.name}.timeoutSeconds (${timeoutSeconds} s)`
        : `timeoutSeconds (${timeoutSeconds} s)`;
    throw new ConfigError(
      `Service definition "${def.name}" (${svc.file}): ${field} is ${alarms.p99LatencyMs} in stage "${stage.name}", not below ${timeout}, so the alarm could never fire before the function times out. Fix: use a p99 threshold below ${timeoutMs} ms, or a longer timeout`,
    );
  }

  const c = { ...def.canary, ...o.canary };
  const canaryField = (name: string) =>
    o.canary && name in o.canary ? `stageOverrides.${stage.name}.canary.${name}` : `canary.${name}`;
  const baselineErrorRatePercent =
    c.baselineErrorRatePercent ?? alarms.errorRatePercent / DEFAULTS.baselineRatio;
  if (baselineErrorRatePercent >= alarms.errorRatePercent) {
    throw new ConfigError(
      `Service definition "${def.name}" (${svc.file}): ${canaryField('baselineErrorRatePercent')} is ${baselineErrorRatePercent} in stage "${stage.name}", not below alarms.errorRatePercent (${alarms.errorRatePercent}), so the judge could not tell a healthy release from one at the threshold. Fix: use a healthy error rate below ${alarms.errorRatePercent}, e.g. ${alarms.errorRatePercent / DEFAULTS.baselineRatio}`,
    );
  }
  const canary: CanaryJudgement = {
    baselineErrorRatePercent,
    confidencePercent: c.confidencePercent ?? DEFAULTS.confidencePercent,
    powerPercent: c.powerPercent ?? DEFAULTS.powerPercent,
    onQuiet: c.onQuiet ?? DEFAULTS.onQuiet,
    compareToBaseline: c.compareToBaseline ?? DEFAULTS.compareToBaseline,
    watchMinutes: c.watchMinutes ?? DEFAULTS.watchMinutes,
  };

  const lattice = entryLattice ?? o.lattice ?? def.lattice ?? false;
  const latticeSource =
    o.lattice !== undefined
      ? `stageOverrides.${stage.name}.lattice in ${svc.file}`
      : `lattice: true in ${svc.file}`;
  const reservedConcurrency = o.reservedConcurrency ?? def.reservedConcurrency;
  return {
    model: {
      name: def.name,
      ...(def.description !== undefined ? { description: def.description } : {}),
      dir: svc.dir,
      entry: svc.entry,
      memoryMb: o.memoryMb ?? def.memoryMb ?? DEFAULTS.memoryMb,
      timeoutSeconds,
      ...(reservedConcurrency !== undefined ? { reservedConcurrency } : {}),
      environment: { ...def.environment, ...o.environment },
      alarms,
      canary,
      lattice,
      strategy,
      ...(requestsPerMinute !== undefined ? { requestsPerMinute } : {}),
      checks: svc.checks,
    },
    latticeSource,
  };
}
