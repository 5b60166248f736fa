/**
 * The statistics of the release judge: Wald's sequential probability ratio test (SPRT) on a
 * rate of bad outcomes (failed calls, slow calls, throttled calls), judged on everything the new
 * version served since the traffic shift started, as often as the data allows.
 *
 * Two simple hypotheses about the rate `p` of bad outcomes:
 * - acceptable: `p = p0` (a healthy version's rate, or the old version's, if higher);
 * - bad: `p = p1` (the service's threshold, `p1 > p0`).
 *
 * After `n` outcomes of which `x` were bad, the evidence is the log-likelihood ratio
 * `LLR = x·ln(p1/p0) + (n − x)·ln((1 − p1)/(1 − p0))`.
 *
 * - **Roll back** when `LLR ≥ ln(1/α)`. The likelihood ratio is a non-negative martingale with
 *   mean 1 when `p = p0` (a supermartingale when `p < p0`), so by Ville's inequality the chance it
 *   *ever* reaches `1/α` is at most `α`, however often it is looked at: judging every minute does
 *   not inflate the false-rollback rate (Wald 1945; Ville 1939).
 * - **Pass** when `LLR ≤ ln β`. By the same argument under `p = p1`, a version at the threshold
 *   is passed with probability at most `β`: the power is at least `1 − β`.
 * - In between the evidence is **inconclusive**: more calls are needed.
 *
 * Pure: no AWS, no I/O. The scheduled judge, the post-traffic hook, the simulator and the plan
 * all use these functions.
 */

/** The two rates a test separates, as probabilities (0 < acceptable < bad < 1). */
export interface RateHypotheses {
  /** A healthy version's rate of bad outcomes. */
  readonly acceptable: number;
  /** The rate the judge must catch. */
  readonly bad: number;
}

/** Where the evidence decides, as log-likelihood ratios. */
export interface Boundaries {
  /** `ln(1/α)`: at or above it, roll back. */
  readonly rollBack: number;
  /** `ln β`: at or below it, pass. */
  readonly pass: number;
}

/** Outcomes observed: `n` calls, `x` of them bad. */
export interface Outcomes {
  readonly n: number;
  readonly x: number;
}

/**
 * The boundaries for a false-rollback rate `alpha` split over `tests` independent looks at
 * different rates (Bonferroni: each gets `alpha / tests`), and a miss rate `beta` per test.
 */
export function boundaries(alpha: number, beta: number, tests = 1): Boundaries {
  if (!(alpha > 0 && alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${alpha}`);
  if (!(beta > 0 && beta < 1)) throw new RangeError(`beta must be in (0, 1), got ${beta}`);
  if (!(Number.isInteger(tests) && tests >= 1)) {
    throw new RangeError(`tests must be a whole number of 1 or more, got ${tests}`);
  }
  return { rollBack: Math.log(tests / alpha), pass: Math.log(beta) };
}

/** The evidence each bad outcome adds (positive) and each good one takes away (negative). */
export function weights(h: RateHypotheses): { readonly bad: number; readonly good: number } {
  checkHypotheses(h);
  return {
    bad: Math.log(h.bad / h.acceptable),
    good: Math.log1p(-h.bad) - Math.log1p(-h.acceptable),
  };
}

/** The log-likelihood ratio of "bad" against "acceptable" after `o.x` bad outcomes in `o.n`. */
export function logLikelihoodRatio(h: RateHypotheses, o: Outcomes): number {
  checkOutcomes(o);
  const w = weights(h);
  return o.x * w.bad + (o.n - o.x) * w.good;
}

export type Decision = 'roll-back' | 'pass' | 'inconclusive';

/** What the evidence decides. */
export function decide(llr: number, b: Boundaries): Decision {
  if (llr >= b.rollBack) return 'roll-back';
  if (llr <= b.pass) return 'pass';
  return 'inconclusive';
}

/**
 * Good outcomes still needed, with no further bad one, for the evidence to reach the pass
 * boundary: 0 when it already has. With no outcome yet this is the smallest sample that can pass
 * (see {@link minimumSample}).
 */
export function goodOutcomesToPass(h: RateHypotheses, b: Boundaries, o: Outcomes): number {
  const llr = logLikelihoodRatio(h, o);
  if (llr <= b.pass) return 0;
  return Math.ceil((b.pass - llr) / weights(h).good - 1e-9);
}

/** The fewest calls that can pass: all of them good. */
export function minimumSample(h: RateHypotheses, b: Boundaries): number {
  return goodOutcomesToPass(h, b, { n: 0, x: 0 });
}

/** The fewest bad outcomes among `n` that reach the rollback boundary. */
export function badOutcomesToRollBack(h: RateHypotheses, b: Boundaries, n: number): number {
  checkOutcomes({ n, x: 0 });
  const w = weights(h);
  // x·bad + (n − x)·good ≥ rollBack  ⇔  x ≥ (rollBack − n·good) / (bad − good)
  return Math.max(0, Math.ceil((b.rollBack - n * w.good) / (w.bad - w.good) - 1e-9));
}

/**
 * The rate at which the test has no drift: the evidence grows on average above it and shrinks
 * below it. Versions between `acceptable` and this rate pass in the long run; above it they are
 * rolled back once there are enough calls.
 */
export function indifferenceRate(h: RateHypotheses): number {
  const w = weights(h);
  return -w.good / (w.bad - w.good);
}

function checkHypotheses(h: RateHypotheses): void {
  if (!(h.acceptable > 0 && h.bad > h.acceptable && h.bad < 1)) {
    throw new RangeError(
      `rates must satisfy 0 < acceptable < bad < 1, got acceptable ${h.acceptable}, bad ${h.bad}`,
    );
  }
}

function checkOutcomes(o: Outcomes): void {
  if (!(Number.isInteger(o.n) && o.n >= 0 && Number.isInteger(o.x) && o.x >= 0 && o.x <= o.n)) {
    throw new RangeError(`outcomes must be whole numbers with 0 ≤ x ≤ n, got n ${o.n}, x ${o.x}`);
  }
}
