import { Logger } from '@aws-lambda-powertools/logger';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { describeError } from '../synthetic/describe-error';
import { lambdaInvoker } from '../synthetic/lambda-invoker';
import { runChecks, type CheckLogger } from '../synthetic/run-checks';
import type { CheckResult } from '../synthetic/types';
import { readHookConfig } from './hook-config';
import { reportStatus, type HookExecutionIds, type ReportResult } from './report-status';

/** Time kept back from the Lambda timeout for reporting the status to CodeDeploy. */
export const REPORT_RESERVE_MS = 15_000;
/** Upper bound on each check's timeout, whatever the remaining budget. */
export const MAX_CHECK_TIMEOUT_MS = 30_000;
/** Report attempts in total (the first plus retries). */
export const REPORT_ATTEMPTS = 3;
/** Pauses before the report retries. */
export const REPORT_BACKOFF_MS: readonly number[] = [250, 1_000];

/** The event CodeDeploy sends to a Lambda lifecycle hook. */
export interface CodeDeployHookEvent {
  readonly DeploymentId: string;
  readonly LifecycleEventHookExecutionId: string;
}

/** The part of the Lambda context the hook uses. */
export interface HookContext {
  getRemainingTimeInMillis(): number;
}

/** What a hook invocation decided and reported. CodeDeploy ignores it; tests and logs do not. */
export interface HookOutcome {
  readonly status: 'Succeeded' | 'Failed';
  /** Why the status is `Failed`; absent on success. */
  readonly reason?: string;
  readonly results: readonly CheckResult[];
}

/** The logging the hook needs. Powertools `Logger` satisfies it. */
export interface HookLogger extends CheckLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Everything the hook depends on, injectable for tests. */
export interface TrafficHookDependencies {
  readonly lambda: LambdaClient;
  readonly codedeploy: CodeDeployClient;
  /** Read on every invocation. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default a Powertools Logger */
  readonly logger?: HookLogger;
  /** @default REPORT_RESERVE_MS */
  readonly reserveMs?: number;
  /** @default MAX_CHECK_TIMEOUT_MS */
  readonly maxCheckTimeoutMs?: number;
  /** @default REPORT_ATTEMPTS */
  readonly reportAttempts?: number;
  /** @default REPORT_BACKOFF_MS */
  readonly reportBackoffMs?: readonly number[];
}

/** The hook handler type produced by {@link createHandler}. */
export type TrafficHookHandler = (
  event: CodeDeployHookEvent,
  context: HookContext,
) => Promise<HookOutcome>;

/**
 * Builds the traffic-hook handler, shared by the pre-traffic hook (targets the new version)
 * and the post-traffic hook (targets the `live` alias).
 *
 * Every invocation reports to CodeDeploy exactly once: `Succeeded` only when every check
 * passed, otherwise `Failed` (failed check, bad configuration, SDK error, time budget spent).
 * The check budget is the remaining Lambda time minus `reserveMs`; each check times out after
 * `min(budget, maxCheckTimeoutMs)`, and an overall deadline at the budget makes sure a hung
 * invocation cannot delay the report. The report is retried on transient errors within the
 * reserve; when every attempt fails the error is logged and rethrown.
 */
