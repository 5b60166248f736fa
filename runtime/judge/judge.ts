import {
  boundaries,
  goodOutcomesToPass,
  logLikelihoodRatio,
  type Boundaries,
  type Decision,
  type Outcomes,
  type RateHypotheses,
} from './sprt';

/**
 * The release judge: one verdict on everything the new version served since the traffic shift
 * started, from three tests of the same kind (see `sprt.ts`), each on the new version alone:
 *
 * - **errors**: its failed calls, against the service's error-rate threshold;
 * - **latency**: its calls slower than the p99 threshold (a p99 above the threshold is exactly
 *   "more than 1% of calls are slower than it"), against 1%;
 * - **throttles**: its throttled calls when Lambda publishes `Throttles` per executed version,
 *   which AWS does not document; otherwise the function's throttles since the shift against its
 *   throttles before it. A throttled call fails for its caller, so it is held to the error-rate
 *   threshold.
 *
 * With `compareToBaseline`, the old version's rate in the same minutes (or the function's before
 * the shift, for throttles) raises the acceptable rate when it is higher: a release is not blamed
 * for what the version it replaces also does, and a fix is never rolled back by the failures of
 * the version it replaces.
 *
 * Synthetic calls (made by the post-traffic hook when real traffic is too thin) count toward a
 * pass, and their failures count as failures; their successes never count against real
 * failures: the rollback side of every test sees real calls and failed synthetic calls only,
 * and a test whose real calls lean towards the bad rate (see {@link leansBad}) cannot pass on
 * synthetic calls at all.
 */

/** How a service's releases are judged: its thresholds and how sure the judge must be. */
export interface JudgePolicy {
  /** The error rate, in percent, the judge must catch (`alarms.errorRatePercent`). */
  readonly errorRatePercent: number;
  /** A healthy version's error rate, in percent (`canary.baselineErrorRatePercent`). */
  readonly baselineErrorRatePercent: number;
  /** The p99 duration threshold (`alarms.p99LatencyMs`): calls slower than this are slow. */
  readonly p99LatencyMs: number;
  /** `1 − α`, in percent: how sure a rollback must be (`canary.confidencePercent`). */
  readonly confidencePercent: number;
  /** `1 − β`, in percent: how sure a pass must be (`canary.powerPercent`). */
  readonly powerPercent: number;
  /** Let the old version's measured rates raise the acceptable ones. */
  readonly compareToBaseline: boolean;
  /**
   * A strategy with a canary window: an inconclusive judgement does not pass. All at once:
   * false (nothing is held back, so only a rollback is decided).
   */
  readonly requireVerdict: boolean;
}

/** Calls of one version, or of the hook's own synthetic calls. */
export interface CallCounts {
  readonly calls: number;
  readonly errors: number;
  /** Calls slower than the p99 threshold. */
  readonly slow: number;
}

/** Throttled calls and calls that ran, in some minutes. */
export interface ThrottleCounts {
  readonly throttles: number;
  readonly calls: number;
}

/** What the judge knows about a release, from the minutes CloudWatch surely holds. */
export interface Evidence {
  /** The new version's real traffic through the alias since the shift started. */
  readonly released: CallCounts;
  /** The old version's real traffic through the alias in the same minutes. */
  readonly previous?: CallCounts;
  /** Calls the post-traffic hook made itself, on the new version directly. */
  readonly synthetic?: CallCounts;
  readonly throttles: {
    /** The new version's, when Lambda publishes `Throttles` with `ExecutedVersion`. */
    readonly released?: ThrottleCounts;
    /** The function's (every version and caller), in the judged minutes. */
    readonly during: ThrottleCounts;
    /** The function's, in as many minutes before the shift. */
    readonly before: ThrottleCounts;
  };
}

export type TestName = 'errors' | 'latency' | 'throttles';

/** One test's evidence and what it decides. */
export interface TestResult {
  readonly test: TestName;
  readonly hypotheses: RateHypotheses;
  /** What the rollback side counts: real calls and failed synthetic ones. */
  readonly outcomes: Outcomes;
  /** Evidence for "bad" on the rollback side. */
  readonly llr: number;
  /** Evidence on the pass side, with the synthetic successes. */
  readonly passLlr: number;
  readonly decision: Decision;
  /** Good calls still needed, with no further bad one, for this test to pass. */
  readonly callsToPass: number;
  /** Which throttles it read (throttles only). */
  readonly source?: 'version' | 'function';
}

export interface Verdict {
  readonly decision: Decision;
  readonly tests: readonly TestResult[];
  readonly boundaries: Boundaries;
  /** Good calls still needed to pass (the largest of the tests'); 0 unless inconclusive. */
  readonly callsToPass: number;
  /** One line for logs, the hook's report and the ops commands. */
  readonly reason: string;
}

/** The share of calls above the p99 threshold when the p99 is exactly at it. */
export const SLOW_SHARE_AT_THRESHOLD = 0.01;

