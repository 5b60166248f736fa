import type { OnQuiet } from '../../runtime/hooks/hook-config';
import {
  watchRelease,
  type WatchOutcome,
  type WatchRequest,
  type WatchResponse,
} from '../../runtime/hooks/release-watch';
import { judge, type CallCounts, type Evidence, type JudgePolicy } from '../../runtime/judge/judge';
import { VERDICT_ALARM } from '../../runtime/judge/verdict-metric';
import { evaluateAlarm, type AlarmState } from '../../runtime/model/alarm';
import { ALARM_POLL_SECONDS } from '../../runtime/model/codedeploy';
import {
  floorMinute,
  heldUntil,
  METRIC_DELAY_MINUTES,
  MINUTE_MS,
} from '../../runtime/model/metric-delay';
import { shiftMinutes, weightAt, type TrafficShift } from '../../runtime/model/traffic-shift';
import { slowShare } from './latency';
import type { Random } from './random';

/**
 * One simulated release of one service, through the same code the deployed functions run:
 *
 * - traffic: Poisson arrivals at the alias, split between the versions by CodeDeploy's weights
 *   (`traffic-shift.ts`); each call of a version fails, is slow (log-normal durations,
 *   `latency.ts`) or is throttled with that version's probabilities;
 * - CloudWatch: Lambda's per-minute metrics reach it 1 to 3 minutes after the minute ends
 *   (uniformly), and a minute it does not hold yet is missing from any read;
 * - the scheduled judge (`runtime/judge/judge.ts`) every minute while the deployment runs,
 *   publishing its verdict; the verdict alarm evaluated as CloudWatch does (`alarm.ts`), and
 *   polled by CodeDeploy every {@link ALARM_POLL_SECONDS} seconds;
 * - CodeDeploy's order: the pre-traffic hook's checks on the new version, the shift, 100%, then
 *   the post-traffic hook (`runtime/hooks/release-watch.ts`, the deployed hook's procedure) and
 *   its checks through the alias.
 */

/** What the simulator needs of a service's configuration in a stage. */
export interface SimulatedService {
  readonly name: string;
  readonly stage: string;
  readonly shift: TrafficShift;
  readonly policy: JudgePolicy;
  readonly onQuiet: OnQuiet;
  /** Minutes the post-traffic hook watches real traffic at most. */
  readonly watchMinutes: number;
  /** Synthetic checks each hook runs. */
  readonly checks: number;
  /** Synthetic calls the post-traffic hook makes at most. */
  readonly maxSyntheticCalls: number;
}

/** The traffic and the two versions' behaviour; rates are probabilities (0 to 1). */
export interface Scenario {
  readonly requestsPerMinute: number;
  /** The new version's share of failed calls. */
  readonly errorRate: number;
  /** The old version's. */
  readonly baselineErrorRate: number;
  readonly p99Ms: number;
  readonly baselineP99Ms: number;
  /** The share of the new version's calls that are throttled. */
  readonly throttleRate: number;
  /** Whether Lambda publishes `Throttles` per executed version (AWS does not document it). */
  readonly throttlesByVersion: boolean;
  /**
   * Whether the synthetic checks exercise the failing code: then each of their calls fails with
   * the new version's error rate. Off by default: a fault the checks do not reach is the case
   * the judge exists for.
   */
  readonly checksSeeErrors: boolean;
}

export type Outcome = 'rolledBackBefore100' | 'rolledBackAfter100' | 'completed';

export interface RunResult {
  readonly outcome: Outcome;
  /** Minutes from the start of the deployment to its end. */
  readonly minutes: number;
  /** What ended it. */
  readonly by: 'pre-traffic hook' | 'verdict alarm' | 'post-traffic hook';
  readonly reason: string;
  /** Minutes the judge asked for that CloudWatch did not hold yet: 0 unless the delay rule is wrong. */
  readonly missingMinutes: number;
}

/** Seconds the pre-traffic hook takes; the shift starts a little after. */
const PRE_HOOK_MS = 5_000;
const SHIFT_START_MS = 10_000;

interface Minute {
  readonly start: number;
  readonly visibleAt: number;
  readonly released: CallCounts & { readonly throttles: number };
  readonly previous: CallCounts;
}

