import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  type CodeDeployClient,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import {
  VERDICT_METRICS,
  VERDICT_NAMESPACE,
  verdictDimensions,
  type VerdictMetricKey,
} from '../../../runtime/judge/verdict-metric';
import { environmentLoader } from '../target';
import type { Clients, RegionClients, Selection, ServiceTarget } from '../types';
import type { Window } from './dora';
import type { ServiceDeployment, Verdict } from './model';
import { pages } from './pages';

/** BatchGetDeployments takes at most 25 ids a call. */
const BATCH = 25;
/** Minutes after a deployment ends in which the judge's last verdict may still be recorded. */
const VERDICT_GRACE_MINUTES = 10;

/** The deployments of one service's deployment group in one environment of a stage. */
export interface GroupDeployments {
  readonly environment: string;
  readonly target: ServiceTarget;
  readonly clients: RegionClients;
  readonly deployments: readonly DeploymentInfo[];
}

/**
 * The deployments created in the window of every chosen service in every environment of the
 * stage: its stack's outputs name the group (DescribeStacks), ListDeployments (with
 * `createTimeRange`, following `nextToken`) lists them and BatchGetDeployments (25 a call) reads
 * them. An environment the credentials do not reach, or whose stacks do not exist, is `unread`,
 * with the reason.
 */
export async function readGroups(
  selection: Selection,
  { clients, account }: { readonly clients: Clients; readonly account: string },
  window: Window,
): Promise<{ groups: GroupDeployments[]; unread: string[] }> {
  const load = environmentLoader(selection, clients, account);
  const groups: GroupDeployments[] = [];
  const unread: string[] = [];
  for (const choice of selection.environments) {
    const { target, why } = await load(choice);
    if (!target) {
      unread.push(`${choice.environment.name} of stage ${selection.stage.name}: ${why}`);
      continue;
    }
    for (const svc of target.services) {
      const deployments = await listGroup(target.clients.codedeploy, svc, window);
      groups.push({
        environment: choice.environment.name,
        target: svc,
        clients: target.clients,
        deployments,
      });
    }
  }
  return { groups, unread };
}

async function listGroup(
  codedeploy: CodeDeployClient,
  target: ServiceTarget,
  window: Window,
): Promise<DeploymentInfo[]> {
  const ids: string[] = [];
  for await (const page of pages((nextToken) =>
    codedeploy.send(
      new ListDeploymentsCommand({
        applicationName: target.application,
        deploymentGroupName: target.deploymentGroup,
        createTimeRange: { start: window.start, end: window.end },
        nextToken,
      }),
    ),
  )) {
    ids.push(...(page.deployments ?? []));
  }
  const infos: DeploymentInfo[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const { deploymentsInfo = [] } = await codedeploy.send(
      new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(i, i + BATCH) }),
    );
    infos.push(...deploymentsInfo);
  }
  return infos;
}

/**
 * One deployment as the report shows it: its versions (ListDeploymentTargets, following
 * `nextToken`, and BatchGetDeploymentTargets) and the judge's verdict (`readVerdict`). A verdict
 * CloudWatch refuses to give is left out, and `onVerdictError` told why.
 */
export async function deploymentDetails(
  group: GroupDeployments,
  info: DeploymentInfo,
  onVerdictError: (error: Error) => void,
): Promise<ServiceDeployment> {
  const { codedeploy, cloudwatch } = group.clients;
  const deploymentId = info.deploymentId ?? '?';
  const versions = await lambdaVersions(codedeploy, deploymentId);
  const created = info.createTime ?? new Date(0);
  const completed = info.completeTime;
  let verdict: Verdict | undefined;
  if (versions.to) {
    try {
      verdict = await readVerdict(cloudwatch, group.target.functionName, versions.to, {
        start: created,
        end: new Date((completed ?? created).getTime() + VERDICT_GRACE_MINUTES * 60_000),
      });
    } catch (error) {
      if (!(error instanceof Error && '$metadata' in error)) throw error;
      onVerdictError(error);
    }
  }
  const code = info.errorInformation?.code;
  return {
    service: group.target.service.name,
    environment: group.environment,
    deploymentId,
    status: info.status ?? '?',
    fromVersion: versions.from,
    toVersion: versions.to,
    created,
    completed,
    error: code ? { code, message: info.errorInformation?.message ?? '' } : undefined,
    rolledBackBy: info.rollbackInfo?.rollbackDeploymentId,
    rollbackMessage: info.rollbackInfo?.rollbackMessage,
    verdict,
  };
}

/** The versions a Lambda deployment moves the alias from and to. */
async function lambdaVersions(
  codedeploy: CodeDeployClient,
  deploymentId: string,
): Promise<{ from?: string; to?: string }> {
  const targetIds: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await codedeploy.send(
      new ListDeploymentTargetsCommand({ deploymentId, nextToken }),
    );
    targetIds.push(...(page.targetIds ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  if (targetIds.length === 0) return {};
  const { deploymentTargets = [] } = await codedeploy.send(
    new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: targetIds.slice(0, BATCH) }),
  );
  const info = deploymentTargets.find((t) => t.lambdaTarget)?.lambdaTarget?.lambdaFunctionInfo;
  return { from: info?.currentVersion, to: info?.targetVersion };
}

/**
 * What the release judge recorded for `version` of `functionName` over `range`: the Maximum of
 * each verdict metric (they are cumulative) over the whole range as one period, a multiple of an
 * hour so that CloudWatch answers for data of any age (GetMetricData, following `NextToken`).
 * Undefined when the judge recorded no verdict.
 */
export async function readVerdict(
  cloudwatch: RegionClients['cloudwatch'],
  functionName: string,
  version: string,
  range: Window,
): Promise<Verdict | undefined> {
  const keys = Object.keys(VERDICT_METRICS) as VerdictMetricKey[];
  const start = new Date(Math.floor(range.start.getTime() / 60_000) * 60_000);
  const hours = Math.max(1, Math.ceil((range.end.getTime() - start.getTime()) / 3_600_000));
  const queries = keys.map((key): MetricDataQuery => ({
    Id: key,
    MetricStat: {
      Metric: {
        Namespace: VERDICT_NAMESPACE,
        MetricName: VERDICT_METRICS[key],
        Dimensions: verdictDimensions(functionName, version),
      },
      Period: hours * 3600,
      Stat: 'Maximum',
    },
  }));
  const values = new Map<string, number>();
  const end = new Date(start.getTime() + hours * 3_600_000);
  for await (const page of pages(
    (NextToken) =>
      cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: start,
          EndTime: end,
          NextToken,
        }),
      ),
    (page) => page.NextToken,
  )) {
    for (const result of page.MetricDataResults ?? []) {
      const found = result.Values ?? [];
      if (result.Id && found.length > 0) {
        values.set(result.Id, Math.max(values.get(result.Id) ?? -Infinity, ...found));
      }
    }
  }
  const verdict = values.get('verdict');
  if (verdict === undefined) return undefined;
  return {
    rollback: verdict >= 1,
    invocations: values.get('invocations'),
    errors: values.get('errors'),
    slow: values.get('slow'),
    throttles: values.get('throttles'),
    evidence: values.get('evidence'),
  };
}
