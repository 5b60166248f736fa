import { runChecks } from './run-checks';
import type { CheckResult, Invoker, SyntheticCheck } from './types';

export interface GenerateTrafficOptions {
  /** Passing invocations to make. */
  readonly count: number;
  /** Invocations in flight at most. */
  readonly concurrency: number;
  /** Each invocation is aborted and failed after this long. */
  readonly perCheckTimeoutMs: number;
  /** Aborts when the time for generating runs out; whatever is in flight is abandoned. */
  readonly signal: AbortSignal;
}

/** How the generating went. */
export interface GeneratedTraffic {
  /** Invocations that passed their check. */
  readonly passed: number;
  /** The first invocation that failed its check; generating stopped there. */
  readonly failure?: CheckResult;
  /** The signal aborted before `count` invocations passed. */
  readonly outOfTime: boolean;
}

/**
 * Invokes the target with the checks in turn (the first, the second, ..., the first again)
 * until `count` invocations have passed, with at most `concurrency` in flight. Every
 * invocation is judged like a check; the first failure stops the run and aborts the others.
 * Never rejects because of an invocation.
 *
 * @throws RangeError when there are no checks
 */
export async function generateTraffic(
  checks: readonly SyntheticCheck[],
  invoker: Invoker,
  options: GenerateTrafficOptions,
): Promise<GeneratedTraffic> {
  if (checks.length === 0) throw new RangeError('generating traffic needs at least one check');
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(options.signal.reason);
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });

  let started = 0;
  let passed = 0;
  let failure: CheckResult | undefined;
  const worker = async (): Promise<void> => {
    while (started < options.count && !stop.signal.aborted) {
      const check = checks[started % checks.length];
      started++;
      const [result] = await runChecks([check], invoker, {
        perCheckTimeoutMs: options.perCheckTimeoutMs,
        signal: stop.signal,
      });
      if (result.passed) passed++;
      else if (!stop.signal.aborted) {
        failure = result;
        stop.abort(new Error(`check "${result.name}" failed`));
      }
    }
  };
  try {
    const workers = Math.max(1, Math.min(options.concurrency, options.count));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.signal.removeEventListener('abort', onAbort);
  }
  return {
    passed,
    ...(failure !== undefined && { failure }),
    outOfTime: failure === undefined && passed < options.count,
  };
}
