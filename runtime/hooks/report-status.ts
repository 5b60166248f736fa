import {
  PutLifecycleEventHookExecutionStatusCommand,
  type CodeDeployClient,
  type LifecycleEventStatus,
} from '@aws-sdk/client-codedeploy';
import type { AwsCall } from '../aws-calls';
import { raceAbort } from '../synthetic/abort';

/**
 * The hooks' report. AWS's Service Authorization Reference lists no resource type for it, so
 * only `Resource: "*"` allows it; it needs the execution id CodeDeploy hands the hook it invokes.
 */
export const AWS_CALLS: readonly AwsCall[] = [
  {
    command: 'PutLifecycleEventHookExecutionStatusCommand',
    action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
    on: 'none',
  },
];

/** The ids CodeDeploy passes to a lifecycle hook; both are needed to report. */
export interface HookExecutionIds {
  readonly deploymentId: string;
  readonly lifecycleEventHookExecutionId: string;
}

export interface ReportOptions {
  /** Attempts in total, including the first. */
  readonly attempts: number;
  /** Pause before each retry; the last entry repeats when there are more retries. */
  readonly backoffMs: readonly number[];
  /** Each attempt is abandoned (and counts as transient) after this long. */
  readonly attemptTimeoutMs: number;
  /** Told about every failed attempt. */
  readonly onAttemptFailed?: (attempt: number, error: unknown, willRetry: boolean) => void;
}

/** What became of the report. `already-completed`: CodeDeploy had a status for this hook. */
export type ReportResult = 'reported' | 'already-completed';

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottledException',
]);

/**
 * Whether a failed report is worth retrying: throttling, server faults, network errors and
 * attempt timeouts are; client faults (access denied, unknown ids, validation) are not.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error)) return true;
  if (THROTTLING.has(error.name)) return true;
  const fault = (error as { $fault?: unknown }).$fault;
  const retryable = (error as { $retryable?: unknown }).$retryable;
  return fault !== 'client' || retryable !== undefined;
}

/**
 * Calls `PutLifecycleEventHookExecutionStatus` with its own retry loop (the SDK's retry
 * middleware is not relied on). Stops at the first success. When CodeDeploy answers that the
 * hook already has a status (`LifecycleEventAlreadyCompletedException`, e.g. an earlier attempt
 * did land), resolves with `already-completed`: reporting again cannot change anything.
 *
 * @throws the last error when every attempt failed or an error is not transient
 */
export async function reportStatus(
  client: CodeDeployClient,
  ids: HookExecutionIds,
  status: Extract<LifecycleEventStatus, 'Succeeded' | 'Failed'>,
  options: ReportOptions,
): Promise<ReportResult> {
  for (let attempt = 1; ; attempt++) {
    const controller = new AbortController();
    const timer = setTimeout(
      () =>
        controller.abort(
          Object.assign(
            new Error(`report attempt timed out after ${options.attemptTimeoutMs} ms`),
            {
              name: 'TimeoutError',
            },
          ),
        ),
      options.attemptTimeoutMs,
    );
    try {
      await raceAbort(
        client.send(
          new PutLifecycleEventHookExecutionStatusCommand({
            deploymentId: ids.deploymentId,
            lifecycleEventHookExecutionId: ids.lifecycleEventHookExecutionId,
            status,
          }),
          { abortSignal: controller.signal },
        ),
        controller.signal,
      );
      return 'reported';
    } catch (error) {
      if (error instanceof Error && error.name === 'LifecycleEventAlreadyCompletedException') {
        options.onAttemptFailed?.(attempt, error, false);
        return 'already-completed';
      }
      const willRetry = attempt < options.attempts && isTransient(error);
      options.onAttemptFailed?.(attempt, error, willRetry);
      if (!willRetry) throw error;
    } finally {
      clearTimeout(timer);
    }
    const pause = options.backoffMs[Math.min(attempt - 1, options.backoffMs.length - 1)] ?? 0;
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}
