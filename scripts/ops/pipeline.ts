import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
  type CodePipelineClient,
  type PipelineExecutionSummary,
  type RuleExecutionDetail,
  type RuleState,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import type { AppModel, StageModel, WaveModel } from '../../lib/config/model';
import { approvalStepName, bakeStepName, pipelineStageName } from '../../lib/resource-names';
import { pipelinePlace, useCredentialsFor } from './errors';
import { OpsError } from './types';

/** Pages of history read at most when looking for an execution (100 executions a page). */
const MAX_PAGES = 10;

/** Throws unless the credentials (of `account`) reach the pipeline's account. */
export function requirePipelineAccount(app: AppModel, account: string, command: string): void {
  const pipeline = pipelinePlace(app);
  if (pipeline.account !== account) {
    throw new OpsError(
      `${command} acts on ${pipeline.what} in account ${pipeline.account}, not reachable with the credentials of account ${account}: ${useCredentialsFor(pipeline.account)}`,
    );
  }
}

/** The pipeline stage of one wave and its state. */
export interface WaveStage {
  readonly wave: WaveModel;
  /** `pipelineStageName(stage, wave)`. */
  readonly name: string;
  readonly state: StageState;
  /** The wave's bake action (`Bake-...`), where the stage bakes. */
  readonly bakeAction?: string;
  /** First wave of a stage that requires approval: the approval stage before it. */
  readonly approval?: { readonly name: string; readonly state: StageState };
}

/**
 * The pipeline stage of every wave of the stage, from one GetPipelineState. A pipeline that does
 * not exist, or lacks a wave's stage, is an error that says what to do.
 */
export async function waveStages(
  codepipeline: CodePipelineClient,
  app: AppModel,
  stage: StageModel,
): Promise<WaveStage[]> {
  let stageStates: StageState[];
  try {
    ({ stageStates = [] } = await codepipeline.send(
      new GetPipelineStateCommand({ name: app.pipelineName }),
    ));
  } catch (error) {
    if (error instanceof Error && error.name === 'PipelineNotFoundException') {
      const { account, region } = app.pipelineEnv;
      throw new OpsError(
        `pipeline ${app.pipelineName} does not exist in account ${account}, ${region}: deploy it once (npx cdk deploy), or ${useCredentialsFor(account)}`,
      );
    }
    throw error;
  }
  const stateOf = (name: string, what: string) => {
    const state = stageStates.find((s) => s.stageName === name);
    if (!state) {
      throw new OpsError(
        `pipeline ${app.pipelineName} has no stage ${name} (${what}): the pipeline has not updated itself to this configuration yet; push it and let the pipeline's self-mutation run`,
      );
    }
    return state;
  };
  return stage.waves.map((wave) => {
    const name = pipelineStageName(stage, wave);
    const state = stateOf(name, `wave ${wave.index} of stage ${stage.name}`);
    // The approval stage, where the pipeline has one (a pipeline from before it may not yet).
    const approvalState =
      stage.requiresApproval && wave.index === 1
        ? stageStates.find((st) => st.stageName === approvalStepName(stage))
        : undefined;
    const approval = approvalState && { name: approvalStepName(stage), state: approvalState };
    return {
      wave,
      name,
      state,
      ...(stage.bakeMinutes > 0 && { bakeAction: bakeStepName(stage, wave) }),
      ...(approval && { approval }),
    };
  });
}

/** A source revision in a few words: `1a2b3c4 "Fix the rounding of refunds"`. */
export function describeRevision(revision?: {
  readonly revisionId?: string;
  readonly revisionSummary?: string;
}): string {
  if (!revision?.revisionId) return 'source revision unknown';
  const id = /^[0-9a-f]{40}$/.test(revision.revisionId)
    ? revision.revisionId.slice(0, 7)
    : revision.revisionId;
  const message = commitMessage(revision.revisionSummary);
  return message ? `${id} "${message}"` : id;
}

/** The first line of a commit message; connections give it as JSON with `CommitMessage`. */
export function commitMessage(summary: string | undefined): string | undefined {
  if (!summary) return undefined;
  let text = summary;
  try {
    const parsed: unknown = JSON.parse(summary);
    const message = (parsed as { CommitMessage?: unknown } | null)?.CommitMessage;
    if (typeof message === 'string') text = message;
  } catch {
    // A plain summary.
  }
  const first = text.split('\n')[0].trim();
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
}

/** An execution as the commands show it (GetPipelineExecution). */
export interface ExecutionInfo {
  readonly id: string;
  readonly status?: string;
  /** `STANDARD` or `ROLLBACK`. */
  readonly type?: string;
  /** For a rollback: the execution whose artifacts it deployed again. */
  readonly rollbackTarget?: string;
  /** `1a2b3c4 "Fix the rounding of refunds"`. */
  readonly revision: string;
}

