import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { generateTraffic } from '../synthetic/generate-traffic';
import type { CheckResult, Invoker } from '../synthetic/types';
import { findCanaryWindow, plainFunctionName, type CanaryWindow } from './canary-window';
import type { HookConfig } from './hook-config';
import { countInvocations } from './invocation-count';

/** What the post-traffic hook knows about the new version's traffic. */
export interface CanaryEvidence {
  readonly version: string;
  readonly trafficStartedAt: Date;
  /** Invocations CloudWatch counted through the alias since then. */
  readonly measured: number;
  /** Passing invocations the hook made itself to make up the difference. */
  readonly generated: number;
  /** `canary.minInvocations`. */
  readonly needed: number;
}

/** Whether the release has enough evidence to be judged, and why not. */
export type EvidenceVerdict =
  | { readonly enough: true; readonly evidence: CanaryEvidence }
  | {
      readonly enough: false;
      readonly reason: string;
      readonly evidence?: CanaryEvidence;
      /** The generated invocation that failed its check, if that is the reason. */
      readonly failure?: CheckResult;
    };

export interface EvidenceOptions {
  readonly codedeploy: CodeDeployClient;
  readonly cloudwatch: CloudWatchClient;
  readonly deploymentId: string;
  readonly config: HookConfig;
  /** Reaches the alias (directly or through Lattice); used to generate traffic. */
  readonly invoker: Invoker;
  /** Invocations in flight at most while generating traffic. */
  readonly concurrency: number;
  /** Upper bound on each generated invocation's timeout. */
  readonly maxCheckTimeoutMs: number;
  /** When the evidence must be in: `signal` aborts then. */
  readonly deadline: number;
  readonly signal: AbortSignal;
}

/**
 * "No silent pass": the new version must have served `config.minInvocations` invocations
 * through the alias since traffic started shifting. Counts them (CodeDeploy for the version and
 * the start, CloudWatch for the count); when there are fewer, fails (`onQuiet: fail`) or runs
 * the checks through the alias until the count plus the generated invocations is enough
 * (`onQuiet: generate-traffic`), each of which must pass. Never rejects.
 *
 * CloudWatch holds Lambda's metrics one to three minutes late, so the count can miss the last
 * minutes of the canary; it is read once, not polled. Generated invocations are counted by the
 * hook itself, so they do not wait for CloudWatch.
 */
export async function gatherEvidence(options: EvidenceOptions): Promise<EvidenceVerdict> {
  const { config, signal } = options;
  const needed = config.minInvocations;
  let window: CanaryWindow;
  let measured: number;
  try {
    window = await findCanaryWindow(
      options.codedeploy,
      options.deploymentId,
      config.functionName,
      signal,
    );
    measured = await countInvocations(
      options.cloudwatch,
      {
        functionName: plainFunctionName(config.functionName),
        alias: config.qualifier,
        version: window.version,
        from: window.trafficStartedAt,
        to: new Date(),
      },
      signal,
    );
  } catch (error) {
    const what = signal.aborted
      ? "ran out of time while counting the canary's invocations"
      : "could not count the canary's invocations";
    return { enough: false, reason: `${what}: ${(error as Error).message}` };
  }

  const evidence = { version: window.version, trafficStartedAt: window.trafficStartedAt, needed };
  if (measured >= needed) {
    return { enough: true, evidence: { ...evidence, measured, generated: 0 } };
  }
  const since = `since ${
    window.startedFrom === 'AllowTraffic' ? 'traffic started shifting' : 'the deployment started'
  } at ${clock(window.trafficStartedAt)}`;
  const servedOf = `version ${window.version} served ${measured} of the ${needed} invocations the release needs (canary.minInvocations) ${since}`;
  if (config.onQuiet === 'fail') {
    return {
      enough: false,
      evidence: { ...evidence, measured, generated: 0 },
      reason: `version ${window.version} served ${plural(measured, 'invocation')} ${since}; the release needs ${needed} to be judged (canary.minInvocations; CloudWatch may still lack the last 1-3 minutes). Fix: send traffic during the canary, lower canary.minInvocations, or set canary.onQuiet to 'generate-traffic'`,
    };
  }

  const missing = needed - measured;
  const timeLeft = options.deadline - Date.now();
  const traffic =
    timeLeft > 0
      ? await generateTraffic(config.checks, options.invoker, {
          count: missing,
          concurrency: options.concurrency,
          perCheckTimeoutMs: Math.min(options.maxCheckTimeoutMs, timeLeft),
          signal,
        })
      : { passed: 0, outOfTime: true };
  const generated = { ...evidence, measured, generated: traffic.passed };
  if ('failure' in traffic && traffic.failure !== undefined) {
    return {
      enough: false,
      evidence: generated,
      failure: traffic.failure,
      reason: `${servedOf}; while generating the other ${missing} through the alias, check "${traffic.failure.name}" failed: ${traffic.failure.reason ?? 'failed'}`,
    };
  }
  if (traffic.outOfTime) {
    return {
      enough: false,
      evidence: generated,
      reason: `${servedOf}; the hook generated ${traffic.passed} of the other ${missing} before its time ran out. Fix: send traffic during the canary, lower canary.minInvocations, or give the post-traffic hook more time`,
    };
  }
  return { enough: true, evidence: generated };
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `10:02 UTC` */
function clock(date: Date): string {
  return `${date.toISOString().slice(11, 16)} UTC`;
}
