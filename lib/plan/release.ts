import { policyBoundaries, errorHypotheses, type JudgePolicy } from '../../runtime/judge/judge';
import { detectableRate } from '../../runtime/judge/sizing';
import { badOutcomesToRollBack, minimumSample } from '../../runtime/judge/sprt';
import { METRIC_DELAY_MINUTES } from '../../runtime/model/metric-delay';
import { callsBeforeFullShift } from '../../runtime/model/traffic-shift';
import type { CanaryJudgement, ServiceModel } from '../config/model';
import { judgePolicy, trafficShift } from '../service/judge-policy';
import { fleetAlarmName, LIVE_ALIAS, verdictAlarmName } from '../resource-names';

/**
 * From the last minute of a canary whose calls can still stop it to 100%: CloudWatch's delay,
 * then the judge's minute, the alarm's evaluation and CodeDeploy's poll of it.
 */
export const REACTION_MINUTES = METRIC_DELAY_MINUTES + 3;

/** What decides whether a release of a service passes. */
export interface ReleaseJudgement {
  /** The deployment group's alarm, `<prefix>-<service>-canary-verdict-v<version>`. */
  readonly verdictAlarm: string;
  readonly policy: JudgePolicy;
  readonly onQuiet: CanaryJudgement['onQuiet'];
  /** Minutes the post-traffic hook watches real traffic at 100% at most. */
  readonly watchMinutes: number;
  /** Good calls a pass rests on at the least (with no failure; each failure adds as many). */
  readonly minimumSample: number;
  /** Failed calls in a row that roll a release back at once. */
  readonly failuresToRollBack: number;
  /** The service's fleet alarm, on its whole `live` alias: notifies and holds the stage. */
  readonly fleetAlarm: string;
  /** What the canary can see at the traffic the stage entry declares. */
  readonly sizing?: CanarySizing;
}

/** A canary at the declared traffic: how many calls it judges, and what they can reveal. */
export interface CanarySizing {
  readonly requestsPerMinute: number;
  /** Calls judged in time to stop the release before 100%. */
  readonly callsBeforeFullShift: number;
  /** The smallest error rate (percent) caught before 100% with the service's power. */
  readonly detectableBeforeFullShift?: number;
  /** Calls judged by the end of the post-traffic hook's watch. */
  readonly callsByEndOfWatch: number;
  /** The smallest error rate (percent) caught by then. */
  readonly detectableByEndOfWatch?: number;
  /**
   * Minutes at 100% until a healthy release has the calls a pass needs (CloudWatch's delay
   * included); undefined when that is longer than the watch.
   */
  readonly passAfterMinutes?: number;
  /** Synthetic calls make up the sample a healthy release lacks (`onQuiet: 'generate-traffic'`). */
  readonly synthetic: boolean;
  /**
   * The shortest custom canary (then the smallest share) that catches a version failing twice
   * the threshold before 100%, when this one does not; undefined when it does, or none of up
   * to 50% for an hour would.
   */
  readonly suggestion?: {
    readonly percentage: number;
    readonly minutes: number;
    readonly detectable: number;
  };
  /** True when this canary already catches twice the threshold before 100%. */
  readonly enough: boolean;
}

/** Custom canaries the plan considers, shortest first. */
const CANDIDATES = [10, 15, 20, 30, 45, 60].flatMap((minutes) =>
  [10, 25, 50].map((percentage) => ({ percentage, minutes })),
);

/** How a service is judged in a stage, as `CanaryService` and its release judge do it. */
export function releaseJudgement(prefix: string, service: ServiceModel): ReleaseJudgement {
  const policy = judgePolicy(service);
  const bounds = policyBoundaries(policy);
  const h = errorHypotheses(policy);
  return {
    verdictAlarm: verdictAlarmName(prefix, service.name, '<version>'),
    policy,
    onQuiet: service.canary.onQuiet,
    watchMinutes: service.canary.watchMinutes,
    minimumSample: minimumSample(h, bounds),
    failuresToRollBack: badOutcomesToRollBack(h, bounds, 0),
    fleetAlarm: fleetAlarmName(prefix, service.name),
    ...(service.requestsPerMinute !== undefined &&
      policy.requireVerdict && { sizing: sizing(service, service.requestsPerMinute) }),
  };
}

