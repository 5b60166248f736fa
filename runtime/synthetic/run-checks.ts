import { raceAbort } from './abort';
import { describeError } from './describe-error';
import { evaluate } from './evaluate';
import type { CheckResult, Invoker, SyntheticCheck } from './types';

export { evaluate } from './evaluate';

/**
 * The logging the runner needs: one structured line per check. Powertools `Logger` satisfies
 * it, and so does a two-method fake in tests.
 */
export interface CheckLogger {
  info(message: string, extra: Record<string, unknown>): void;
  error(message: string, extra: Record<string, unknown>): void;
}

export interface RunChecksOptions {
  /** Each check is aborted and failed after this many milliseconds. Must be positive. */
  readonly perCheckTimeoutMs: number;
  /** Receives one line per finished check. @default no logging */
  readonly logger?: CheckLogger;
  /** Aborting it aborts (and fails) every check still running. @default never aborted */
  readonly signal?: AbortSignal;
}

/** The abort reason used when a check runs past its per-check timeout. */
export class CheckTimeoutError extends Error {
  override readonly name = 'CheckTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms (per-check timeout)`);
  }
}

/**
 * Runs every check concurrently against `invoker` and judges each with {@link evaluate}.
 *
 * Each check gets its own `AbortController`, aborted after `perCheckTimeoutMs` (or when
 * `options.signal` aborts); the runner stops waiting at that moment even if the invoker ignores
 * its signal. A rejected or timed-out invocation fails only its own check: the returned promise
 * resolves with one result per check, in the order of `checks`, and never rejects because of a
 * check.
 *
 * @throws RangeError when `perCheckTimeoutMs` is not a positive finite number
 */
export async function runChecks(
  checks: readonly SyntheticCheck[],
  invoker: Invoker,
  options: RunChecksOptions,
): Promise<CheckResult[]> {
  const { perCheckTimeoutMs } = options;
  if (!Number.isFinite(perCheckTimeoutMs) || perCheckTimeoutMs <= 0) {
    throw new RangeError(`perCheckTimeoutMs must be a positive number, got ${perCheckTimeoutMs}`);
  }
  return Promise.all(checks.map((check) => runOne(check, invoker, options)));
}

async function runOne(
  check: SyntheticCheck,
  invoker: Invoker,
  { perCheckTimeoutMs, logger, signal: outer }: RunChecksOptions,
): Promise<CheckResult> {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new CheckTimeoutError(perCheckTimeoutMs)),
    perCheckTimeoutMs,
  );
  const onOuterAbort = (): void => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });

  const started = performance.now();
  let result: CheckResult;
  try {
    const invocation = (async () => invoker(check.event, controller.signal))();
    const outcome = await raceAbort(invocation, controller.signal);
    result = evaluate(check, outcome, performance.now() - started);
  } catch (error) {
    const reason = controller.signal.aborted
      ? describeAbort(controller.signal.reason)
      : `invoke failed: ${describeError(error)}`;
    result = {
      name: check.name,
      passed: false,
      latencyMs: Math.round(performance.now() - started),
      reason,
    };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuterAbort);
  }

  const line = {
    check: result.name,
    passed: result.passed,
    statusCode: result.statusCode,
    latencyMs: result.latencyMs,
    ...(result.reason !== undefined && { reason: result.reason }),
  };
  if (result.passed) logger?.info('synthetic check passed', line);
  else logger?.error('synthetic check failed', line);
  return result;
}

function describeAbort(reason: unknown): string {
  if (reason instanceof CheckTimeoutError) return reason.message;
  return `aborted: ${describeError(reason)}`;
}
