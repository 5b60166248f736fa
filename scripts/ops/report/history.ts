import {
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
  type ActionExecutionDetail,
  type CodePipelineClient,
  type PipelineExecutionSummary,
  type RuleExecutionDetail,
} from '@aws-sdk/client-codepipeline';
import { useCredentialsFor } from '../errors';
import { OpsError } from '../types';
import { pages } from './pages';

/** One pipeline execution as the report reads it: its summary, actions and condition rules. */
export interface ExecutionRecord {
  readonly summary: PipelineExecutionSummary;
  /** Every action execution of it, in every stage (retries included). */
  readonly actions: readonly ActionExecutionDetail[];
  /** Its rule executions (stage conditions); empty where none were read. */
  readonly rules: readonly RuleExecutionDetail[];
}

/** What to read besides the executions. */
export interface HistoryScope {
  readonly pipelineName: string;
  readonly account: string;
  readonly region: string;
  /** Executions that started before it are not read. */
  readonly since: Date;
  /**
   * Whether the stage conditions' rule executions of an execution are needed, from its actions:
   * the report needs them where an execution reached a stage it reports on and the pipeline has
   * conditions.
   */
  readonly needsRules: (actions: readonly ActionExecutionDetail[]) => boolean;
}

/**
 * The pipeline's executions that started since `scope.since`, newest first, each with its action
 * executions and, where needed, its rule executions. Every list follows `nextToken`:
 *
 * - ListPipelineExecutions, newest first, until a page reaches an execution older than `since`
 *   (CodePipeline keeps 12 months of them);
 * - per execution, ListActionExecutions filtered on it;
 * - per execution that needs them, ListRuleExecutions filtered on it.
 */
export async function readExecutions(
  codepipeline: CodePipelineClient,
  scope: HistoryScope,
): Promise<ExecutionRecord[]> {
  const { pipelineName, since } = scope;
  const summaries: PipelineExecutionSummary[] = [];
  try {
    for await (const page of pages((nextToken) =>
      codepipeline.send(new ListPipelineExecutionsCommand({ pipelineName, nextToken })),
    )) {
      const all = page.pipelineExecutionSummaries ?? [];
      summaries.push(...all.filter((s) => (s.startTime?.getTime() ?? 0) >= since.getTime()));
      if (all.some((s) => (s.startTime?.getTime() ?? 0) < since.getTime())) break;
    }
  } catch (error) {
    if (error instanceof Error && error.name === 'PipelineNotFoundException') {
      throw new OpsError(
        `pipeline ${pipelineName} does not exist in account ${scope.account}, ${scope.region}: deploy it once (npx cdk deploy), or ${useCredentialsFor(scope.account)}`,
      );
    }
    throw error;
  }
  const records: ExecutionRecord[] = [];
  for (const summary of summaries) {
    const pipelineExecutionId = summary.pipelineExecutionId!;
    const actions: ActionExecutionDetail[] = [];
    for await (const page of pages((nextToken) =>
      codepipeline.send(
        new ListActionExecutionsCommand({
          pipelineName,
          filter: { pipelineExecutionId },
          nextToken,
        }),
      ),
    )) {
      actions.push(...(page.actionExecutionDetails ?? []));
    }
    const rules: RuleExecutionDetail[] = [];
    if (scope.needsRules(actions)) {
      for await (const page of pages((nextToken) =>
        codepipeline.send(
          new ListRuleExecutionsCommand({
            pipelineName,
            filter: { pipelineExecutionId },
            nextToken,
          }),
        ),
      )) {
        rules.push(...(page.ruleExecutionDetails ?? []));
      }
    }
    records.push({ summary, actions, rules });
  }
  return records;
}
