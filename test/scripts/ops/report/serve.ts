import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import {
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { deployedIn, type Harness } from '../harness';
import { dev, prod, type History } from './fixture';

/** Page sizes of the fake: small, so that every list runs over several pages. */
export const PAGES = { executions: 20, actions: 10, rules: 1, deployments: 10 } as const;

/** One page of `items` from the offset in `token`, and the token of the next. */
function page<T>(items: readonly T[], token: string | undefined, size: number) {
  const offset = token ? Number(token.split('@')[1]) : 0;
  const next = offset + size < items.length ? `next@${offset + size}` : undefined;
  return { items: items.slice(offset, offset + size), next };
}

/**
 * Serves `history` from the harness's mocked clients the way AWS would: CodePipeline's lists
 * newest first and paginated, with one more (empty) page of executions than the history holds,
 * as from an older past; CodeDeploy's groups (their names from the stacks' outputs) filtered on
 * `createTimeRange`, BatchGetDeployments refusing more than 25 ids; the judge's metrics by
 * function and version.
 */
export function serveHistory(h: Harness, history: History): void {
  h.mocks.codepipeline
    .on(ListPipelineExecutionsCommand)
    .callsFake(({ nextToken }) => {
      if (nextToken === 'older') return { pipelineExecutionSummaries: [] };
      const { items, next } = page(history.executions, nextToken, PAGES.executions);
      return {
        pipelineExecutionSummaries: items.map((e) => e.summary),
        nextToken: next ?? 'older',
      };
    })
    .on(ListActionExecutionsCommand)
    .callsFake(({ filter, nextToken }) => {
      const record = history.executions.find(
        (e) => e.summary.pipelineExecutionId === filter?.pipelineExecutionId,
      );
      // Newest first, as CodePipeline lists them.
      const actions = [...(record?.actions ?? [])].reverse();
      const { items, next } = page(actions, nextToken, PAGES.actions);
      return { actionExecutionDetails: items, nextToken: next };
    })
    .on(ListRuleExecutionsCommand)
    .callsFake(({ filter, nextToken }) => {
      const record = history.executions.find(
        (e) => e.summary.pipelineExecutionId === filter?.pipelineExecutionId,
      );
      const { items, next } = page(record?.rules ?? [], nextToken, PAGES.rules);
      return { ruleExecutionDetails: items, nextToken: next };
    });

  for (const stage of [dev, prod]) deployedIn(h.mocks, stage);
  h.mocks.codedeploy
    .on(ListDeploymentsCommand)
    .callsFake(({ applicationName, deploymentGroupName, createTimeRange, nextToken }) => {
      const all = history.deployments.get(deploymentGroupName ?? '') ?? [];
      const inRange = all.filter(
        (d) =>
          d.applicationName === applicationName &&
          d.createTime!.getTime() >= (createTimeRange?.start?.getTime() ?? 0) &&
          d.createTime!.getTime() <= (createTimeRange?.end?.getTime() ?? Infinity),
      );
      const newestFirst = [...inRange].reverse().map((d) => d.deploymentId!);
      const { items, next } = page(newestFirst, nextToken, PAGES.deployments);
      return { deployments: items, nextToken: next };
    })
    .on(BatchGetDeploymentsCommand)
    .callsFake(({ deploymentIds = [] }) => {
      if (deploymentIds.length > 25) {
        throw Object.assign(new Error('The maximum number of deployment IDs is 25'), {
          name: 'BatchLimitExceededException',
          $metadata: {},
        });
      }
      const all = [...history.deployments.values()].flat();
      return {
        deploymentsInfo: deploymentIds.map((id: string) => all.find((d) => d.deploymentId === id)),
      };
    })
    .on(ListDeploymentTargetsCommand)
    .callsFake(({ deploymentId }) => ({
      targetIds: [`${history.targets.get(deploymentId ?? '')?.functionName}:live`],
    }))
    .on(BatchGetDeploymentTargetsCommand)
    .callsFake(({ deploymentId, targetIds = [] }) => {
      const t = history.targets.get(deploymentId ?? '')!;
      return {
        deploymentTargets: [
          {
            deploymentTargetType: 'LambdaTarget',
            lambdaTarget: {
              deploymentId,
              targetId: targetIds[0],
              status: 'Succeeded',
              lambdaFunctionInfo: {
                functionName: t.functionName,
                functionAlias: 'live',
                currentVersion: t.from,
                targetVersion: t.to,
              },
            },
          },
        ],
      };
    });
  h.mocks.cloudwatch
    .on(GetMetricDataCommand)
    .callsFake(({ MetricDataQueries = [], StartTime }) => ({
      MetricDataResults: MetricDataQueries.map((q: MetricDataQuery) => {
        const dims = q.MetricStat?.Metric?.Dimensions ?? [];
        const value = (name: string) => dims.find((d) => d.Name === name)?.Value;
        const recorded = history.verdicts.get(`${value('FunctionName')}:${value('Version')}`);
        const v = recorded?.[q.Id ?? ''];
        return {
          Id: q.Id,
          Label: q.MetricStat?.Metric?.MetricName,
          StatusCode: 'Complete',
          Timestamps: v === undefined ? [] : [StartTime],
          Values: v === undefined ? [] : [v],
        };
      }),
    }));
}
