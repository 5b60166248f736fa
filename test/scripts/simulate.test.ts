import * as path from 'node:path';
import { loadApp } from '../../lib/config/load';
import type { AppModel } from '../../lib/config/model';
import { Strategy } from '../../lib/config/strategy';
import { EXIT, main, simulatedService } from '../../scripts/simulate/cli';
import { slowShare } from '../../scripts/simulate/latency';
import { seededRandom } from '../../scripts/simulate/random';
import { simulateRelease, type Scenario } from '../../scripts/simulate/release';
import { runSimulations } from '../../scripts/simulate/run';
import { appModel, serviceModel, stageModel } from '../helpers/model';

const ROOT = path.resolve(__dirname, '..', '..');

function run(argv: string[], load: () => AppModel = () => loadApp(ROOT)) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main({ argv, load, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A canary stage of one service, 10% for 10 minutes, judged with the fixture's thresholds. */
const fixture = () => {
  const canary = Strategy.canary(10, 10);
  const alpha = serviceModel('alpha', { strategy: canary });
  return appModel([
    stageModel('qa', Strategy.allAtOnce(), [
      serviceModel('alpha', { strategy: Strategy.allAtOnce() }),
    ]),
    stageModel('live', canary, [alpha], { requiresApproval: true }),
  ]);
};

const scenario = (s: Partial<Scenario>): Scenario => ({
  requestsPerMinute: 1000,
  errorRate: 0.001,
  baselineErrorRate: 0.001,
  p99Ms: 400,
  baselineP99Ms: 400,
  throttleRate: 0,
  throttlesByVersion: false,
  checksSeeErrors: false,
  ...s,
});

describe('npm run -s simulate', () => {
  test('--json prints the four counts, adding up to the runs, for every service of the sample', () => {
    const model = loadApp(ROOT);
    const services = [...new Set(model.stages.flatMap((s) => s.services.map((x) => x.name)))];
    for (const service of services) {
      const result = run([service, '--rpm', '200', '--error-rate', '3', '--runs', '20', '--json']);
      expect(result).toMatchObject({ code: EXIT.ok, err: '' });
      const counts = JSON.parse(result.out);
      expect(Object.keys(counts)).toEqual([
        'runs',
        'rolledBackBefore100',
        'rolledBackAfter100',
        'completed',
      ]);
      expect(counts.runs).toBe(20);
      expect(counts.rolledBackBefore100 + counts.rolledBackAfter100 + counts.completed).toBe(20);
    }
  });

  test('the same seed gives the same result', () => {
    const argv = ['alpha', '--rpm', '100', '--error-rate', '2', '--runs', '30', '--json'];
    const first = run([...argv, '--seed', '7'], fixture).out;
    expect(run([...argv, '--seed', '7'], fixture).out).toBe(first);
  });

  test('prints a readable summary: the configuration, the situation and what became of the releases', () => {
    const result = run(['alpha', '--rpm', '1000', '--error-rate', '5', '--runs', '20'], fixture);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toMatch(
      /^alpha in live: CANARY_10PERCENT_10MINUTES, shift 10 min; judged on failed, slow \(> 800 ms\) and throttled calls at 2% against a healthy 0\.2% \(99% confidence, 90% power\); onQuiet fail, watch 10 min$/m,
    );
    expect(result.out).toContain(
      'traffic 1000 calls/min; new version: 5% failing, p99 400 ms, 0% throttled; old version: 0.1% failing, p99 400 ms',
    );
    expect(result.out).toMatch(/^ {2}rolled back before 100% +\d+ \(\d+\.\d%\)/m);
    expect(result.out).toMatch(/^assumptions: log-normal durations/m);
  });

  test.each([
    [
      ['nope', '--rpm', '10', '--error-rate', '1'],
      'simulate: unknown service "nope": the stages deploy alpha',
    ],
    [
      ['alpha', '--stage', 'prod', '--rpm', '10', '--error-rate', '1'],
      'simulate: unknown stage "prod": the stages are qa, live',
    ],
    [
      ['alpha', '--rpm', '10', '--error-rate', '101'],
      'simulate: --error-rate must be a percentage from 0 to 100, got "101" (see --help)',
    ],
    [
      ['alpha', '--rpm', '10', '--error-rate', '-1'],
      'simulate: --error-rate must be a percentage from 0 to 100, got "-1" (see --help)',
    ],
    [
      ['alpha', '--rpm', '0', '--error-rate', '1'],
      'simulate: --rpm must be a positive number, got "0" (see --help)',
    ],
    [['alpha', '--error-rate', '1'], 'simulate: --rpm is required: calls a minute (see --help)'],
    [
      ['alpha', '--rpm', '10', '--error-rate', '1', '--throttle-rate', '150'],
      'simulate: --throttle-rate must be a percentage from 0 to 100, got "150" (see --help)',
    ],
    [
      ['alpha', '--rpm', '10', '--error-rate', '1', '--fast'],
      'simulate: unknown option "--fast" (see --help)',
    ],
  ])('refuses %j with one line and exit 2', (argv, message) => {
    expect(run(argv, fixture)).toEqual({ code: EXIT.usage, out: '', err: message });
  });

  test('a service not in the stage asked for is named, with the stages it is in', () => {
    const model = fixture();
    const other = stageModel('edge', Strategy.canary(10, 10), [serviceModel('beta')]);
    const withEdge = { ...model, stages: [...model.stages, other] };
    expect(
      run(['alpha', '--stage', 'edge', '--rpm', '10', '--error-rate', '1'], () => withEdge),
    ).toEqual({
      code: EXIT.usage,
      out: '',
      err: 'simulate: service "alpha" is not in stage "edge": it is in qa, live',
    });
  });
});

describe('the simulated release', () => {
  const service = () => simulatedService(fixture(), 'alpha');

  test('the judge never reads a minute CloudWatch does not hold yet', () => {
    const summary = runSimulations(service(), scenario({ errorRate: 0.02 }), 50, 3);
    expect(summary.missingMinutes).toBe(0);
  });

  test('a version failing every call at 1,000 calls a minute is stopped by the verdict alarm before 100%', () => {
    const random = seededRandom(11);
    for (let i = 0; i < 10; i++) {
      const r = simulateRelease(service(), scenario({ errorRate: 1 }), random);
      expect([r.outcome, r.by]).toEqual(['rolledBackBefore100', 'verdict alarm']);
      // Before the end of the 10-minute canary.
      expect(r.minutes).toBeLessThan(10.2);
    }
  });

  test('a healthy version completes after the post-traffic hook judged it', () => {
    const random = seededRandom(5);
    const results = Array.from({ length: 10 }, () =>
      simulateRelease(service(), scenario({}), random),
    );
    expect(results.filter((r) => r.outcome === 'completed').length).toBeGreaterThanOrEqual(9);
    for (const r of results.filter((x) => x.outcome === 'completed')) {
      expect(r.by).toBe('post-traffic hook');
      expect(r.reason).toMatch(/^pass: /);
      // 10 minutes of canary, then CloudWatch's delay before the first judgement at 100%.
      expect(r.minutes).toBeGreaterThan(14);
    }
  });

  test('checks that reach the fault stop a broken version before any traffic moves', () => {
    // The fixture's service has no checks of its own: give it three.
    const r = simulateRelease(
      { ...service(), checks: 3 },
      scenario({ errorRate: 1, checksSeeErrors: true }),
      seededRandom(1),
    );
    expect([r.outcome, r.by]).toEqual(['rolledBackBefore100', 'pre-traffic hook']);
  });

  test('durations: a p99 at the threshold means 1% of calls slower than it', () => {
    expect(slowShare(800, 800)).toBeCloseTo(0.01, 10);
    expect(slowShare(400, 800)).toBeLessThan(0.0002);
    expect(slowShare(1200, 800)).toBeCloseTo(0.0648, 3);
  });
});
