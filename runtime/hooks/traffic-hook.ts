import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { describeError } from '../synthetic/describe-error';
import { lambdaInvoker } from '../synthetic/lambda-invoker';
import { latticeInvoker, type LatticeInvokerOptions } from '../synthetic/lattice-invoker';
import { runChecks, type CheckLogger } from '../synthetic/run-checks';
import type { CheckResult, Invoker } from '../synthetic/types';
import { readHookConfig, type HookConfig } from './hook-config';
import { judgeAfterShift, type PostTrafficVerdict } from './post-traffic-judgement';
import { reportStatus, type HookExecutionIds, type ReportResult } from './report-status';

export { DEFAULT_CHECKS_FILE } from './checks-file';

/** Time kept back from the Lambda timeout for reporting the status to CodeDeploy. */
export const REPORT_RESERVE_MS = 15_000;
/** Upper bound on each check's timeout, whatever the remaining budget. */
export const MAX_CHECK_TIMEOUT_MS = 30_000;
/** Report attempts in total (the first plus retries). */
export const REPORT_ATTEMPTS = 3;
/** Pauses before the report retries. */
export const REPORT_BACKOFF_MS: readonly number[] = [250, 1_000];
/** Invocations in flight at most while the post-traffic hook generates traffic. */
export const GENERATE_CONCURRENCY = 10;

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
  /** Post-traffic with `RELEASE_JUDGEMENT`: the release judge's verdict after the shift. */
  readonly judgement?: PostTrafficVerdict;
}

/** The logging the hook needs. Powertools `Logger` satisfies it. */
export interface HookLogger extends CheckLogger {
  warn(message: string, extra: Record<string, unknown>): void;
}

/** Everything the hook depends on, injectable for tests. */
export interface TrafficHookDependencies {
  readonly lambda: LambdaClient;
  readonly codedeploy: CodeDeployClient;
  /** Reads the release's metrics and records the verdict (post-traffic with `RELEASE_JUDGEMENT`). */
  readonly cloudwatch: CloudWatchClient;
  /** Builds the invoker for `TARGET_URL`. @default {@link latticeInvoker} */
  readonly latticeInvoker?: (options: LatticeInvokerOptions) => Invoker;
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
  /** @default GENERATE_CONCURRENCY */
  readonly generateConcurrency?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** Waits while the release watch waits for CloudWatch. @default setTimeout */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The hook handler type produced by {@link createHandler}. */
export type TrafficHookHandler = (
  event: CodeDeployHookEvent,
  context: HookContext,
) => Promise<HookOutcome>;

/**
 * Builds the traffic-hook handler, shared by the pre-traffic hook (targets the new version)
 * and the post-traffic hook (targets the `live` alias, or its VPC Lattice front door when
 * `TARGET_URL` is set).
 *
 * Every invocation reports to CodeDeploy exactly once: `Succeeded` only when every check
 * passed, otherwise `Failed` (failed check, bad configuration or checks file, SDK error, a
 * release the judge rolls back or cannot judge, time budget spent). The budget is the remaining
 * Lambda time minus `reserveMs`; an overall deadline at the budget makes sure a hung call cannot
 * delay the report. With `RELEASE_JUDGEMENT`, the post-traffic hook first judges the release
 * (see {@link judgeAfterShift}), keeping back time for its checks. Each check times out after
 * `min(time left, maxCheckTimeoutMs)`. The report is retried on transient errors within the
 * reserve; when every attempt fails the error is logged and rethrown.
 */
export function createHandler(deps: TrafficHookDependencies): TrafficHookHandler {
  const logger = deps.logger ?? new Logger({ serviceName: 'traffic-hook' });
  const reserveMs = deps.reserveMs ?? REPORT_RESERVE_MS;
  const maxCheckTimeoutMs = deps.maxCheckTimeoutMs ?? MAX_CHECK_TIMEOUT_MS;
  const attempts = deps.reportAttempts ?? REPORT_ATTEMPTS;
  const backoffMs = deps.reportBackoffMs ?? REPORT_BACKOFF_MS;
  const concurrency = deps.generateConcurrency ?? GENERATE_CONCURRENCY;
  const makeLatticeInvoker = deps.latticeInvoker ?? latticeInvoker;
  const clock = deps.now ?? Date.now;
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
      ...(env.TARGET_URL && { targetUrl: env.TARGET_URL }),
    };

