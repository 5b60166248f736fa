import { toEvidence, type ReleaseQuery } from '../../../runtime/judge/read-evidence';

const minute = (m: number) => Date.UTC(2026, 11, 4, 10, m);
const release: ReleaseQuery = {
  functionName: 'prod-orders',
  alias: 'live',
  version: '7',
  p99LatencyMs: 800,
  from: minute(10),
  to: minute(12),
};
/** Per-minute values from 10:08 (before the window) to 10:11. */
const series = (values: number[]) => new Map(values.map((v, i) => [minute(8 + i), v]));

describe('the evidence of a release from per-minute metrics', () => {
  test('sums the judged minutes, counts slow calls from the percentile rank, and takes the old version as the rest of the alias', () => {
    const evidence = toEvidence(
      release,
      (key) =>
        ({
          releasedCalls: series([0, 0, 40, 60]),
          releasedErrors: series([0, 0, 1, 2]),
          // 95% and 90% of the calls at or under 800 ms: 2 and 6 slow
          releasedFast: series([0, 0, 95, 90]),
          aliasCalls: series([400, 400, 400, 600]),
          aliasErrors: series([1, 1, 2, 2]),
          aliasFast: series([100, 100, 99, 99]),
          functionCalls: series([400, 410, 400, 600]),
          functionThrottles: series([0, 3, 5, 0]),
        })[key as string],
    );
    expect(evidence).toEqual({
      released: { calls: 100, errors: 3, slow: 8 },
      previous: { calls: 900, errors: 1, slow: 2 },
      throttles: {
        during: { throttles: 5, calls: 1000 },
        before: { throttles: 3, calls: 810 },
      },
    });
  });

  test("takes the new version's own throttles when Lambda published them", () => {
    const evidence = toEvidence(
      release,
      (key) =>
        ({ releasedCalls: series([0, 0, 40, 60]), releasedThrottles: series([0, 0, 2, 0]) })[
          key as string
        ],
    );
    expect(evidence.throttles.released).toEqual({ throttles: 2, calls: 100 });
  });
});
