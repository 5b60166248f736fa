import {
  judge,
  leansBad,
  type CallCounts,
  type Evidence,
  type JudgePolicy,
  type Verdict,
} from '../judge/judge';
import { floorMinute, heldFrom, heldUntil, MINUTE_MS } from '../model/metric-delay';
import type { OnQuiet } from './hook-config';

/**
 * What the post-traffic hook does once CodeDeploy has shifted 100% of the traffic: it waits
 * until CloudWatch holds the first full minute at 100%, judges the whole release (everything the
 * new version served since the shift started), and, while the evidence is inconclusive, judges
 * again every minute as more real traffic arrives, until its time is up. With
 * `onQuiet: 'generate-traffic'`, once the real traffic is quiet (no test leans towards the bad
 * rate) it does not wait for more: it makes the synthetic calls a pass still needs, on the new
 * version directly (so CloudWatch's alias metrics, which the judge reads, never mix them with
 * real traffic), and judges again.
 *
 * A generator, so that the deployed hook (real clock, CloudWatch, Lambda) and the release
 * simulator (a simulated clock and traffic) run exactly this procedure: it yields what it needs
 * and is resumed with the answer.
 */

export type WatchRequest =
  /** Resume at `until` (ms since the epoch) or later, with the time it is then. */
  | { readonly kind: 'wait'; readonly until: number }
  /** Resume with the evidence of the minutes [`from`, `to`). */
  | { readonly kind: 'evidence'; readonly from: number; readonly to: number }
  /** Make `calls` synthetic calls on the new version and resume with what they did. */
  | { readonly kind: 'generate'; readonly calls: number };

export type WatchResponse = number | Evidence | CallCounts | undefined;

export interface WatchPlan {
  readonly policy: JudgePolicy;
  readonly onQuiet: OnQuiet;
  /** When CodeDeploy started shifting traffic to the new version (ms since the epoch). */
  readonly shiftStartedAt: number;
  /** When it reached 100%: about when the post-traffic hook started. */
  readonly shiftedAt: number;
  /** The last time to look at real traffic again (ms since the epoch). */
  readonly deadline: number;
  /** Synthetic calls the hook makes at most. */
  readonly maxSyntheticCalls: number;
}

export interface WatchOutcome {
  readonly verdict: Verdict;
  /** The end (exclusive) of the minutes judged. */
  readonly judgedTo: number;
  /** How many times it judged. */
  readonly looks: number;
  /** The synthetic calls it made, if any. */
  readonly synthetic?: CallCounts;
}

/** When the post-traffic hook first judges: once CloudWatch holds a full minute at 100%. */
export function firstLook(shiftedAt: number): number {
  const firstFullMinute = floorMinute(shiftedAt) + (shiftedAt % MINUTE_MS === 0 ? 0 : MINUTE_MS);
  return heldFrom(firstFullMinute);
}

/** Judges a release after the shift to 100%; see the module comment. */
export function* watchRelease(
  plan: WatchPlan,
  startedAt: number,
): Generator<WatchRequest, WatchOutcome, WatchResponse> {
  const from = floorMinute(plan.shiftStartedAt);
  let now = startedAt;
  let looks = 0;
  const first = firstLook(plan.shiftedAt);
  if (now < first) now = (yield { kind: 'wait', until: first }) as number;

  for (;;) {
    const to = heldUntil(now);
    const evidence = (yield { kind: 'evidence', from, to }) as Evidence;
    looks++;
    const verdict = judge(plan.policy, evidence);
    if (verdict.decision !== 'inconclusive') return { verdict, judgedTo: to, looks };

    // Synthetic calls only stand in for real traffic that is quiet, never for real calls that
    // lean towards the bad rate: those are watched until they decide.
    const quiet = verdict.tests.every((t) => !leansBad(t.llr, verdict.boundaries));
    if (plan.onQuiet === 'generate-traffic' && quiet) {
      return yield* topUp(plan, evidence, verdict, to, looks);
    }
    const next = floorMinute(now) + MINUTE_MS;
    if (next > plan.deadline) return { verdict, judgedTo: to, looks };
    now = (yield { kind: 'wait', until: next }) as number;
  }
}

/** Synthetic calls made between two judgements: a broken version is stopped early. */
export const SYNTHETIC_CHUNK = 100;

/**
 * Makes the synthetic calls a pass still needs, a chunk at a time, and judges after each chunk,
 * until the verdict is conclusive or the plan's maximum is reached.
 */
function* topUp(
  plan: WatchPlan,
  evidence: Evidence,
  first: Verdict,
  judgedTo: number,
  looks: number,
): Generator<WatchRequest, WatchOutcome, WatchResponse> {
  let synthetic: CallCounts = { calls: 0, errors: 0, slow: 0 };
  let verdict = first;
  while (verdict.decision === 'inconclusive' && synthetic.calls < plan.maxSyntheticCalls) {
    const calls = Math.min(
      verdict.callsToPass,
      SYNTHETIC_CHUNK,
      plan.maxSyntheticCalls - synthetic.calls,
    );
    if (calls <= 0) break;
    const made = (yield { kind: 'generate', calls }) as CallCounts;
    synthetic = {
      calls: synthetic.calls + made.calls,
      errors: synthetic.errors + made.errors,
      slow: synthetic.slow + made.slow,
    };
    verdict = judge(plan.policy, { ...evidence, synthetic });
    looks++;
    if (made.calls < calls) break;
    // Failed synthetic calls can make the release lean bad: then more of them cannot pass it.
    if (verdict.tests.some((t) => leansBad(t.llr, verdict.boundaries))) break;
  }
  return { verdict, judgedTo, looks, synthetic };
}
