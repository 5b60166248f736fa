import {
  inProcessInvoker,
  type InProcessHandler,
} from '../../runtime/synthetic/in-process-invoker';
import { runChecks } from '../../runtime/synthetic/run-checks';
import type { CheckResult, SyntheticCheck } from '../../runtime/synthetic/types';

/**
 * Silences stdout and stderr during every test of the calling file: handlers log with
 * Powertools straight to them, which would bury jest's own output.
 */
export function quietLogs(): void {
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => jest.restoreAllMocks());
}

/** Runs a service's synthetic checks against its handler, in this process. */
export function runInProcess<E>(
  checks: readonly SyntheticCheck[],
  handler: InProcessHandler<E>,
): Promise<CheckResult[]> {
  return runChecks(checks, inProcessInvoker(handler), { perCheckTimeoutMs: 5_000 });
}
