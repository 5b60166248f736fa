import type { AppModel } from '../../lib/config/model';
import { simulatedService } from '../simulate/cli';
import type { Scenario, SimulatedService } from '../simulate/release';
import { runSimulations, type SimulationSummary } from '../simulate/run';

/**
 * The release judgement's figures: simulated releases of each service of the last stage that
 * requires approval (prod in the sample), with its real configuration, through the judge's
 * code, in the situations a release judge must get right. Each row states what it must achieve
 * and whether it did; a row that misses makes the bench fail.
 */
export interface JudgementCase {
  readonly label: string;
  readonly scenario: Partial<Scenario> & { readonly requestsPerMinute: number };
  /** What the row must achieve, in words, and the test of it. */
  readonly requirement: string;
  readonly holds: (s: SimulationSummary) => boolean;
}

const share = (n: number, s: SimulationSummary) => n / s.runs;
const rolledBack = (s: SimulationSummary) => s.rolledBackBefore100 + s.rolledBackAfter100;

/** The situations of issue "canary judgement", with their targets. */
export const JUDGEMENT_CASES: readonly JudgementCase[] = [
  {
    label: '1,000 req/min, new version 5% errors',
    scenario: { requestsPerMinute: 1000, errorRate: 0.05 },
    requirement: '≥ 99% rolled back before 100%',
    holds: (s) => share(s.rolledBackBefore100, s) >= 0.99,
  },
  {
    label: '200 req/min, 3% errors',
    scenario: { requestsPerMinute: 200, errorRate: 0.03 },
    requirement: '≥ 95% rolled back',
    holds: (s) => share(rolledBack(s), s) >= 0.95,
  },
  {
    label: '50 req/min, 100% errors',
    scenario: { requestsPerMinute: 50, errorRate: 1 },
    requirement: '100% rolled back, ≥ 99% before 100%',
    holds: (s) => rolledBack(s) === s.runs && share(s.rolledBackBefore100, s) >= 0.99,
  },
  {
    label: '50 req/min, healthy (0.1%)',
    scenario: { requestsPerMinute: 50 },
    requirement: '≥ 95% completed',
    holds: (s) => share(s.completed, s) >= 0.95,
  },
  {
    label: '1,000 req/min, old version 30% errors, new 0.1%',
    scenario: { requestsPerMinute: 1000, baselineErrorRate: 0.3 },
    requirement: '≥ 99% completed',
    holds: (s) => share(s.completed, s) >= 0.99,
  },
  {
    label: '200 req/min, p99 50% above the threshold',
    scenario: { requestsPerMinute: 200, p99Ms: 1.5 },
    requirement: '≥ 95% rolled back',
    holds: (s) => share(rolledBack(s), s) >= 0.95,
  },
  {
    label: '1,000 req/min, healthy',
    scenario: { requestsPerMinute: 1000 },
    requirement: '≥ 98% completed',
    holds: (s) => share(s.completed, s) >= 0.98,
  },
  {
    label: '200 req/min, 5% throttled, Throttles not per version',
    scenario: { requestsPerMinute: 200, throttleRate: 0.05 },
    requirement: '≥ 95% rolled back',
    holds: (s) => share(rolledBack(s), s) >= 0.95,
  },
  {
    label: '200 req/min, 5% throttled, Throttles per version',
    scenario: { requestsPerMinute: 200, throttleRate: 0.05, throttlesByVersion: true },
    requirement: '≥ 95% rolled back',
    holds: (s) => share(rolledBack(s), s) >= 0.95,
  },
];

export interface JudgementRow {
  readonly service: string;
  readonly stage: string;
  readonly label: string;
  readonly requirement: string;
  readonly summary: SimulationSummary;
  readonly holds: boolean;
}

/**
 * Runs every case for every service of the stage. `p99Ms` in a case is a factor of the
 * service's p99 threshold; the old version's p99 is half the threshold, its error rate 0.1%.
 */
export function runJudgementBench(model: AppModel, runs: number, seed = 1): JudgementRow[] {
  const stage = [...model.stages].reverse().find((s) => s.requiresApproval) ?? model.stages.at(-1)!;
  return stage.services.flatMap((svc) => {
    const service = simulatedService(model, svc.name, stage.name);
    return JUDGEMENT_CASES.map((c) => {
      const summary = runSimulations(service, scenarioFor(service, c), runs, seed);
      return {
        service: svc.name,
        stage: stage.name,
        label: c.label,
        requirement: c.requirement,
        summary,
        holds: c.holds(summary),
      };
    });
  });
}

function scenarioFor(service: SimulatedService, c: JudgementCase): Scenario {
  const threshold = service.policy.p99LatencyMs;
  const baselineP99Ms = threshold / 2;
  return {
    requestsPerMinute: c.scenario.requestsPerMinute,
    errorRate: c.scenario.errorRate ?? 0.001,
    baselineErrorRate: c.scenario.baselineErrorRate ?? 0.001,
    p99Ms: c.scenario.p99Ms === undefined ? baselineP99Ms : c.scenario.p99Ms * threshold,
    baselineP99Ms,
    throttleRate: c.scenario.throttleRate ?? 0,
    throttlesByVersion: c.scenario.throttlesByVersion ?? false,
    checksSeeErrors: false,
  };
}

/** The section of the report: one table row per service and case. */
export function formatJudgement(rows: readonly JudgementRow[], runs: number): string {
  const pct = (n: number) => `${((100 * n) / runs).toFixed(1)}%`;
  const lines = [
    '## Release judgement',
    '',
    `${runs} simulated releases per row (npm run -s simulate, seed 1), each service of ${rows[0]?.stage ?? '-'} with its configuration; the old version fails 0.1% with a p99 of half the threshold; the synthetic checks do not reach the fault.`,
    '',
    '| service | situation | rolled back before 100% | after 100% | completed | must | |',
    '| --- | --- | --: | --: | --: | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.service} | ${r.label} | ${pct(r.summary.rolledBackBefore100)} | ${pct(r.summary.rolledBackAfter100)} | ${pct(r.summary.completed)} | ${r.requirement} | ${r.holds ? '✔' : '✖ MISSED'} |`,
    ),
  ];
  return lines.join('\n');
}
