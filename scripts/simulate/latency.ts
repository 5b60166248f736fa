import jStat from 'jstat';

/**
 * The simulator's model of call durations: log-normal, the usual shape of service latencies,
 * with a spread of `LATENCY_SIGMA` (the p99 is about 3.2 times the median). A version is
 * described by its p99; what the judge sees is the share of calls slower than the service's p99
 * threshold.
 */
export const LATENCY_SIGMA = 0.5;

/** The 99th percentile of the standard normal distribution. */
const Z99 = jStat.normal.inv(0.99, 0, 1);

/** The share of calls slower than `thresholdMs` for a version whose p99 is `p99Ms`. */
export function slowShare(p99Ms: number, thresholdMs: number): number {
  const mu = Math.log(p99Ms) - Z99 * LATENCY_SIGMA;
  return 1 - jStat.normal.cdf((Math.log(thresholdMs) - mu) / LATENCY_SIGMA, 0, 1);
}
