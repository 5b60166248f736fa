import { generateTraffic } from '../../../runtime/synthetic/generate-traffic';
import type { Invoker, SyntheticCheck } from '../../../runtime/synthetic/types';
import { sleep } from '../support';

const check = (name: string): SyntheticCheck => ({
  name,
  event: { name },
  expect: { statusCode: 200 },
});
const CHECKS = [check('a'), check('b'), check('c')];

/** Answers 200 after `delayMs` (or `status` for the events named in `statusFor`). */
function target(delayMs = 0, statusFor: Record<string, number> = {}) {
  const seen: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const invoker: Invoker = async (event) => {
    const { name } = event as { name: string };
    seen.push(name);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await sleep(delayMs);
    inFlight--;
    return { payload: { statusCode: statusFor[name] ?? 200 } };
  };
  return { invoker, seen, maxInFlight: () => maxInFlight };
}

const options = (count: number, concurrency: number, signal = new AbortController().signal) => ({
  count,
  concurrency,
  perCheckTimeoutMs: 1_000,
  slowMs: 1_000,
  signal,
});

describe('generateTraffic', () => {
  it('runs the checks in turn until the count has been made', async () => {
    const t = target();
    const result = await generateTraffic(CHECKS, t.invoker, options(7, 1));
    expect(result).toEqual({ calls: 7, errors: 0, slow: 0, outOfTime: false });
    expect(t.seen).toEqual(['a', 'b', 'c', 'a', 'b', 'c', 'a']);
  });

  it('keeps at most `concurrency` invocations in flight', async () => {
    const t = target(5);
    const result = await generateTraffic(CHECKS, t.invoker, options(20, 3));
    expect(result.calls).toBe(20);
    expect(t.maxInFlight()).toBe(3);
  });

  it('counts failures and keeps going: the judge weighs them with the real traffic', async () => {
    const t = target(1, { b: 503 });
    const result = await generateTraffic(CHECKS, t.invoker, options(6, 1));
    expect(result).toEqual({
      calls: 6,
      errors: 2,
      slow: 0,
      outOfTime: false,
      firstFailure: expect.objectContaining({ name: 'b', passed: false, statusCode: 503 }),
    });
    expect(t.seen).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('counts the calls slower than slowMs', async () => {
    const t = target(30);
    const result = await generateTraffic(CHECKS, t.invoker, { ...options(4, 2), slowMs: 10 });
    expect(result).toEqual({ calls: 4, errors: 0, slow: 4, outOfTime: false });
  });

  it('reports running out of time when the signal aborts first', async () => {
    const t = target(20);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('time is up')), 70);
    const result = await generateTraffic(CHECKS, t.invoker, options(100, 2, controller.signal));
    expect(result.outOfTime).toBe(true);
    expect(result.errors).toBe(0);
    expect(result.calls).toBeGreaterThan(0);
    expect(result.calls).toBeLessThan(100);
  });

  it('does nothing for a count of 0, and refuses to run without checks', async () => {
    const t = target();
    expect(await generateTraffic(CHECKS, t.invoker, options(0, 4))).toEqual({
      calls: 0,
      errors: 0,
      slow: 0,
      outOfTime: false,
    });
    expect(t.seen).toEqual([]);
    await expect(generateTraffic([], t.invoker, options(1, 1))).rejects.toThrow(
      'generating traffic needs at least one check',
    );
  });
});
