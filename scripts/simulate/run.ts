import { seededRandom } from './random';
import {
  simulateRelease,
  type Outcome,
  type RunResult,
  type Scenario,
  type SimulatedService,
} from './release';

/** What K simulated releases came to. */
export interface SimulationSummary {
  readonly runs: number;
  readonly rolledBackBefore100: number;
  readonly rolledBackAfter100: number;
  readonly completed: number;
  /** Runs ended by each mechanism. */
  readonly by: Readonly<Record<RunResult['by'], number>>;
  /** Median and 95th percentile of the minutes from the deployment's start to its end, per outcome. */
  readonly minutes: Readonly<Partial<Record<Outcome, { median: number; p95: number }>>>;
  /** Minutes the judge read before CloudWatch held them, over all runs: 0 unless the delay rule is wrong. */
  readonly missingMinutes: number;
  /** The first reason of each outcome, as an example. */
  readonly examples: Readonly<Partial<Record<Outcome, string>>>;
}

/** Runs `runs` releases with one seeded source: the same seed gives the same summary. */
export function runSimulations(
  service: SimulatedService,
  scenario: Scenario,
  runs: number,
  seed: number,
): SimulationSummary {
  const random = seededRandom(seed);
  const results: RunResult[] = [];
  for (let i = 0; i < runs; i++) results.push(simulateRelease(service, scenario, random));
  const countOf = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  const minutes: Partial<Record<Outcome, { median: number; p95: number }>> = {};
  const examples: Partial<Record<Outcome, string>> = {};
  for (const outcome of ['rolledBackBefore100', 'rolledBackAfter100', 'completed'] as const) {
    const of = results.filter((r) => r.outcome === outcome);
    if (of.length === 0) continue;
    const sorted = of.map((r) => r.minutes).sort((a, b) => a - b);
    minutes[outcome] = { median: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95) };
    examples[outcome] = of[0].reason;
  }
  return {
    runs,
    rolledBackBefore100: countOf('rolledBackBefore100'),
    rolledBackAfter100: countOf('rolledBackAfter100'),
    completed: countOf('completed'),
    by: {
      'pre-traffic hook': results.filter((r) => r.by === 'pre-traffic hook').length,
      'verdict alarm': results.filter((r) => r.by === 'verdict alarm').length,
      'post-traffic hook': results.filter((r) => r.by === 'post-traffic hook').length,
    },
    minutes,
    missingMinutes: results.reduce((total, r) => total + r.missingMinutes, 0),
    examples,
  };
}

/** The nearest-rank percentile of sorted values. */
export function nearestRank(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}