export function createHandler(deps: TrafficHookDependencies): TrafficHookHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'traffic-hook' });
  const reserveMs = deps.reserveMs ?? REPORT_RESERVE_MS;
  const maxCheckTimeoutMs = deps.maxCheckTimeoutMs ?? MAX_CHECK_TIMEOUT_MS;
  const attempts = deps.reportAttempts ?? REPORT_ATTEMPTS;
  const backoffMs = deps.reportBackoffMs ?? REPORT_BACKOFF_MS;
  const retryPauses = backoffMs.slice(0, attempts - 1).reduce((sum, ms) => sum + ms, 0);
  const attemptTimeoutMs = Math.max(100, Math.floor((reserveMs - retryPauses) / attempts));

  return async (event, context) => {
    const started = Date.now();
    const ids = readIds(event);
    if (ids === undefined) {
      // Without the ids nothing can be reported; failing loudly is all that is left.
      const message = 'event lacks DeploymentId or LifecycleEventHookExecutionId: cannot report';
      logger.error(message, { event });
      throw new Error(message);
    }
    const env = deps.env ?? process.env;
    const labels: Record<string, unknown> = {
      deploymentId: ids.deploymentId,
      lifecycleEventHookExecutionId: ids.lifecycleEventHookExecutionId,
      phase: env.HOOK_PHASE,
      target: env.TARGET_FUNCTION_NAME,
      qualifier: env.TARGET_QUALIFIER,
    };

    const outcome = await decide(context, env, labels);
    const failed = outcome.results.filter((r) => !r.passed).length;
    const summary = {
      ...labels,
      status: outcome.status,
      ...(outcome.reason !== undefined && { reason: outcome.reason }),
      checks: outcome.results.length,
      failedChecks: failed,
    };

    let reported: ReportResult;
    try {
      reported = await reportStatus(deps.codedeploy, ids, outcome.status, {
        attempts,
        backoffMs,
        attemptTimeoutMs,
        onAttemptFailed: (attempt, error, willRetry) =>
          logger.warn('status report attempt failed', {
            ...labels,
            attempt,
            willRetry,
            error: describeError(error),
          }),
      });
    } catch (error) {
      logger.error('could not report hook status to CodeDeploy', {
        ...summary,
        error: describeError(error),
        durationMs: Date.now() - started,
      });
      throw error;
    }

    const line = { ...summary, report: reported, durationMs: Date.now() - started };
    if (outcome.status === 'Succeeded') logger.info('traffic hook succeeded', line);
    else logger.error('traffic hook failed', line);
    return outcome;
  };

  /** Runs the checks within the budget and decides the status; never throws. */
  async function decide(
    context: HookContext,
    env: Readonly<Record<string, string | undefined>>,
    labels: Record<string, unknown>,
  ): Promise<HookOutcome> {
    const controller = new AbortController();
    let deadline: NodeJS.Timeout | undefined;
    try {
      const config = readHookConfig(env);
      const remainingMs = context.getRemainingTimeInMillis();
      const budgetMs = remainingMs - reserveMs;
      if (!(budgetMs > 0)) {
        return failed(
          `no time left for checks: ${remainingMs} ms remaining, ${reserveMs} ms reserved for reporting`,
        );
      }
      const checkLogger: CheckLogger = {
        info: (message, extra) => logger.info(message, { ...labels, ...extra }),
        error: (message, extra) => logger.error(message, { ...labels, ...extra }),
      };
      const running = runChecks(
        config.checks,
        lambdaInvoker(deps.lambda, config.functionName, config.qualifier),
        {
          perCheckTimeoutMs: Math.min(budgetMs, maxCheckTimeoutMs),
          logger: checkLogger,
          signal: controller.signal,
        },
      );
      const timedOut = new Promise<'deadline'>((resolve) => {
        deadline = setTimeout(() => resolve('deadline'), budgetMs);
      });
      const results = await Promise.race([running, timedOut]);
      if (results === 'deadline') {
        controller.abort(new Error('the hook time budget ran out'));
        running.catch(() => undefined);
        return failed(`time budget of ${budgetMs} ms ran out before every check finished`);
      }
      const failures = results.filter((r) => !r.passed);
      return failures.length === 0
        ? { status: 'Succeeded', results }
        : failed(
            `${failures.length} of ${results.length} checks failed: ${failures
              .map((r) => `${r.name} (${r.reason ?? 'failed'})`)
              .join('; ')}`,
            results,
          );
    } catch (error) {
      return failed(`hook error: ${describeError(error)}`);
    } finally {
      clearTimeout(deadline);
      controller.abort(new Error('traffic hook finished'));
    }
  }
}

function failed(reason: string, results: readonly CheckResult[] = []): HookOutcome {
  return { status: 'Failed', reason, results };
}

function readIds(event: unknown): HookExecutionIds | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { DeploymentId, LifecycleEventHookExecutionId } = event as Record<string, unknown>;
  if (typeof DeploymentId !== 'string' || DeploymentId === '') return undefined;
  if (typeof LifecycleEventHookExecutionId !== 'string' || LifecycleEventHookExecutionId === '') {
    return undefined;
  }
  return {
    deploymentId: DeploymentId,
    lifecycleEventHookExecutionId: LifecycleEventHookExecutionId,
  };
}

/** The Lambda entry point of both traffic hooks; its SDK clients live for the container. */
export const handler: TrafficHookHandler = createHandler({
  lambda: new LambdaClient({}),
  codedeploy: new CodeDeployClient({}),
});
