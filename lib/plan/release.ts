import type { CanaryJudgement, ServiceModel } from '../config/model';
import { alarmName, fleetAlarmName, LIVE_ALIAS, type AlarmKind } from '../resource-names';

/**
 * The p99 alarms (release and fleet) fire on this many breaching minutes out of the last few
 * (set in `lib/monitoring/service-metrics.ts`; the plan-versus-synth test keeps the two equal).
 */
export const LATENCY_ALARM_WINDOW = { datapoints: 2, minutes: 3 } as const;

/**
 * One alarm of a service's deployment group: it watches the version being deployed (metrics
 * with `ExecutedVersion`), and any one of them in ALARM rolls the deployment back.
 */
export interface PlannedReleaseAlarm {
  readonly kind: AlarmKind;
  /** Its CloudWatch name, `<prefix>-<service>-<kind>`. */
  readonly name: string;
  readonly threshold: number;
  /** `>`: above the threshold; `≥`: at or above it. */
  readonly operator: '>' | '≥';
  /** Breaching minutes (`datapoints`) out of the last `minutes` that fire it. */
  readonly datapoints: number;
  readonly minutes: number;
  /**
   * Error-rate alarms: a minute is judged only with at least this many invocations (of the new
   * version, and for the baseline comparison of the old one too); other minutes count as fine.
   */
  readonly minInvocationsPerMinute?: number;
  /** What it fires on, in words: `error rate > 1% (minutes of ≥ 10 invocations)`. */
  readonly text: string;
}

/** What decides whether a release of a service passes. */
export interface ReleaseJudgement {
  /** The deployment group's alarms, on the new version only. */
  readonly alarms: readonly PlannedReleaseAlarm[];
  /**
   * Invocations of the new version the post-traffic hook requires (0: none), and what it does
   * with fewer.
   */
  readonly minInvocations: number;
  readonly onQuiet: CanaryJudgement['onQuiet'];
  /** The service's fleet alarm, on its whole `live` alias: notifies and holds the stage. */
  readonly fleetAlarm: string;
}

/** The release alarms of a service in a stage, as `ReleaseAlarms` creates them. */
export function releaseJudgement(prefix: string, service: ServiceModel): ReleaseJudgement {
  const t = service.alarms;
  const name = (kind: AlarmKind) => alarmName(prefix, service.name, kind);
  const everyMinute = { datapoints: 1, minutes: 1 };
  const alarms: PlannedReleaseAlarm[] = [
    {
      kind: 'canary-error-rate',
      name: name('canary-error-rate'),
      threshold: t.errorRatePercent,
      operator: '>',
      ...everyMinute,
      minInvocationsPerMinute: t.minInvocationsPerMinute,
      text: `error rate > ${t.errorRatePercent}% (minutes of ≥ ${t.minInvocationsPerMinute} invocations)`,
    },
    {
      kind: 'canary-p99-latency',
      name: name('canary-p99-latency'),
      threshold: t.p99LatencyMs,
      operator: '>',
      ...LATENCY_ALARM_WINDOW,
      text: `p99 > ${t.p99LatencyMs} ms (${LATENCY_ALARM_WINDOW.datapoints} of ${LATENCY_ALARM_WINDOW.minutes} min)`,
    },
    {
      kind: 'canary-throttles',
      name: name('canary-throttles'),
      threshold: t.maxThrottles,
      operator: '≥',
      ...everyMinute,
      text: `throttles ≥ ${t.maxThrottles}/min`,
    },
  ];
  const margin = service.canary.baselineMarginPercent;
  if (margin !== undefined) {
    alarms.push({
      kind: 'canary-vs-baseline',
      name: name('canary-vs-baseline'),
      threshold: margin,
      operator: '>',
      ...everyMinute,
      minInvocationsPerMinute: t.minInvocationsPerMinute,
      text: `error rate > the old version's + ${points(margin)} (minutes where both have ≥ ${t.minInvocationsPerMinute} invocations)`,
    });
  }
  return {
    alarms,
    minInvocations: service.canary.minInvocations,
    onQuiet: service.canary.onQuiet,
    fleetAlarm: fleetAlarmName(prefix, service.name),
  };
}

/** `error rate > 1% (...), p99 > 800 ms (2 of 3 min), ...`: every release alarm in words. */
export function judgedOnText(judgement: Pick<ReleaseJudgement, 'alarms'>): string {
  return judgement.alarms.map((a) => a.text).join('; ');
}

/** What the post-traffic hook does about a quiet canary, in words. */
export function evidenceText(judgement: Pick<ReleaseJudgement, 'minInvocations' | 'onQuiet'>) {
  if (judgement.minInvocations === 0) return 'no minimum: a canary without traffic passes';
  return judgement.onQuiet === 'fail'
    ? `≥ ${judgement.minInvocations} invocations of the new version, else the post-traffic hook fails the release`
    : `≥ ${judgement.minInvocations} invocations of the new version, else the post-traffic hook generates synthetic traffic until there are enough`;
}

/** `3 synthetic checks`; both hooks run the same ones. */
export function hooksText(checks: string): string {
  return `pre-traffic: ${checks} on the new version; post-traffic: the same through the ${LIVE_ALIAS} alias`;
}

/** `1 point`, `2.5 points`. */
export function points(n: number): string {
  return `${n} point${n === 1 ? '' : 's'}`;
}