/** The three tests share the false-rollback rate (Bonferroni). */
export const TESTS = 3;

/** The boundaries of a policy's tests. */
export function policyBoundaries(policy: JudgePolicy): Boundaries {
  return boundaries(1 - policy.confidencePercent / 100, 1 - policy.powerPercent / 100, TESTS);
}

/** The error and throttle hypotheses of a policy, before any comparison with the old version. */
export function errorHypotheses(policy: JudgePolicy): RateHypotheses {
  return {
    acceptable: policy.baselineErrorRatePercent / 100,
    bad: policy.errorRatePercent / 100,
  };
}

/** The slow-call hypotheses: 1% slow calls is a p99 at the threshold; healthy in proportion. */
export function latencyHypotheses(policy: JudgePolicy): RateHypotheses {
  const ratio = policy.baselineErrorRatePercent / policy.errorRatePercent;
  return { acceptable: SLOW_SHARE_AT_THRESHOLD * ratio, bad: SLOW_SHARE_AT_THRESHOLD };
}

/**
 * Raises the acceptable rate to what the version being replaced shows, keeping the gap to the
 * bad rate: the new version is judged on what it adds.
 */
export function againstBaseline(h: RateHypotheses, observed: number | undefined): RateHypotheses {
  if (observed === undefined || !(observed > h.acceptable)) return h;
  const gap = h.bad - h.acceptable;
  const acceptable = Math.min(observed, 0.98);
  const bad = acceptable + gap < 0.999 ? acceptable + gap : (acceptable + 1) / 2;
  return { acceptable, bad };
}

/** Judges a release on its evidence. Pure. */
export function judge(policy: JudgePolicy, evidence: Evidence): Verdict {
  const bounds = policyBoundaries(policy);
  const synthetic = evidence.synthetic ?? { calls: 0, errors: 0, slow: 0 };
  const baseline = (h: RateHypotheses, rate: number | undefined) =>
    policy.compareToBaseline ? againstBaseline(h, rate) : h;
  const previous = evidence.previous;
  const rateOf = (bad: number, calls: number) => (calls > 0 ? bad / calls : undefined);

  const errors = callTest(
    'errors',
    baseline(errorHypotheses(policy), previous && rateOf(previous.errors, previous.calls)),
    evidence.released.calls,
    evidence.released.errors,
    synthetic.calls,
    synthetic.errors,
    bounds,
  );
  const latency = callTest(
    'latency',
    baseline(latencyHypotheses(policy), previous && rateOf(previous.slow, previous.calls)),
    evidence.released.calls,
    evidence.released.slow,
    synthetic.calls,
    synthetic.slow,
    bounds,
  );
  const throttles = throttleTest(policy, evidence.throttles, synthetic.calls, bounds, baseline);
  const tests = [errors, latency, throttles];

  const rolledBack = tests.filter((t) => t.decision === 'roll-back');
  let decision: Decision;
  if (rolledBack.length > 0) decision = 'roll-back';
  else if (tests.every((t) => t.decision === 'pass') || !policy.requireVerdict) decision = 'pass';
  else decision = 'inconclusive';
  const callsToPass =
    decision === 'inconclusive' ? Math.max(...tests.map((t) => t.callsToPass)) : 0;
  const verdict = { decision, tests, boundaries: bounds, callsToPass };
  return { ...verdict, reason: describeVerdict(policy, evidence, verdict) };
}

function callTest(
  test: TestName,
  hypotheses: RateHypotheses,
  realCalls: number,
  realBad: number,
  syntheticCalls: number,
  syntheticBad: number,
  bounds: Boundaries,
): TestResult {
  // Failed synthetic calls are failed calls; their successes never offset real failures.
  const outcomes = { n: realCalls + syntheticBad, x: realBad + syntheticBad };
  const passSide = { n: realCalls + syntheticCalls, x: realBad + syntheticBad };
  return result(test, hypotheses, outcomes, passSide, bounds);
}

function throttleTest(
  policy: JudgePolicy,
  t: Evidence['throttles'],
  syntheticCalls: number,
  bounds: Boundaries,
  baseline: (h: RateHypotheses, rate: number | undefined) => RateHypotheses,
): TestResult {
  const errors = errorHypotheses(policy);
  // The hook's synthetic calls ran (a throttled one fails, and counts among its errors).
  const withSynthetic = (o: Outcomes) => ({ n: o.n + syntheticCalls, x: o.x });
  if (t.released !== undefined) {
    const o = { n: t.released.calls + t.released.throttles, x: t.released.throttles };
    return { ...result('throttles', errors, o, withSynthetic(o), bounds), source: 'version' };
  }
  const attemptsBefore = t.before.calls + t.before.throttles;
  const before = attemptsBefore > 0 ? t.before.throttles / attemptsBefore : undefined;
  const o = { n: t.during.calls + t.during.throttles, x: t.during.throttles };
  const h = baseline(errors, before);
  return { ...result('throttles', h, o, withSynthetic(o), bounds), source: 'function' };
}

