import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { AwsCall } from '../aws-calls';
import type { CallCounts, Verdict } from '../judge/judge';
import type { ReleaseJudgement } from '../judge/judge-config';
import { publishVerdicts } from '../judge/publish-verdict';
import { readEvidence } from '../judge/read-evidence';
import { VERDICT_METRICS, VERDICT_NAMESPACE, verdictDimensions } from '../judge/verdict-metric';
import { MINUTE_MS } from '../model/metric-delay';
import { raceAbort } from '../synthetic/abort';
import { errorMessage } from '../synthetic/describe-error';
import { generateTraffic } from '../synthetic/generate-traffic';
import type { Invoker, SyntheticCheck } from '../synthetic/types';
import { findCanaryWindow, plainFunctionName } from './canary-window';
import { watchRelease, type WatchOutcome, type WatchResponse } from './release-watch';

/** How many verdicts the scheduled judge recorded: GetMetricData has no resource type. */
export const AWS_CALLS: readonly AwsCall[] = [
  { command: 'GetMetricDataCommand', action: 'cloudwatch:GetMetricData', on: 'none' },
];

/** Synthetic calls the post-traffic hook makes at most. */
export const MAX_SYNTHETIC_CALLS = 2_000;

/**
 * A canary window shorter than this many minutes may have no scheduled verdict: the judge runs
 * once a minute.
 */
const JUDGED_WINDOW_MINUTES = 2;