export async function getExecution(
  codepipeline: CodePipelineClient,
  pipelineName: string,
  id: string,
): Promise<ExecutionInfo> {
  const { pipelineExecution: e } = await codepipeline.send(
    new GetPipelineExecutionCommand({ pipelineName, pipelineExecutionId: id }),
  );
  return {
    id,
    status: e?.status,
    type: e?.executionType,
    rollbackTarget: e?.rollbackMetadata?.rollbackTargetPipelineExecutionId,
    revision: describeRevision(e?.artifactRevisions?.[0]),
  };
}

/**
 * The most recent standard execution that succeeded in `stageName` (in the pipeline's current
 * structure version: ListPipelineExecutions with the `succeededInStage` filter, newest first)
 * before the one the stage runs now. When the stage runs a rollback, what it runs is the
 * rollback's target, and the answer is the success before that. Rollback executions are never
 * answers: RollbackStage does not accept one as its target.
 */
export async function previousSuccess(
  codepipeline: CodePipelineClient,
  pipelineName: string,
  stageName: string,
  current: ExecutionInfo,
): Promise<PipelineExecutionSummary | undefined> {
  const deployed = (current.type === 'ROLLBACK' && current.rollbackTarget) || current.id;
  // Executions newer than a rollback's target succeeded too, but are what was rolled back from.
  let passed = deployed === current.id;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { pipelineExecutionSummaries = [], nextToken: next } = await codepipeline.send(
      new ListPipelineExecutionsCommand({
        pipelineName,
        filter: { succeededInStage: { stageName } },
        nextToken,
      }),
    );
    for (const summary of pipelineExecutionSummaries) {
      if (summary.pipelineExecutionId === deployed) {
        passed = true;
        continue;
      }
      if (passed && summary.executionType !== 'ROLLBACK') return summary;
    }
    if (!next) return undefined;
    nextToken = next;
  }
  return undefined;
}

/** An execution waiting at a stage's entry condition, and what each rule last did. */
export interface WaitingExecution {
  readonly executionId: string;
  /** The newest execution of each rule of the condition in that stage, by rule name. */
  readonly rules: ReadonlyMap<string, RuleExecutionDetail>;
}

/**
 * The execution a stage's entry condition holds: the one with a rule of that stage in progress
 * (ListRuleExecutions, newest first). The condition's state in GetPipelineState does not name
 * the execution, and OverrideStageCondition needs it.
 */
export async function waitingAtEntry(
  codepipeline: CodePipelineClient,
  pipelineName: string,
  stageName: string,
): Promise<WaitingExecution | undefined> {
  const seen: RuleExecutionDetail[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { ruleExecutionDetails = [], nextToken: next } = await codepipeline.send(
      new ListRuleExecutionsCommand({ pipelineName, nextToken }),
    );
    seen.push(...ruleExecutionDetails.filter((d) => d.stageName === stageName));
    const waiting = seen.find((d) => d.status === 'InProgress');
    if (waiting?.pipelineExecutionId) {
      const rules = new Map<string, RuleExecutionDetail>();
      for (const d of seen) {
        if (d.pipelineExecutionId !== waiting.pipelineExecutionId || !d.ruleName) continue;
        if (!rules.has(d.ruleName)) rules.set(d.ruleName, d);
      }
      return { executionId: waiting.pipelineExecutionId, rules };
    }
    if (!next) return undefined;
    nextToken = next;
  }
  return undefined;
}

/**
 * What the stage entry asks of a stage (`deploymentWindow`, `blockWhileAlarming`), in words:
 * `only inside its deployment window * 0-59 9-16 ? * MON-FRI (Europe/Berlin) and not while any of its alarms
 * fires`.
 */
export function entryRulesOfStage(stage: StageModel): string | undefined {
  const parts: string[] = [];
  if (stage.deploymentWindow) {
    const { cron, timeZone } = stage.deploymentWindow;
    parts.push(`only inside its deployment window ${cron} (${timeZone})`);
  }
  if (stage.blockWhileAlarming) parts.push('not while any of its alarms fires');
  return parts.length > 0 ? parts.join(' and ') : undefined;
}

/**
 * One rule of a condition: its name, what it is (from the rule's provider and configuration in
 * its execution), its state and CodePipeline's summary.
 */
export function describeRule(rule: RuleState, execution: RuleExecutionDetail | undefined): string {
  const provider = execution?.input?.ruleTypeId?.provider;
  const config = execution?.input?.configuration ?? {};
  let kind: string;
  if (provider === 'DeploymentWindow') {
    kind = `deployment window ${[config.Cron, config.TimeZone].filter(Boolean).join(' ')}`.trim();
  } else if (provider === 'CloudWatchAlarm') {
    kind = `alarm blocker${config.AlarmName ? ` on ${config.AlarmName}` : ''}`;
  } else {
    kind = provider ? `${provider} rule` : 'rule';
  }
  const latest = rule.latestExecution;
  const state = latest?.status ?? 'not evaluated';
  return `${rule.ruleName ?? '?'} (${kind}): ${state}${latest?.summary ? ` (${latest.summary})` : ''}`;
}

/** Every rule of a stage condition, in order. */
export function conditionRules(state: StageState['beforeEntryConditionState']): RuleState[] {
  return (state?.conditionStates ?? []).flatMap((c) => c.ruleStates ?? []);
}