    const outcome = await decide(ids, context, env, labels);
    const failed = outcome.results.filter((r) => !r.passed).length;
    const summary = {
      ...labels,
      status: outcome.status,
      ...(outcome.reason !== undefined && { reason: outcome.reason }),
      checks: outcome.results.length,
      failedChecks: failed,
      ...(outcome.judgement !== undefined && { judgement: outcome.judgement }),
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

  /** Judges the canary's traffic and runs the checks within the budget; never throws. */
  async function decide(
    ids: HookExecutionIds,
    context: HookContext,
    env: Readonly<Record<string, string | undefined>>,
    labels: Record<string, unknown>,
  ): Promise<HookOutcome> {
    const controller = new AbortController();
    try {
      const config = readHookConfig(env);
      const remainingMs = context.getRemainingTimeInMillis();
      const budgetMs = remainingMs - reserveMs;
      if (!(budgetMs > 0)) {
        return failed(
          `no time left for checks: ${remainingMs} ms remaining, ${reserveMs} ms reserved for reporting`,
        );
      }
      const hookDeadline = clock() + budgetMs;
      const invoker = config.lattice
        ? makeLatticeInvoker({ url: config.lattice.url, region: config.lattice.region })
        : lambdaInvoker(deps.lambda, config.functionName, config.qualifier);

      let judgement: PostTrafficVerdict | undefined;
      if (config.phase === 'post-traffic' && config.judgement !== undefined) {
        // The checks after it may need up to one check timeout: keep that back.
        const checksReserveMs = Math.min(maxCheckTimeoutMs, Math.floor(budgetMs / 2));
        judgement = await judgeRelease(ids, config, hookDeadline - checksReserveMs);
        if (!judgement.passed) return failed(judgement.reason, [], judgement);
        logger.info('release judged: pass', { ...labels, reason: judgement.reason });
      }

      const checkBudgetMs = hookDeadline - clock();
      if (checkBudgetMs <= 0) {
        return failed(
          `no time left for checks after judging the release (budget ${budgetMs} ms)`,
          [],
          judgement,
        );
      }
      const checkLogger: CheckLogger = {
        info: (message, extra) => logger.info(message, { ...labels, ...extra }),
        error: (message, extra) => logger.error(message, { ...labels, ...extra }),
      };
      const running = runChecks(config.checks, invoker, {
        perCheckTimeoutMs: Math.min(checkBudgetMs, maxCheckTimeoutMs),
        logger: checkLogger,
        signal: controller.signal,
      });
      const results = await raceDeadline(running, checkBudgetMs);
      if (results === 'deadline') {
        controller.abort(new Error('the hook time budget ran out'));
        return failed(
          `time budget of ${budgetMs} ms ran out before every check finished`,
          [],
          judgement,
        );
      }
      const failures = results.filter((r) => !r.passed);
      return failures.length === 0
        ? { status: 'Succeeded', results, ...(judgement !== undefined && { judgement }) }
        : failed(
            `${failures.length} of ${results.length} checks failed: ${failures
              .map((r) => `${r.name} (${r.reason ?? 'failed'})`)
              .join('; ')}`,
            results,
            judgement,
          );
    } catch (error) {
      return failed(`hook error: ${describeError(error)}`);
    } finally {
      controller.abort(new Error('traffic hook finished'));
    }
  }

  /** Judges the release after the shift to 100%, until `deadline` at the latest. */
  async function judgeRelease(
    ids: HookExecutionIds,
    config: HookConfig,
    deadline: number,
  ): Promise<PostTrafficVerdict> {
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new Error("the hook's time for judging the release ran out")),
      Math.max(0, deadline - clock()),
    );
    try {
      return await judgeAfterShift({
        codedeploy: deps.codedeploy,
        cloudwatch: deps.cloudwatch,
        deploymentId: ids.deploymentId,
        functionName: config.functionName,
        alias: config.qualifier,
        judgement: config.judgement!,
        checks: config.checks,
        versionInvoker: (version) => lambdaInvoker(deps.lambda, config.functionName, version),
        concurrency,
        maxCheckTimeoutMs,
        deadline,
        signal: controller.signal,
        now: clock,
        ...(deps.sleep && { sleep: deps.sleep }),
      });
    } finally {
      clearTimeout(timer);
      controller.abort(new Error('done judging'));
    }
  }
}

/** Settles with `promise`, or with `'deadline'` after `ms` if that comes first. */
async function raceDeadline<T>(promise: Promise<T>, ms: number): Promise<T | 'deadline'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => resolve('deadline'), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
    promise.catch(() => undefined);
  }
}

function failed(
  reason: string,
  results: readonly CheckResult[] = [],
  judgement?: PostTrafficVerdict,
): HookOutcome {
  return { status: 'Failed', reason, results, ...(judgement !== undefined && { judgement }) };
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
  cloudwatch: new CloudWatchClient({}),
});
