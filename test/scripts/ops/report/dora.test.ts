import {
  nearestRank,
  restoreTimes,
  stageFigures,
  weeklyFigures,
  weekStart,
} from '../../../../scripts/ops/report/dora';
import type { Outcome, Release } from '../../../../scripts/ops/report/model';

const at = (iso: string) => new Date(iso);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A release of stage `s` by the times that matter to the figures. */
function release(
  outcome: Outcome,
  times: { commit: string; end?: string; failed?: string; fromPush?: boolean },
): Release {
  return {
    stage: 's',
    executionId: `${outcome}-${times.commit}`,
    executionStart: at(times.commit),
    commit: {
      time: at(times.commit),
      timeFrom: times.fromPush ? 'execution-start' : 'author-date',
    },
    start: at(times.commit),
    end: times.end ? at(times.end) : undefined,
    outcome,
    failures: times.failed ? [{ kind: 'alarm', at: at(times.failed), text: 'alarm' }] : [],
    steps: [],
    pipelineStages: [],
    deployActions: [],
    deployments: [],
  };
}

describe('nearest-rank percentiles', () => {
  test('the value at rank ⌈p/100 × n⌉ of the sorted values', () => {
    // The textbook example: 15, 20, 35, 40, 50.
    const values = [50, 15, 40, 20, 35];
    expect(nearestRank(values, 5)).toBe(15); // rank ⌈0.25⌉ = 1
    expect(nearestRank(values, 30)).toBe(20); // rank ⌈1.5⌉ = 2
    expect(nearestRank(values, 40)).toBe(20); // rank ⌈2⌉ = 2
    expect(nearestRank(values, 50)).toBe(35); // rank ⌈2.5⌉ = 3
    expect(nearestRank(values, 100)).toBe(50); // rank 5
  });

  test('the median of an even count is the lower middle value; p90 of ten is the ninth', () => {
    expect(nearestRank([4, 1, 3, 2], 50)).toBe(2);
    expect(nearestRank([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(nearestRank([7], 90)).toBe(7);
    expect(nearestRank([], 50)).toBeUndefined();
  });
});

test('weeks start on Monday 00:00 UTC', () => {
  expect(weekStart(at('2026-10-22T10:07:30Z'))).toEqual(at('2026-10-19T00:00:00Z'));
  expect(weekStart(at('2026-10-26T00:00:00Z'))).toEqual(at('2026-10-26T00:00:00Z'));
  expect(weekStart(at('2026-11-01T23:59:59Z'))).toEqual(at('2026-10-26T00:00:00Z'));
});

describe('a small history, worked out by hand', () => {
  // Four days, 2026-11-02 (a Monday) 00:00 to 2026-11-06 00:00.
  const window = { start: at('2026-11-02T00:00:00Z'), end: at('2026-11-06T00:00:00Z') };
  const releases = [
    // Lead 2h.
    release('succeeded', { commit: '2026-11-02T08:00:00Z', end: '2026-11-02T10:00:00Z' }),
    // Fails at 12:00: restored by the next success to end, at 18:00 (6h).
    release('failed', { commit: '2026-11-02T11:00:00Z', failed: '2026-11-02T12:00:00Z' }),
    // Lead 3h, from the push.
    release('succeeded', {
      commit: '2026-11-02T15:00:00Z',
      end: '2026-11-02T18:00:00Z',
      fromPush: true,
    }),
    // Lead 30m.
    release('succeeded', { commit: '2026-11-03T09:00:00Z', end: '2026-11-03T09:30:00Z' }),
    // Fails at 2026-11-05 20:00: nothing after it.
    release('failed', { commit: '2026-11-05T19:00:00Z', failed: '2026-11-05T20:00:00Z' }),
    release('in-progress', { commit: '2026-11-05T22:00:00Z' }),
    release('stopped', { commit: '2026-11-05T23:00:00Z', end: '2026-11-05T23:10:00Z' }),
  ];

  test('the four figures', () => {
    const figures = stageFigures({ stage: 's', production: true, releases, rejected: 1 }, window);
    expect(figures).toEqual({
      stage: 's',
      production: true,
      releases: 7,
      succeeded: 3,
      failed: 2,
      // In progress and stopped: in no figure.
      unfinished: 2,
      rejected: 1,
      // 3 successes in 4 days.
      perDay: 0.75,
      perWeek: 5.25,
      // Leads 30m, 2h, 3h: median rank ⌈1.5⌉ = 2 → 2h; p90 rank ⌈2.7⌉ = 3 → 3h.
      leadTime: { count: 3, medianMs: 2 * HOUR, p90Ms: 3 * HOUR, fromExecutionStart: 1 },
      // 2 failed of 5 finished.
      changeFailureRate: 0.4,
      timeToRestore: { restoredMs: [6 * HOUR], medianMs: 6 * HOUR, notRestored: 1 },
      weeks: [{ start: at('2026-11-02T00:00:00Z'), succeeded: 3, failed: 2 }],
    });
  });

  test('time to restore runs to the first success that ends after the failure', () => {
    // A success that started before the failure but ended after it restores it.
    const overlapping = [
      release('failed', { commit: '2026-11-02T11:00:00Z', failed: '2026-11-02T12:00:00Z' }),
      release('succeeded', { commit: '2026-11-02T10:00:00Z', end: '2026-11-02T12:30:00Z' }),
      release('succeeded', { commit: '2026-11-02T13:00:00Z', end: '2026-11-02T14:00:00Z' }),
    ];
    expect(restoreTimes(overlapping)).toEqual([30 * MINUTE]);
  });

  test('weeks count successes when they end and failures when they fail', () => {
    const span = { start: at('2026-11-01T12:00:00Z'), end: at('2026-11-09T01:00:00Z') };
    const weeks = weeklyFigures(
      [
        // Started on Sunday, ended on Monday: Monday's week.
        release('succeeded', { commit: '2026-11-01T23:00:00Z', end: '2026-11-02T00:30:00Z' }),
        release('failed', { commit: '2026-11-01T20:00:00Z', failed: '2026-11-01T21:00:00Z' }),
        release('succeeded', { commit: '2026-11-09T00:00:00Z', end: '2026-11-09T00:30:00Z' }),
      ],
      span,
    );
    expect(weeks).toEqual([
      { start: at('2026-10-26T00:00:00Z'), succeeded: 0, failed: 1 },
      { start: at('2026-11-02T00:00:00Z'), succeeded: 1, failed: 0 },
      { start: at('2026-11-09T00:00:00Z'), succeeded: 1, failed: 0 },
    ]);
  });

  test('no finished release: no rate, no lead time', () => {
    const figures = stageFigures(
      { stage: 's', production: false, releases: [releases[5]], rejected: 0 },
      window,
    );
    expect(figures.changeFailureRate).toBeUndefined();
    expect(figures.leadTime).toBeUndefined();
    expect(figures.timeToRestore).toEqual({ restoredMs: [], notRestored: 0 });
    expect(figures.perDay).toBe(0);
  });
});
