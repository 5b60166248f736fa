import {
  BatchGetDeploymentTargetsCommand,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type LambdaTarget,
} from '@aws-sdk/client-codedeploy';
import type { AwsCall } from '../aws-calls';
import { raceAbort } from '../synthetic/abort';
import { describeError } from '../synthetic/describe-error';

/** The deployment-target reads have no resource type; GetDeployment is the deployment group's. */
export const AWS_CALLS: readonly AwsCall[] = [
  {
    command: 'ListDeploymentTargetsCommand',
    action: 'codedeploy:ListDeploymentTargets',
    on: 'none',
  },
  {
    command: 'BatchGetDeploymentTargetsCommand',
    action: 'codedeploy:BatchGetDeploymentTargets',
    on: 'none',
  },
  { command: 'GetDeploymentCommand', action: 'codedeploy:GetDeployment', on: 'deployment-group' },
];

/** What CodeDeploy says about the traffic shift of one Lambda deployment. */
export interface CanaryWindow {
  /** The version the deployment shifts the alias to, e.g. `"7"`. */
  readonly version: string;
  /** When traffic started shifting to it. */
  readonly trafficStartedAt: Date;
  /**
   * `AllowTraffic`: the start of that lifecycle event. `deployment-created`: CodeDeploy had no
   * start for it, so the deployment's creation time stands in (an earlier, wider window).
   */
  readonly startedFrom: 'AllowTraffic' | 'deployment-created';
  /** When the shift reached 100% (the end of `AllowTraffic`), once CodeDeploy says so. */
  readonly trafficShiftedAt?: Date;
}

/** CodeDeploy answers `BatchGetDeploymentTargets` for at most this many ids per call. */
const BATCH_SIZE = 25;
/** Pages of target ids read at most; a Lambda deployment has one target. */
const MAX_PAGES = 10;

/**
 * Finds the new version of `functionName` in a Lambda deployment and the time traffic started
 * shifting to it: `ListDeploymentTargets`, `BatchGetDeploymentTargets` (the target's
 * `targetVersion` and its `AllowTraffic` start), and `GetDeployment` (its creation time) only
 * when CodeDeploy gives no start for `AllowTraffic`.
 *
 * @param functionName the function's name, or its unqualified ARN
 * @param signal aborts every request
 * @throws Error naming the call that failed, or what the deployment lacks
 */
export async function findCanaryWindow(
  client: CodeDeployClient,
  deploymentId: string,
  functionName: string,
  signal: AbortSignal,
): Promise<CanaryWindow> {
  const name = plainFunctionName(functionName);
  const send = <T>(call: string, request: Promise<T>): Promise<T> =>
    raceAbort(request, signal).catch((error: unknown) => {
      throw new Error(`CodeDeploy ${call} for ${deploymentId} failed: ${describeError(error)}`, {
        cause: error,
      });
    });

  const targetIds: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await send(
      'ListDeploymentTargets',
      client.send(new ListDeploymentTargetsCommand({ deploymentId, nextToken }), {
        abortSignal: signal,
      }),
    );
    targetIds.push(...(listed.targetIds ?? []));
    nextToken = listed.nextToken;
    if (nextToken === undefined) break;
  }

  const targets: LambdaTarget[] = [];
  for (let i = 0; i < targetIds.length; i += BATCH_SIZE) {
    const batch = await send(
      'BatchGetDeploymentTargets',
      client.send(
        new BatchGetDeploymentTargetsCommand({
          deploymentId,
          targetIds: targetIds.slice(i, i + BATCH_SIZE),
        }),
        { abortSignal: signal },
      ),
    );
    for (const target of batch.deploymentTargets ?? []) {
      if (target.lambdaTarget !== undefined) targets.push(target.lambdaTarget);
    }
  }

  const target = targets.find((t) => t.lambdaFunctionInfo?.functionName === name);
  if (target === undefined) {
    throw new Error(
      `CodeDeploy deployment ${deploymentId} has no Lambda target for function ${name} (targets: ${describeTargets(targets)})`,
    );
  }
  const version = plainVersion(target.lambdaFunctionInfo?.targetVersion);
  if (version === undefined) {
    throw new Error(
      `CodeDeploy deployment ${deploymentId} names no target version for function ${name}`,
    );
  }

  const allowTraffic = target.lifecycleEvents?.find((e) => e.lifecycleEventName === 'AllowTraffic');
  if (allowTraffic?.startTime !== undefined) {
    return {
      version,
      trafficStartedAt: allowTraffic.startTime,
      startedFrom: 'AllowTraffic',
      ...(allowTraffic.endTime !== undefined && { trafficShiftedAt: allowTraffic.endTime }),
    };
  }
  const deployment = await send(
    'GetDeployment',
    client.send(new GetDeploymentCommand({ deploymentId }), { abortSignal: signal }),
  );
  const created = deployment.deploymentInfo?.createTime;
  if (created === undefined) {
    throw new Error(
      `CodeDeploy deployment ${deploymentId} gives neither an AllowTraffic start nor a creation time`,
    );
  }
  return { version, trafficStartedAt: created, startedFrom: 'deployment-created' };
}

/** `my-fn` from `my-fn` or `arn:aws:lambda:eu-west-1:123456789012:function:my-fn`. */
export function plainFunctionName(nameOrArn: string): string {
  const marker = ':function:';
  const at = nameOrArn.indexOf(marker);
  return at < 0 ? nameOrArn : nameOrArn.slice(at + marker.length).split(':')[0];
}

/** `7` from `7` or from a version ARN ending in `:7`; undefined for anything else. */
function plainVersion(value: string | undefined): string | undefined {
  const last = value?.split(':').at(-1);
  return last !== undefined && /^[1-9][0-9]*$/.test(last) ? last : undefined;
}

function describeTargets(targets: readonly LambdaTarget[]): string {
  const names = targets.map((t) => t.lambdaFunctionInfo?.functionName ?? t.targetId ?? '?');
  return names.length > 0 ? names.join(', ') : 'none';
}
