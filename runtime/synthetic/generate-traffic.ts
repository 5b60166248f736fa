import { runChecks } from './run-checks';
import type { CheckResult, Invoker, SyntheticCheck } from './types';

export interface GenerateTrafficOptions {
  /** Calls to make. */
  readonly count: number;
  /** Calls in flight at most. */
  readonly concurrency: number;
  /** Each call is aborted and failed after this long. */
  readonly perCheckTimeoutMs: number;
  /** A call that took longer than this many milliseconds is slow. */
  readonly slowMs: number;
  /** Aborts when the time for generating runs out; whatever is in flight is not counted. */
  readonly signal: AbortSignal;
}

/** What the synthetic calls did. */
export interface GeneratedTraffic {
  /** Calls that finished (passed or failed). */
  readonly calls: number;
  /** Calls that failed their check. */
  readonly errors: number;
  /** Calls slower than `slowMs`. */
  readonly slow: number;
  /** The first call that failed its check, for the report. */
  readonly firstFailure?: CheckResult;
  /** The signal aborted before `count` calls finished. */
  readonly outOfTime: boolean;
}

/**
 * Invokes the target with the checks in turn (the first, the second, ..., the first again)
 * until `count` calls have finished, with at most `concurrency` in flight, and counts how many
 * failed their check and how many were slow: the release judge weighs them with the real
 * traffic. Never rejects because of a call.
 *
 * @throws RangeError when there are no checks
 */
export async function generateTraffic(
  checks: readonly SyntheticCheck[],
  invoker: Invoker,
  options: GenerateTrafficOptions,
): Promise<GeneratedTraffic> {
  if (checks.length === 0) throw new RangeError('generating traffic needs at least one check');
  let started = 0;
  let calls = 0;
  let errors = 0;
  let slow = 0;
  let firstFailure: CheckResult | undefined;
  const worker = async (): Promise<void> => {
    while (started < options.count && !options.signal.aborted) {
      const check = checks[started % checks.length];
      started++;
      const [result] = await runChecks([check], invoker, {
        perCheckTimeoutMs: options.perCheckTimeoutMs,
        signal: options.signal,
      });
      if (options.signal.aborted) return;
      calls++;
      if (result.latencyMs > options.slowMs) slow++;
      if (!result.passed) {
        errors++;
        firstFailure ??= result;
      }
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency, options.count));
  await Promise.all(Array.from({ length: workers }, worker));
  return {
    calls,
    errors,
    slow,
    ...(firstFailure !== undefined && { firstFailure }),
    outOfTime: calls < options.count,
  };
}
