import jStat from 'jstat';
import { badOutcomesToRollBack, type Boundaries, type RateHypotheses } from './sprt';

/**
 * How much a judgement on `n` calls can see: the chance that the judge rolls back a version
 * failing a share `p` of its calls, and the smallest such share it catches with a given chance.
 * Conservative: it counts only the verdict on all `n` calls, not the earlier looks that can
 * only add to the chance. For the plan's sizing advice and the docs; the judge itself does not
 * need it.
 */

/** The chance that `n` calls of a version failing a share `p` of them reach the rollback boundary. */
export function catchProbability(h: RateHypotheses, b: Boundaries, n: number, p: number): number {
  if (n <= 0) return 0;
  const needed = badOutcomesToRollBack(h, b, n);
  if (needed > n) return 0;
  if (needed === 0) return 1;
  return 1 - jStat.binomial.cdf(needed - 1, n, p);
}

/**
 * The smallest share of failing calls (0 to 1) that `n` calls reveal with probability `power`,
 * to 0.1 percentage points; undefined when even a version failing every call would not be
 * caught (too few calls).
 */
export function detectableRate(
  h: RateHypotheses,
  b: Boundaries,
  n: number,
  power: number,
): number | undefined {
  if (catchProbability(h, b, n, 1) < power) return undefined;
  let low = 0;
  let high = 1;
  while (high - low > 0.0005) {
    const mid = (low + high) / 2;
    if (catchProbability(h, b, n, mid) >= power) high = mid;
    else low = mid;
  }
  return Math.ceil(high * 1000) / 1000;
}
