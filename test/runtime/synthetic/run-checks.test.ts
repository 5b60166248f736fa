import { TooManyRequestsException } from '@aws-sdk/client-lambda';
import { runChecks } from '../../../runtime/synthetic/run-checks';
import type { Invoker, SyntheticCheck } from '../../../runtime/synthetic/types';
import { apiResult, recordingLogger, sleep } from '../support';

const ok = (name: string, event: unknown = { name }): SyntheticCheck => ({
  name,
  event,
  expect: { statusCode: 200 },
});

/** Answers 200 after the delay named in the event (`{ delay }`), default 0. */
const delayedInvoker: Invoker = async (event) => {
  await sleep((event as { delay?: number }).delay ?? 0);
  return { payload: apiResult(200, {}) };
};

describe('runChecks', () => {
  it('returns results in the order of the checks, not of completion', async () => {
    const results = await runChecks(
      [ok('slow', { delay: 60 }), ok('fast', { delay: 0 }), ok('medium', { delay: 30 })],
      delayedInvoker,
      { perCheckTimeoutMs: 1_000 },
    );
    expect(results.map((r) => r.name)).toEqual(['slow', 'fast', 'medium']);
    expect(results.every((r) => r.passed)).toBe(true);
  });

  it('runs checks concurrently: their invocations overlap in time', async () => {
    const spans: { start: number; end: number }[] = [];
    const invoker: Invoker = async () => {
      const start = performance.now();
      await sleep(100);
      spans.push({ start, end: performance.now() });
      return { payload: apiResult(200, {}) };
    };
    const started = performance.now();
    await runChecks([ok('a'), ok('b'), ok('c'), ok('d')], invoker, { perCheckTimeoutMs: 1_000 });
    const elapsed = performance.now() - started;

    expect(spans).toHaveLength(4);
    const lastStart = Math.max(...spans.map((s) => s.start));
    const firstEnd = Math.min(...spans.map((s) => s.end));
    expect(lastStart).toBeLessThan(firstEnd); // all four were in flight at once
    expect(elapsed).toBeLessThan(300); // sequentially it would take at least 400 ms
  });

  it('fails a check that exceeds the per-check timeout, aborts its signal, and keeps the others', async () => {
    let seen: AbortSignal | undefined;
    const invoker: Invoker = async (event, signal) => {
      if ((event as { hang?: boolean }).hang) {
        seen = signal;
        return new Promise(() => undefined); // ignores the signal: the runner must not wait
      }
      return { payload: apiResult(200, {}) };
    };
    const started = performance.now();
    const results = await runChecks([ok('hangs', { hang: true }), ok('fine')], invoker, {
      perCheckTimeoutMs: 50,
    });
    expect(performance.now() - started).toBeLessThan(500);
    expect(results[0]).toMatchObject({ name: 'hangs', passed: false });
    expect(results[0].reason).toBe('timed out after 50 ms (per-check timeout)');
    expect(results[0].latencyMs).toBeGreaterThanOrEqual(45);
    expect(seen?.aborted).toBe(true);
    expect(results[1]).toMatchObject({ name: 'fine', passed: true });
  });

  it('turns a rejecting invoker into a failed check naming the error', async () => {
    const invoker: Invoker = async () => {
      throw new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} });
    };
    const [result] = await runChecks([ok('throttled')], invoker, { perCheckTimeoutMs: 1_000 });
    expect(result.passed).toBe(false);
    expect(result.reason).toBe('invoke failed: TooManyRequestsException: Rate exceeded');
  });

  it('turns a synchronously throwing invoker into a failed check', async () => {
    const invoker: Invoker = () => {
      throw new Error('no client');
    };
    const [result] = await runChecks([ok('sync')], invoker, { perCheckTimeoutMs: 1_000 });
    expect(result).toMatchObject({ passed: false, reason: 'invoke failed: Error: no client' });
  });

  it('fails every running check when the outer signal aborts', async () => {
    const outer = new AbortController();
    const invoker: Invoker = (_event, signal) =>
      new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    const running = runChecks([ok('a'), ok('b')], invoker, {
      perCheckTimeoutMs: 10_000,
      signal: outer.signal,
    });
    setTimeout(() => outer.abort(new Error('deadline')), 20);
    const results = await running;
    expect(results.map((r) => r.reason)).toEqual([
      'aborted: Error: deadline',
      'aborted: Error: deadline',
    ]);
  });

  it('logs exactly one structured line per check, info for a pass and error for a failure', async () => {
    const { logger, lines } = recordingLogger();
    const invoker: Invoker = async (event) => ({
      payload: apiResult((event as { status: number }).status, {}),
    });
    await runChecks([ok('good', { status: 200 }), ok('bad', { status: 502 })], invoker, {
      perCheckTimeoutMs: 1_000,
      logger,
    });
    expect(lines).toHaveLength(2);
    expect(lines).toEqual(
      expect.arrayContaining([
        {
          level: 'info',
          message: 'synthetic check passed',
          extra: expect.objectContaining({ check: 'good', passed: true, statusCode: 200 }),
        },
        {
          level: 'error',
          message: 'synthetic check failed',
          extra: expect.objectContaining({
            check: 'bad',
            passed: false,
            statusCode: 502,
            reason: expect.stringContaining('502'),
          }),
        },
      ]),
    );
  });

  it('rejects a non-positive per-check timeout as a programming error', async () => {
    await expect(runChecks([ok('a')], delayedInvoker, { perCheckTimeoutMs: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});