function result(
  test: TestName,
  hypotheses: RateHypotheses,
  outcomes: Outcomes,
  passSide: Outcomes,
  bounds: Boundaries,
): TestResult {
  const llr = logLikelihoodRatio(hypotheses, outcomes);
  const passLlr = logLikelihoodRatio(hypotheses, passSide);
  // The pass side has every rollback-side outcome and more good ones: it is never higher. Good
  // synthetic calls help a pass only while the real calls do not lean towards the bad rate.
  const helped = passSide.n > outcomes.n;
  const decision: Decision =
    llr >= bounds.rollBack
      ? 'roll-back'
      : passLlr <= bounds.pass && !(helped && leansBad(llr, bounds))
        ? 'pass'
        : 'inconclusive';
  return {
    test,
    hypotheses,
    outcomes,
    llr,
    passLlr,
    decision,
    // Real calls leaning towards the bad rate need real calls to pass, not synthetic ones.
    callsToPass:
      decision !== 'inconclusive'
        ? 0
        : goodOutcomesToPass(
            hypotheses,
            bounds,
            helped && leansBad(llr, bounds) ? outcomes : passSide,
          ),
  };
}

/**
 * Whether real calls lean towards the bad rate: their evidence is past half the way (in log
 * odds) to the rollback boundary. Synthetic calls cannot pass such a release; only more real
 * calls can.
 */
export function leansBad(llr: number, bounds: Boundaries): boolean {
  return llr > bounds.rollBack / 2;
}

/** `1.5%`, `0.1%`, `0.05%`: a rate with enough digits to tell thresholds apart. */
export function percent(rate: number): string {
  const p = rate * 100;
  const digits =
    p === 0 ? 0 : p >= 10 ? 0 : p >= 1 ? 1 : Math.min(4, 1 - Math.floor(Math.log10(p)));
  return `${Number(p.toFixed(digits))}%`;
}

/** `1,234` */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A likelihood ratio as odds: `240:1`, `1.6e+5:1`, `1:12`. */
export function odds(llr: number): string {
  const ratio = Math.exp(Math.abs(llr));
  const text = ratio >= 1e4 ? ratio.toExponential(1) : String(Math.round(ratio));
  return llr >= 0 ? `${text}:1` : `1:${text}`;
}

function describeVerdict(
  policy: JudgePolicy,
  evidence: Evidence,
  v: Omit<Verdict, 'reason'>,
): string {
  const r = evidence.released;
  const synthetic =
    evidence.synthetic && evidence.synthetic.calls > 0
      ? ` and ${count(evidence.synthetic.calls)} synthetic (${count(evidence.synthetic.errors)} failed)`
      : '';
  const served = `${count(r.calls)} real calls (${count(r.errors)} failed, ${count(r.slow)} slower than ${policy.p99LatencyMs} ms)${synthetic}`;
  const rollbackAt = `it rolls back at ${odds(v.boundaries.rollBack)}, ${policy.confidencePercent}% confidence`;
  if (v.decision === 'roll-back') {
    const worst = v.tests
      .filter((t) => t.decision === 'roll-back')
      .reduce((a, b) => (b.llr > a.llr ? b : a));
    return `roll back: ${describeTest(policy, worst)}; evidence ${odds(worst.llr)} for the bad rate over the acceptable one (${rollbackAt})`;
  }
  if (v.decision === 'pass') {
    const conclusive = v.tests.every((t) => t.decision === 'pass');
    return conclusive
      ? `pass: ${served}; every test is conclusive (evidence at most ${odds(Math.max(...v.tests.map((t) => t.passLlr)))} for a bad rate; it passes at ${odds(v.boundaries.pass)}, ${policy.powerPercent}% power)`
      : `pass: ${served}; not rolled back (all at once: nothing is held back to wait for a conclusive verdict)`;
  }
  const open = v.tests.filter((t) => t.decision === 'inconclusive').map((t) => t.test);
  return `inconclusive: ${served} so far; ${open.join(', ')} not yet conclusive: about ${count(v.callsToPass)} more calls without a failure are needed`;
}

/** What one test saw, in words. */
export function describeTest(policy: JudgePolicy, t: TestResult): string {
  const { n, x } = t.outcomes;
  const rate = n > 0 ? ` (${percent(x / n)})` : '';
  const against = `the acceptable ${percent(t.hypotheses.acceptable)} and the bad ${percent(t.hypotheses.bad)}`;
  switch (t.test) {
    case 'errors':
      return `${count(x)} of ${count(n)} calls failed${rate}, between ${against}`;
    case 'latency':
      return `${count(x)} of ${count(n)} calls took longer than ${policy.p99LatencyMs} ms${rate} (p99 above it means more than 1%), between ${against}`;
    case 'throttles':
      return `${count(x)} of ${count(n)} ${t.source === 'version' ? "of the new version's" : "of the function's"} calls were throttled${rate}, between ${against}`;
  }
}
