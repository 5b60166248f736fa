import { DescribeAlarmsCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  GetDeploymentConfigCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
  type DeploymentStatus,
  type LifecycleEvent,
  type TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { duration, progressBar } from './format';
import { OpsError, type ServiceTarget } from './types';

/** The statuses of a deployment that has not ended. */
export const IN_PROGRESS: DeploymentStatus[] = [
  'Created',
  'Queued',
  'InProgress',
  'Baking',
  'Ready',
];

/** The live alias: the version it points at and the extra versions with their weights. */
export interface AliasState {
  readonly version: string;
  /** Extra versions and the share of traffic each takes (0 to 1). */
  readonly weights: Readonly<Record<string, number>>;
}

export async function getAlias(lambda: LambdaClient, target: ServiceTarget): Promise<AliasState> {
  const alias = await lambda.send(
    new GetAliasCommand({ FunctionName: target.functionName, Name: target.aliasName }),
  );
  return {
    version: alias.FunctionVersion ?? '?',
    weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
  };
}

/** `version 7 90% · version 8 10%`, or `version 8 (100%)`. */
export function describeAlias(alias: AliasState): string {
  const extra = Object.entries(alias.weights);
  if (extra.length === 0) return `version ${alias.version} (100%)`;
  const rest = 1 - extra.reduce((sum, [, w]) => sum + w, 0);
  return [[alias.version, rest] as const, ...extra]
    .map(([v, w]) => `version ${v} ${Math.round(w * 100)}%`)
    .join(' · ');
}

/** The share of the alias's traffic that `version` takes. */
export function shareOf(alias: AliasState, version: string): number {
  if (alias.version === version) {
    return 1 - Object.values(alias.weights).reduce((sum, w) => sum + w, 0);
  }
  return alias.weights[version] ?? 0;
}

/** The deployments of the service's group (newest first), optionally of some statuses only. */
export async function listDeployments(
  codedeploy: CodeDeployClient,
  target: ServiceTarget,
  statuses?: DeploymentStatus[],
): Promise<DeploymentInfo[]> {
  const { deployments = [] } = await codedeploy.send(
    new ListDeploymentsCommand({
      applicationName: target.application,
      deploymentGroupName: target.deploymentGroup,
      ...(statuses ? { includeOnlyStatuses: statuses } : {}),
    }),
  );
  if (deployments.length === 0) return [];
  const { deploymentsInfo = [] } = await codedeploy.send(
    new BatchGetDeploymentsCommand({ deploymentIds: deployments.slice(0, 25) }),
  );
  return [...deploymentsInfo].sort(
    (a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0),
  );
}

/** The deployment of the service that has not ended, or an error saying nothing is in progress. */
export async function inProgressDeployment(
  codedeploy: CodeDeployClient,
  target: ServiceTarget,
): Promise<DeploymentInfo | undefined> {
  return (await listDeployments(codedeploy, target, IN_PROGRESS))[0];
}

/**
 * The error of a command that needs a deployment in progress and finds none, `where` being the
 * stage and the environments looked in.
 */
export function nothingInProgress(where: string, services: readonly string[]): OpsError {
  return new OpsError(
    `nothing in progress in ${where}: no deployment of ${services.join(', ')} is ${IN_PROGRESS.join('/')}`,
  );
}

/** What a Lambda deployment moves: from which version to which, and its lifecycle events. */
export interface DeploymentTarget {
  readonly currentVersion?: string;
  readonly targetVersion?: string;
  readonly lifecycleEvents: readonly LifecycleEvent[];
}

/** The Lambda target of a deployment (ListDeploymentTargets, BatchGetDeploymentTargets). */
export async function deploymentTarget(
  codedeploy: CodeDeployClient,
  deploymentId: string,
): Promise<DeploymentTarget> {
  const { targetIds = [] } = await codedeploy.send(
    new ListDeploymentTargetsCommand({ deploymentId }),
  );
  if (targetIds.length === 0) return { lifecycleEvents: [] };
  const { deploymentTargets = [] } = await codedeploy.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: targetIds.slice(0, 1) }),
  );
  const lambda = deploymentTargets[0]?.lambdaTarget;
  return {
    currentVersion: lambda?.lambdaFunctionInfo?.currentVersion,
    targetVersion: lambda?.lambdaFunctionInfo?.targetVersion,
    lifecycleEvents: lambda?.lifecycleEvents ?? [],
  };
}