export function simulateRelease(
  service: SimulatedService,
  scenario: Scenario,
  random: Random,
): RunResult {
  let missingMinutes = 0;
  const created = 100 * MINUTE_MS + random.uniform(0, MINUTE_MS);
  const shiftStart = created + SHIFT_START_MS;
  const shiftEnd = shiftStart + shiftMinutes(service.shift) * MINUTE_MS;
  const hookStart = shiftEnd + 2_000;
  const deadline = hookStart + service.watchMinutes * MINUTE_MS;
  const weight = (t: number) =>
    t < shiftStart ? 0 : weightAt(service.shift, (t - shiftStart) / MINUTE_MS);
  const checksFail = (calls: number) =>
    scenario.checksSeeErrors && random.binomial(calls, scenario.errorRate) > 0;
  const newSlow = slowShare(scenario.p99Ms, service.policy.p99LatencyMs);
  const oldSlow = slowShare(scenario.baselineP99Ms, service.policy.p99LatencyMs);

  if (checksFail(service.checks)) {
    return end('rolledBackBefore100', created + PRE_HOOK_MS, 'pre-traffic hook', 'a check failed');
  }

  // Traffic, per minute, from well before the shift to well after the hook's deadline.
  const minutes = new Map<number, Minute>();
  const first = floorMinute(created) - 60 * MINUTE_MS;
  const last = deadline + 10 * MINUTE_MS;
  for (let start = first; start <= last; start += MINUTE_MS) {
    let share = 0;
    for (let s = 0; s < 60; s++) share += weight(start + s * 1000 + 500) / 60;
    const attempts = random.poisson(scenario.requestsPerMinute * share);
    const throttles = random.binomial(attempts, scenario.throttleRate);
    const ran = attempts - throttles;
    const oldCalls = random.poisson(scenario.requestsPerMinute * (1 - share));
    minutes.set(start, {
      start,
      visibleAt: start + MINUTE_MS + random.uniform(1, METRIC_DELAY_MINUTES) * MINUTE_MS,
      released: {
        calls: ran,
        errors: random.binomial(ran, scenario.errorRate),
        slow: random.binomial(ran, newSlow),
        throttles,
      },
      previous: {
        calls: oldCalls,
        errors: random.binomial(oldCalls, scenario.baselineErrorRate),
        slow: random.binomial(oldCalls, oldSlow),
      },
    });
  }

  const evidence = (from: number, to: number, now: number): Evidence => {
    const sum = { calls: 0, errors: 0, slow: 0, throttles: 0 };
    const old = { calls: 0, errors: 0, slow: 0 };
    const before = { calls: 0, throttles: 0 };
    for (let start = from; start < to; start += MINUTE_MS) {
      const m = minutes.get(start);
      if (m === undefined || m.visibleAt > now) {
        missingMinutes++;
        continue;
      }
      sum.calls += m.released.calls;
      sum.errors += m.released.errors;
      sum.slow += m.released.slow;
      sum.throttles += m.released.throttles;
      old.calls += m.previous.calls;
      old.errors += m.previous.errors;
      old.slow += m.previous.slow;
    }
    for (let start = from - (to - from); start < from; start += MINUTE_MS) {
      const m = minutes.get(start);
      if (m === undefined) continue;
      before.calls += m.released.calls + m.previous.calls;
      before.throttles += m.released.throttles;
    }
    const published = scenario.throttlesByVersion && sum.calls + sum.throttles > 0;
    return {
      released: { calls: sum.calls, errors: sum.errors, slow: sum.slow },
      previous: old,
      throttles: {
        ...(published && { released: { throttles: sum.throttles, calls: sum.calls } }),
        during: { throttles: sum.throttles, calls: sum.calls + old.calls },
        before,
      },
    };
  };

  // The scheduled judge, CloudWatch's alarm evaluation and CodeDeploy's polls, each every
  // minute at its own phase; the post-traffic hook wakes when it asked to.
  const verdicts = new Map<number, number>();
  let alarm: AlarmState = 'INSUFFICIENT_DATA';
  let nextJudge = created + random.uniform(0, MINUTE_MS);
  let nextEvaluation = floorMinute(created) + random.uniform(0, MINUTE_MS);
  let nextPoll = created + random.uniform(0, ALARM_POLL_SECONDS * 1000);
  let hook: Generator<WatchRequest, WatchOutcome, WatchResponse> | undefined;
  let hookWake = hookStart;
  let hookResponse: WatchResponse;

  for (;;) {
    const now = Math.min(nextJudge, nextEvaluation, nextPoll, hookWake);
    if (now === nextPoll) {
      if (alarm === 'ALARM') {
        return end(
          now < shiftEnd ? 'rolledBackBefore100' : 'rolledBackAfter100',
          now,
          'verdict alarm',
          'the judge published a rollback verdict',
        );
      }
      nextPoll += ALARM_POLL_SECONDS * 1000;
    } else if (now === nextEvaluation) {
      alarm = evaluateAlarm(VERDICT_ALARM, verdicts, Math.floor(now / MINUTE_MS));
      nextEvaluation += MINUTE_MS;
    } else if (now === nextJudge) {
      const from = floorMinute(shiftStart);
      const to = heldUntil(now);
      const verdict =
        now >= shiftStart && to > from ? judge(service.policy, evidence(from, to, now)) : undefined;
      const minute = Math.floor(now / MINUTE_MS);
      const value = verdict?.decision === 'roll-back' ? 1 : 0;
      verdicts.set(minute, Math.max(verdicts.get(minute) ?? 0, value));
      nextJudge += MINUTE_MS;
    } else {
      if (hook === undefined) {
        hook = watchRelease(
          {
            policy: service.policy,
            onQuiet: service.onQuiet,
            shiftStartedAt: shiftStart,
            shiftedAt: shiftEnd,
            deadline,
            maxSyntheticCalls: service.maxSyntheticCalls,
          },
          now,
        );
        hookResponse = undefined;
      }
      // Drive the hook until it waits or decides.
      for (;;) {
        const step = hook.next(hookResponse);
        if (step.done) {
          const verdict = step.value.verdict;
          if (verdict.decision === 'pass' && !checksFail(service.checks)) {
            return end('completed', now, 'post-traffic hook', verdict.reason);
          }
          const reason = verdict.decision === 'pass' ? 'a check failed' : verdict.reason;
          return end('rolledBackAfter100', now, 'post-traffic hook', reason);
        }
        const request = step.value;
        if (request.kind === 'wait') {
          hookWake = request.until;
          hookResponse = undefined;
          break;
        }
        hookResponse =
          request.kind === 'evidence'
            ? evidence(request.from, request.to, now)
            : generate(request.calls);
      }
      if (hookResponse === undefined && hookWake <= now) hookWake = now + 1;
      // The hook resumes at its wake time with the clock then.
      const wake = hookWake;
      hookResponse = wake;
    }
  }

  function generate(calls: number): CallCounts {
    return {
      calls,
      errors: scenario.checksSeeErrors ? random.binomial(calls, scenario.errorRate) : 0,
      slow: random.binomial(calls, newSlow),
    };
  }

  function end(outcome: Outcome, at: number, by: RunResult['by'], reason: string): RunResult {
    return { outcome, minutes: (at - created) / MINUTE_MS, by, reason, missingMinutes };
  }
}
