import {
  badOutcomesToRollBack,
  boundaries,
  decide,
  goodOutcomesToPass,
  indifferenceRate,
  logLikelihoodRatio,
  minimumSample,
  weights,
} from '../../../runtime/judge/sprt';

// A healthy rate of 0.1% against a threshold of 1%, 99% confidence split over three tests, 90%
// power: the defaults of a service. Every number below follows from the formulas in sprt.ts.
const h = { acceptable: 0.001, bad: 0.01 };
const b = boundaries(0.01, 0.1, 3);

describe('the SPRT on a rate of bad outcomes', () => {
  test('boundaries are ln(tests/α) and ln β', () => {
    expect(b.rollBack).toBeCloseTo(Math.log(300), 12);
    expect(b.rollBack).toBeCloseTo(5.703782, 6);
    expect(b.pass).toBeCloseTo(-2.302585, 6);
    expect(boundaries(0.05, 0.2).rollBack).toBeCloseTo(Math.log(20), 12);
  });

  test('each failure adds ln(p1/p0), each success adds ln((1-p1)/(1-p0))', () => {
    const w = weights(h);
    expect(w.bad).toBeCloseTo(2.302585, 6);
    expect(w.good).toBeCloseTo(-0.00904984, 8);
    expect(logLikelihoodRatio(h, { n: 100, x: 2 })).toBeCloseTo(2 * w.bad + 98 * w.good, 12);
    expect(logLikelihoodRatio(h, { n: 0, x: 0 })).toBe(0);
  });

  test('three failures in a row roll back; two do not', () => {
    expect(badOutcomesToRollBack(h, b, 0)).toBe(3);
    expect(decide(logLikelihoodRatio(h, { n: 3, x: 3 }), b)).toBe('roll-back');
    expect(decide(logLikelihoodRatio(h, { n: 2, x: 2 }), b)).toBe('inconclusive');
  });

  test('the failures needed grow slowly with the calls', () => {
    // (ln 300 + 1000 · 0.00904984) / (2.302585 + 0.00904984) = 6.38
    expect(badOutcomesToRollBack(h, b, 1000)).toBe(7);
    expect(decide(logLikelihoodRatio(h, { n: 1000, x: 7 }), b)).toBe('roll-back');
    expect(decide(logLikelihoodRatio(h, { n: 1000, x: 6 }), b)).toBe('inconclusive');
  });

  test('255 good calls are the smallest sample that passes; each failure costs 255 more', () => {
    expect(minimumSample(h, b)).toBe(255);
    expect(decide(logLikelihoodRatio(h, { n: 255, x: 0 }), b)).toBe('pass');
    expect(decide(logLikelihoodRatio(h, { n: 254, x: 0 }), b)).toBe('inconclusive');
    // ln 10 · (1 + 1) / 0.00904984 = 508.9: 509 calls with one failure
    expect(goodOutcomesToPass(h, b, { n: 0, x: 0 })).toBe(255);
    expect(goodOutcomesToPass(h, b, { n: 1, x: 1 })).toBe(509);
    expect(goodOutcomesToPass(h, b, { n: 300, x: 0 })).toBe(0);
  });

  test('versions below the indifference rate drift towards a pass, above it towards a rollback', () => {
    const p = indifferenceRate(h);
    expect(p).toBeCloseTo(0.0039149, 6);
    const drift = (rate: number) => rate * weights(h).bad + (1 - rate) * weights(h).good;
    expect(drift(p)).toBeCloseTo(0, 12);
    expect(drift(0.002)).toBeLessThan(0);
    expect(drift(0.006)).toBeGreaterThan(0);
  });

  test('refuses rates and counts that make no sense, naming them', () => {
    expect(() => weights({ acceptable: 0.01, bad: 0.01 })).toThrow(
      'rates must satisfy 0 < acceptable < bad < 1, got acceptable 0.01, bad 0.01',
    );
    expect(() => logLikelihoodRatio(h, { n: 2, x: 3 })).toThrow(
      'outcomes must be whole numbers with 0 ≤ x ≤ n, got n 2, x 3',
    );
    expect(() => boundaries(0, 0.1)).toThrow('alpha must be in (0, 1), got 0');
    expect(() => boundaries(0.01, 1)).toThrow('beta must be in (0, 1), got 1');
  });
});