/** The traffic routing of a deployment config (GetDeploymentConfig). */
export async function trafficRouting(
  codedeploy: CodeDeployClient,
  deploymentConfigName: string,
): Promise<TrafficRoutingConfig> {
  const { deploymentConfigInfo } = await codedeploy.send(
    new GetDeploymentConfigCommand({ deploymentConfigName }),
  );
  return deploymentConfigInfo?.trafficRoutingConfig ?? { type: 'AllAtOnce' };
}

/** How long traffic shifting takes under a routing config, in milliseconds. */
export function shiftWindowMs(routing: TrafficRoutingConfig): number {
  const minute = 60_000;
  if (routing.type === 'TimeBasedCanary') {
    return (routing.timeBasedCanary?.canaryInterval ?? 0) * minute;
  }
  if (routing.type === 'TimeBasedLinear') {
    const { linearPercentage = 100, linearInterval = 0 } = routing.timeBasedLinear ?? {};
    return (Math.ceil(100 / linearPercentage) - 1) * linearInterval * minute;
  }
  return 0;
}

/**
 * The state of each alarm by name (DescribeAlarms, 100 names per call), metric alarms (metric
 * math included) and composite alarms alike.
 */
export async function alarmStates(
  cloudwatch: CloudWatchClient,
  names: readonly string[],
): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (let i = 0; i < names.length; i += 100) {
    const { MetricAlarms = [], CompositeAlarms = [] } = await cloudwatch.send(
      new DescribeAlarmsCommand({
        AlarmNames: names.slice(i, i + 100),
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      }),
    );
    for (const alarm of [...MetricAlarms, ...CompositeAlarms]) {
      states.set(alarm.AlarmName ?? '', alarm.StateValue ?? '?');
    }
  }
  return states;
}

/** `errors OK · p99-latency OK · throttles ALARM` (names without the `<stage>-<service>-`). */
export function describeAlarms(target: ServiceTarget, states: Map<string, string>): string {
  const prefix = `${target.functionName}-`;
  return target.alarms
    .map((name) => {
      const short = name.startsWith(prefix) ? name.slice(prefix.length) : name;
      return `${short} ${states.get(name) ?? 'MISSING'}`;
    })
    .join(' · ');
}

/** `d-ABC123 Stopped (ALARM_ACTIVE: ...)`, the status and why. */
export function describeDeployment(deployment: DeploymentInfo): string {
  const error = deployment.errorInformation;
  const why = error?.code ? ` (${error.code}: ${error.message ?? ''})` : '';
  return `${deployment.deploymentId} ${deployment.status}${why}`;
}

/**
 * One progress line of a deployment: the new version's share of traffic as a bar, and the time
 * left in the shift window (from when AllowTraffic started).
 */
export function progressLine(
  alias: AliasState,
  moved: DeploymentTarget,
  windowMs: number,
  now: Date,
): string {
  const version = moved.targetVersion;
  if (version === undefined) return `${progressBar(0)} waiting for CodeDeploy to start`;
  const bar = `${progressBar(shareOf(alias, version))} on version ${version}`;
  const allow = moved.lifecycleEvents.find((e) => e.lifecycleEventName === 'AllowTraffic');
  const before = moved.lifecycleEvents.find((e) => e.lifecycleEventName === 'BeforeAllowTraffic');
  if (!allow?.startTime) {
    return `${bar}  pre-traffic hook ${before?.status ?? 'Pending'}`;
  }
  if (allow.endTime || allow.status === 'Succeeded') {
    return `${bar}  shift complete, post-traffic hook running`;
  }
  const left = allow.startTime.getTime() + windowMs - now.getTime();
  return `${bar}  canary window ${duration(left)} left`;
}