export interface PostTrafficJudgementOptions {
  readonly codedeploy: CodeDeployClient;
  readonly cloudwatch: CloudWatchClient;
  readonly deploymentId: string;
  /** The service's function (name or unqualified ARN). */
  readonly functionName: string;
  /** The alias real traffic comes through. */
  readonly alias: string;
  readonly judgement: ReleaseJudgement;
  readonly checks: readonly SyntheticCheck[];
  /** Invokes a version of the function directly (synthetic calls stay out of the alias's metrics). */
  readonly versionInvoker: (version: string) => Invoker;
  /** Calls in flight at most while generating. */
  readonly concurrency: number;
  readonly maxCheckTimeoutMs: number;
  /** Nothing may be asked of AWS after this time (ms since the epoch). */
  readonly deadline: number;
  readonly signal: AbortSignal;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** What the judgement after the shift decided; never thrown, always reported. */
export interface PostTrafficVerdict {
  readonly passed: boolean;
  readonly reason: string;
  readonly version?: string;
  readonly verdict?: Verdict;
  readonly synthetic?: CallCounts;
  readonly looks?: number;
}

/**
 * Judges the release after CodeDeploy shifted 100% of the traffic: finds the new version and
 * when its shift started, runs the release watch (`release-watch.ts`) against CloudWatch and
 * the function, records the verdict with the scheduled judge's, and checks that the scheduled
 * judge did see the canary (a canary it never judged was unprotected before 100%). Never
 * rejects: every failure is a verdict that fails the release.
 */
export async function judgeAfterShift(
  options: PostTrafficJudgementOptions,
): Promise<PostTrafficVerdict> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  const functionName = plainFunctionName(options.functionName);
  const started = now();
  let version: string | undefined;
  try {
    const window = await findCanaryWindow(
      options.codedeploy,
      options.deploymentId,
      functionName,
      options.signal,
    );
    version = window.version;
    const shiftStartedAt = window.trafficStartedAt.getTime();
    const shiftedAt = Math.min(window.trafficShiftedAt?.getTime() ?? started, started);
    const plan = {
      policy: options.judgement.policy,
      onQuiet: options.judgement.onQuiet,
      shiftStartedAt,
      shiftedAt,
      deadline: Math.min(started + options.judgement.watchMinutes * MINUTE_MS, options.deadline),
      maxSyntheticCalls: MAX_SYNTHETIC_CALLS,
    };
    const watch = watchRelease(plan, started);
    let response: WatchResponse;
    let outcome: WatchOutcome;
    for (;;) {
      const step = watch.next(response);
      if (step.done) {
        outcome = step.value;
        break;
      }
      const request = step.value;
      if (request.kind === 'wait') {
        if (request.until > options.deadline) {
          throw new Error(
            `the hook's time runs out before CloudWatch holds the minutes it must judge (it would wait until ${iso(request.until)})`,
          );
        }
        await sleep(Math.max(0, request.until - now()), options.signal);
        response = now();
      } else if (request.kind === 'evidence') {
        [response] = await readEvidence(
          options.cloudwatch,
          [
            {
              functionName,
              alias: options.alias,
              version,
              p99LatencyMs: plan.policy.p99LatencyMs,
              from: request.from,
              to: request.to,
            },
          ],
          options.signal,
        );
      } else {
        const traffic = await generateTraffic(options.checks, options.versionInvoker(version), {
          count: request.calls,
          concurrency: options.concurrency,
          perCheckTimeoutMs: options.maxCheckTimeoutMs,
          slowMs: plan.policy.p99LatencyMs,
          signal: options.signal,
        });
        response = { calls: traffic.calls, errors: traffic.errors, slow: traffic.slow };
      }
    }

    const { verdict } = outcome;
    await publishVerdicts(
      options.cloudwatch,
      [{ functionName, version, verdict }],
      new Date(now()),
    );
    const base = { version, verdict, looks: outcome.looks, synthetic: outcome.synthetic };
    if (verdict.decision === 'roll-back') {
      return { ...base, passed: false, reason: `version ${version}: ${verdict.reason}` };
    }
    if (verdict.decision === 'inconclusive') {
      return {
        ...base,
        passed: false,
        reason: `version ${version}: ${verdict.reason}, and the post-traffic hook watched for ${options.judgement.watchMinutes} minutes at 100%. Fix: send more traffic during the release, use a larger or longer canary (npm run plan shows what your traffic needs), or set canary.onQuiet to 'generate-traffic'`,
      };
    }
    const windowMinutes = (shiftedAt - shiftStartedAt) / MINUTE_MS;
    if (plan.policy.requireVerdict && windowMinutes >= JUDGED_WINDOW_MINUTES) {
      const seen = await scheduledVerdicts(options, functionName, version, shiftStartedAt, now());
      if (seen === 0) {
        return {
          ...base,
          passed: false,
          reason: `version ${version}: the scheduled release judge recorded no verdict during its ${Math.round(windowMinutes)}-minute canary, so nothing could have stopped it before 100%. Fix: check the stage's release judge function (its logs and its schedule), then release again`,
        };
      }
    }
    return { ...base, passed: true, reason: `version ${version}: ${verdict.reason}` };
  } catch (error) {
    const what = options.signal.aborted ? 'ran out of time while judging' : 'could not judge';
    return {
      passed: false,
      ...(version !== undefined && { version }),
      reason: `${what} the release${version ? ` of version ${version}` : ''}: ${errorMessage(error)}`,
    };
  }
}

/** How many verdicts the scheduled judge recorded for the version since the shift started. */
async function scheduledVerdicts(
  options: PostTrafficJudgementOptions,
  functionName: string,
  version: string,
  from: number,
  to: number,
): Promise<number> {
  const request = options.cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(from - MINUTE_MS),
      EndTime: new Date(to),
      MetricDataQueries: [
        {
          Id: 'verdicts',
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: VERDICT_NAMESPACE,
              MetricName: VERDICT_METRICS.verdict,
              Dimensions: verdictDimensions(functionName, version),
            },
            Period: 60,
            Stat: 'SampleCount',
          },
        },
      ],
    }),
    { abortSignal: options.signal },
  );
  const answer = await raceAbort(request, options.signal);
  return (answer.MetricDataResults ?? [])
    .flatMap((r) => r.Values ?? [])
    .reduce((total, v) => total + v, 0);
}

function sleepFor(ms: number, signal: AbortSignal): Promise<void> {
  return raceAbort(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
