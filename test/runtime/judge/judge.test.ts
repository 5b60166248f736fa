import {
  againstBaseline,
  judge,
  odds,
  percent,
  type Evidence,
  type JudgePolicy,
} from '../../../runtime/judge/judge';

const policy: JudgePolicy = {
  errorRatePercent: 1,
  baselineErrorRatePercent: 0.1,
  p99LatencyMs: 800,
  confidencePercent: 99,
  powerPercent: 90,
  compareToBaseline: true,
  requireVerdict: true,
};

/** Made-up evidence; the function ran every real call of both versions, none throttled. */
function evidence(
  released: Partial<Evidence['released']>,
  more: Partial<Omit<Evidence, 'released'>> = {},
): Evidence {
  const calls = (released.calls ?? 0) + (more.previous?.calls ?? 0);
  return {
    released: { calls: 0, errors: 0, slow: 0, ...released },
    throttles: { during: { throttles: 0, calls }, before: { throttles: 0, calls } },
    ...more,
  };
}

describe('the release judge', () => {
  test('three failed calls of three roll back, naming the test and the numbers', () => {
    const v = judge(policy, evidence({ calls: 3, errors: 3 }));
    expect(v.decision).toBe('roll-back');
    expect(v.tests.find((t) => t.test === 'errors')?.decision).toBe('roll-back');
    expect(v.reason).toBe(
      'roll back: 3 of 3 calls failed (100%), between the acceptable 0.1% and the bad 1%; evidence 1000:1 for the bad rate over the acceptable one (it rolls back at 300:1, 99% confidence)',
    );
  });

  test('255 good calls pass; 254 are not enough, and it says how many more it needs', () => {
    expect(judge(policy, evidence({ calls: 255 })).decision).toBe('pass');
    const short = judge(policy, evidence({ calls: 254 }));
    expect(short.decision).toBe('inconclusive');
    expect(short.callsToPass).toBe(1);
    const early = judge(policy, evidence({ calls: 100, errors: 1 }));
    expect(early.decision).toBe('inconclusive');
    // one failure: 509 good calls in all, 99 of them served
    expect(early.callsToPass).toBe(509 - 99);
    expect(early.reason).toBe(
      'inconclusive: 100 real calls (1 failed, 0 slower than 800 ms) so far; errors, latency, throttles not yet conclusive: about 410 more calls without a failure are needed',
    );
  });

  test('slow calls are judged like failures: more than 1% above the p99 threshold', () => {
    const v = judge(policy, evidence({ calls: 200, slow: 8 }));
    expect(v.decision).toBe('roll-back');
    expect(v.reason).toContain('8 of 200 calls took longer than 800 ms (4%)');
    expect(judge(policy, evidence({ calls: 2000, slow: 2 })).decision).toBe('pass');
  });

  test('a fix is not rolled back by the failures of the version it replaces', () => {
    const fix = judge(
      policy,
      evidence({ calls: 1000, errors: 1 }, { previous: { calls: 9000, errors: 2700, slow: 0 } }),
    );
    expect(fix.decision).toBe('pass');
    // The old version fails 30%: the new one must add a percentage point of its own to be bad.
    const errors = fix.tests.find((t) => t.test === 'errors')!;
    expect(errors.hypotheses.acceptable).toBeCloseTo(0.3, 12);
    expect(errors.hypotheses.bad).toBeCloseTo(0.309, 12);
  });

  test('a release as bad as the old version plus the gap is rolled back', () => {
    const v = judge(
      policy,
      evidence({ calls: 2000, errors: 40 }, { previous: { calls: 18000, errors: 90, slow: 0 } }),
    );
    // old 0.5% → acceptable 0.5%, bad 1.4%; the new version fails 2%
    expect(v.decision).toBe('roll-back');
    expect(v.reason).toContain('between the acceptable 0.5% and the bad 1.4%');
  });

  test('without compareToBaseline the old version does not move the rates', () => {
    const v = judge(
      { ...policy, compareToBaseline: false },
      evidence({ calls: 1000, errors: 1 }, { previous: { calls: 9000, errors: 2700, slow: 0 } }),
    );
    expect(v.tests.find((t) => t.test === 'errors')?.hypotheses).toEqual({
      acceptable: 0.001,
      bad: 0.01,
    });
  });

  test('synthetic successes help a pass but never outvote real failures', () => {
    // 5 of 5 real calls failed: no number of passing synthetic calls changes the verdict.
    const v = judge(
      policy,
      evidence({ calls: 5, errors: 5 }, { synthetic: { calls: 100000, errors: 0, slow: 0 } }),
    );
    expect(v.decision).toBe('roll-back');
    // 50 quiet real calls and 205 passing synthetic ones reach the 255 a pass needs.
    const quiet = judge(
      policy,
      evidence({ calls: 50 }, { synthetic: { calls: 205, errors: 0, slow: 0 } }),
    );
    expect(quiet.decision).toBe('pass');
    expect(quiet.reason).toContain(
      '50 real calls (0 failed, 0 slower than 800 ms) and 205 synthetic (0 failed)',
    );
  });

  test('failed synthetic calls count as failures', () => {
    const v = judge(
      policy,
      evidence({ calls: 10 }, { synthetic: { calls: 40, errors: 3, slow: 0 } }),
    );
    expect(v.decision).toBe('roll-back');
    expect(v.tests.find((t) => t.test === 'errors')?.outcomes).toEqual({ n: 13, x: 3 });
  });

  test("throttles: the new version's own when Lambda publishes them", () => {
    const v = judge(
      policy,
      evidence(
        { calls: 400 },
        {
          throttles: {
            released: { throttles: 20, calls: 400 },
            during: { throttles: 20, calls: 4000 },
            before: { throttles: 0, calls: 4000 },
          },
        },
      ),
    );
    const t = v.tests.find((r) => r.test === 'throttles')!;
    expect(t.source).toBe('version');
    expect(t.outcomes).toEqual({ n: 420, x: 20 });
    expect(v.decision).toBe('roll-back');
    expect(v.reason).toContain("20 of 420 of the new version's calls were throttled (4.8%)");
  });

  test("throttles: otherwise the function's, against its rate before the shift", () => {
    const throttled = (before: { throttles: number; calls: number }) =>
      judge(
        policy,
        evidence(
          { calls: 1000 },
          { throttles: { during: { throttles: 100, calls: 10000 }, before } },
        ),
      );
    expect(throttled({ throttles: 0, calls: 10000 }).decision).toBe('roll-back');
    // The function throttled as much before the release: not the release's doing.
    const v = throttled({ throttles: 100, calls: 10000 });
    expect(v.tests.find((r) => r.test === 'throttles')?.decision).not.toBe('roll-back');
  });

  test('all at once: only a rollback is decided, an inconclusive window passes', () => {
    const v = judge({ ...policy, requireVerdict: false }, evidence({ calls: 3 }));
    expect(v.decision).toBe('pass');
    expect(v.reason).toBe(
      'pass: 3 real calls (0 failed, 0 slower than 800 ms); not rolled back (all at once: nothing is held back to wait for a conclusive verdict)',
    );
    expect(
      judge({ ...policy, requireVerdict: false }, evidence({ calls: 3, errors: 3 })).decision,
    ).toBe('roll-back');
  });

  test('againstBaseline keeps the gap and stays below 1', () => {
    expect(againstBaseline({ acceptable: 0.001, bad: 0.01 }, 0.0005)).toEqual({
      acceptable: 0.001,
      bad: 0.01,
    });
    const high = againstBaseline({ acceptable: 0.001, bad: 0.01 }, 0.995);
    expect(high.acceptable).toBe(0.98);
    expect(high.bad).toBeCloseTo(0.989, 12);
  });

  test('formats rates and odds for people', () => {
    expect(percent(0.001)).toBe('0.1%');
    expect(percent(0.0005)).toBe('0.05%');
    expect(percent(0.014)).toBe('1.4%');
    expect(percent(0.35)).toBe('35%');
    expect(odds(Math.log(300))).toBe('300:1');
    expect(odds(Math.log(0.1))).toBe('1:10');
    expect(odds(Math.log(160000))).toBe('1.6e+5:1');
  });
});