/** The canary of `service` at `rpm` calls a minute. */
export function sizing(service: ServiceModel, rpm: number): CanarySizing {
  const policy = judgePolicy(service);
  const bounds = policyBoundaries(policy);
  const h = errorHypotheses(policy);
  const power = policy.powerPercent / 100;
  const shift = trafficShift(service.strategy);
  const before = Math.floor(callsBeforeFullShift(shift, rpm, REACTION_MINUTES));
  const atFull = Math.max(0, service.canary.watchMinutes - METRIC_DELAY_MINUTES - 1) * rpm;
  const byEnd = Math.floor(callsBeforeFullShift(shift, rpm) + atFull);
  const percent = (rate: number | undefined) =>
    rate === undefined ? undefined : Math.round(rate * 1000) / 10;
  const firstLook = METRIC_DELAY_MINUTES + 2;
  const synthetic = service.canary.onQuiet === 'generate-traffic';
  const missing = Math.max(0, minimumSample(h, bounds) - callsBeforeFullShift(shift, rpm));
  const passAfter = synthetic
    ? firstLook
    : Math.max(firstLook, Math.ceil(missing / rpm) + METRIC_DELAY_MINUTES + 1);
  const detectable = percent(detectableRate(h, bounds, before, power));
  const target = 2 * policy.errorRatePercent;
  const enough = detectable !== undefined && detectable <= target;
  const suggestion = enough
    ? undefined
    : CANDIDATES.map((c) => ({
        ...c,
        detectable: percent(
          detectableRate(
            h,
            bounds,
            Math.floor(
              callsBeforeFullShift(
                { kind: 'canary', percentage: c.percentage, intervalMinutes: c.minutes },
                rpm,
                REACTION_MINUTES,
              ),
            ),
            power,
          ),
        ),
      })).find((c) => c.detectable !== undefined && c.detectable <= target);
  return {
    requestsPerMinute: rpm,
    callsBeforeFullShift: before,
    detectableBeforeFullShift: detectable,
    callsByEndOfWatch: byEnd,
    detectableByEndOfWatch: percent(detectableRate(h, bounds, byEnd, power)),
    ...(passAfter <= service.canary.watchMinutes && { passAfterMinutes: passAfter }),
    synthetic,
    enough,
    ...(suggestion && {
      suggestion: {
        percentage: suggestion.percentage,
        minutes: suggestion.minutes,
        detectable: suggestion.detectable!,
      },
    }),
  };
}

/** `failed, slow (> 800 ms) and throttled calls: 1% vs a healthy 0.1% (99% confidence, 90% power)`. */
export function judgedOnText(judgement: Pick<ReleaseJudgement, 'policy'>): string {
  const p = judgement.policy;
  const vs = p.compareToBaseline ? ", or the old version's rate if higher" : '';
  if (!p.requireVerdict) {
    return `failed, slow (> ${p.p99LatencyMs} ms) and throttled calls: rolled back on evidence of ${p.errorRatePercent}% against a healthy ${p.baselineErrorRatePercent}%${vs} (${p.confidencePercent}% confidence); nothing is held back to wait for more`;
  }
  return `failed, slow (> ${p.p99LatencyMs} ms) and throttled calls since the shift started: ${p.errorRatePercent}% against a healthy ${p.baselineErrorRatePercent}%${vs} (${p.confidencePercent}% confidence, ${p.powerPercent}% power)`;
}

/** What it takes to pass, in words. */
export function evidenceText(
  judgement: Pick<ReleaseJudgement, 'policy' | 'minimumSample' | 'onQuiet' | 'watchMinutes'>,
): string {
  if (!judgement.policy.requireVerdict) return 'no minimum: all at once';
  const rest =
    judgement.onQuiet === 'fail'
      ? `fewer after ${judgement.watchMinutes} min at 100%: the release fails`
      : 'fewer after the first minute at 100%: synthetic calls on the new version make up the rest';
  return `a pass needs ≥ ${judgement.minimumSample} good calls (more after a failure); ${rest}`;
}

/** `50 req/min: ~20 calls judged before 100% (catches ≥ 27% failing), ...`. */
export function sizingText(s: CanarySizing): string {
  const caught = (rate: number | undefined) =>
    rate === undefined
      ? 'too few to catch even a version that fails every call'
      : `catches ≥ ${rate}% failing`;
  const pass =
    s.passAfterMinutes === undefined
      ? 'a healthy release does not reach the sample a pass needs within the watch, and fails'
      : `a healthy release passes about ${s.passAfterMinutes} min after 100%${s.synthetic ? ' (synthetic calls make up its sample)' : ''}`;
  const advice = s.enough
    ? ''
    : s.suggestion
      ? `; to catch ${s.suggestion.detectable}% before 100%: Strategy.canary(${s.suggestion.percentage}, ${s.suggestion.minutes})`
      : '; no canary of up to 50% for an hour catches twice the threshold before 100% at this traffic';
  return `${s.requestsPerMinute} req/min: ~${s.callsBeforeFullShift} calls judged in time to stop it before 100% (${caught(s.detectableBeforeFullShift)}); ~${s.callsByEndOfWatch} by the end of the post-traffic hook's watch (${caught(s.detectableByEndOfWatch)}); ${pass}${advice}`;
}

/** `3 synthetic checks`; both hooks run the same ones. */
export function hooksText(checks: string, judging: boolean): string {
  const post = judging ? 'judges the release, then runs the same checks' : 'the same checks';
  return `pre-traffic: ${checks} on the new version; post-traffic: ${post} through the ${LIVE_ALIAS} alias`;
}
