import { harness, runOps } from '../harness';
import { buildHistory, model } from './fixture';
import { serveHistory } from './serve';

const MIN = 60_000;

/**
 * The four figures of the fixture history (fixture.ts), worked out by hand from its rows. The
 * window is 30 days, 2026-10-22 10:07:30 to 2026-11-21 10:07:30 UTC; execution i starts at
 * T(i) = 2026-10-22 12:00 + (i−1)·14h; a release ends dev at T+32m and prod at T+74m+wait+A.
 */
describe('the fixture history, by hand', () => {
  let json: {
    executions: number;
    stages: Record<string, unknown>[];
  };
  beforeAll(async () => {
    const h = harness();
    serveHistory(h, buildHistory());
    const { code, out, err } = await runOps(['report', '--since', '30d', '--json'], h, model);
    expect({ code, err }).toEqual({ code: 0, err: [] });
    json = JSON.parse(out.join('\n'));
  });
  const stage = (name: string) => json.stages.find((s) => s.stage === name)!;

  test('52 executions in the window: 50 standard, 2 rollbacks', () => {
    expect(json.executions).toBe(52);
  });

  test('dev', () => {
    expect(stage('dev')).toMatchObject({
      production: false,
      // Every execution but 12 (build failed) and 40 (stopped in its build): 48.
      releases: 48,
      // 7 (a hook failed), 33 (smoke tests failed), 47 (a deploy action failed).
      failed: 3,
      succeeded: 45,
      unfinished: 0,
      rejectedApprovals: 0,
      // 45 in 30 days.
      deploymentFrequency: { perDay: 1.5, perWeek: 10.5 },
      leadTime: {
        count: 45,
        // Lead = 32 + commit age (minutes): 32 for 3, 18 and 36 (no AuthorDate); 122 for 5;
        // 92 for 9 and 27; 272 for 30; 44's smoke tests passed on a retry at +52: 72; the 37
        // others 52. Sorted: 32×3 (ranks 1–3), 52×37 (4–40), 72 (41), 92×2, 122, 272.
        // Median rank ⌈0.5×45⌉ = 23 → 52; p90 rank ⌈0.9×45⌉ = 41 → 72.
        medianMs: 52 * MIN,
        p90Ms: 72 * MIN,
        fromExecutionStart: 3,
        percentiles: 'nearest-rank',
      },
      // 3 of 48.
      changeFailureRate: 0.0625,
      timeToRestore: {
        // 7 failed when CodeDeploy's deployment did, at T7+29m; 8 ended dev at T8+32m =
        // T7+14h32m: 14h03m. 33 failed at T33+32m, 34 ended at T33+14h32m: 14h00m. 47's deploy
        // action failed at T47+25m, 48 ended at T47+14h32m: 14h07m.
        restoredMs: [843 * MIN, 840 * MIN, 847 * MIN],
        // Sorted 840, 843, 847: rank 2.
        medianMs: 843 * MIN,
        notRestored: 0,
      },
    });
  });

  test('prod', () => {
    expect(stage('prod')).toMatchObject({
      production: true,
      // 50, less 12 and 40 (no dev), 7, 33 and 47 (failed dev), 15 and 28 (rejected), 21
      // (superseded before prod): 42, 50 among them, in its canary.
      releases: 42,
      // 10 and 42 (alarms), 25 (bake), 37 (a person rolled it back).
      failed: 4,
      succeeded: 37,
      unfinished: 1,
      rejectedApprovals: 2,
      // 37 in 30 days.
      deploymentFrequency: { perDay: 37 / 30, perWeek: (37 / 30) * 7 },
      leadTime: {
        count: 37,
        // Lead = 74 + wait + approval + commit age: 124 for the 25 usual ones; 104 for 3, 18
        // and 36; 194 for 5; 164 for 9 and 27; 214 for 14 (approval 2h); 1894 for 20
        // (approval 30h); 266 for 22 (wait 162, approval 10); 344 for 30; 144 for 44 (dev
        // ended at +52); 154 for 45 (approval 1h). Sorted: 104×3 (1–3), 124×25 (4–28), 144,
        // 154, 164, 164, 194 (33), 214 (34), 266, 344, 1894. Median rank ⌈18.5⌉ = 19 → 124;
        // p90 rank ⌈33.3⌉ = 34 → 214.
        medianMs: 124 * MIN,
        p90Ms: 214 * MIN,
        fromExecutionStart: 3,
      },
      // 4 of 41 finished.
      changeFailureRate: 4 / 41,
      timeToRestore: {
        // 10 failed when its canary stopped, T10+72m; 11 ended prod at T10+14h+104m: 14h32m.
        // 25's bake failed at T25+95m; 26 ended at T25+14h+104m: 14h09m. 37 was rolled back
        // at T37+104m+3h; 38 ended at T37+14h+104m: 11h00m. 42 as 10: 14h32m.
        restoredMs: [872 * MIN, 849 * MIN, 660 * MIN, 872 * MIN],
        // Sorted 660, 849, 872, 872: rank 2.
        medianMs: 849 * MIN,
        notRestored: 0,
      },
    });
  });

  test('weeks, Monday to Sunday: successes when they ended, failures when they failed', () => {
    // Week boundaries fall at the starts of 7, 19, 31 and 43 (2026-10-26, 11-02, 11-09 and
    // 11-16, 00:00), so the executions of a week are 1–6, 7–18, 19–30, 31–42 and 43–50.
    expect(stage('dev').weeks).toEqual([
      { start: '2026-10-19', succeeded: 6, failed: 0 },
      { start: '2026-10-26', succeeded: 10, failed: 1 }, // 12 none, 7 failed
      { start: '2026-11-02', succeeded: 12, failed: 0 },
      { start: '2026-11-09', succeeded: 10, failed: 1 }, // 40 none, 33 failed
      { start: '2026-11-16', succeeded: 7, failed: 1 }, // 47 failed
    ]);
    expect(stage('prod').weeks).toEqual([
      { start: '2026-10-19', succeeded: 6, failed: 0 },
      { start: '2026-10-26', succeeded: 8, failed: 1 }, // not 7, 12, 15; 10 failed
      { start: '2026-11-02', succeeded: 9, failed: 1 }, // not 21, 28; 25 failed
      { start: '2026-11-09', succeeded: 8, failed: 2 }, // not 33, 40; 37, 42 failed
      { start: '2026-11-16', succeeded: 6, failed: 0 }, // not 47; 50 runs
    ]);
  });
});
