import type { ActionExecutionDetail, RuleExecutionDetail } from '@aws-sdk/client-codepipeline';
import type { AppModel, StageModel, WaveModel } from '../../../lib/config/model';
import {
  deployActionName,
  pipelineStageName,
  serviceStackName,
  smokeTestStepName,
} from '../../../lib/resource-names';
import { commitMessage } from '../pipeline';
import type { ExecutionRecord } from './history';
import type { Commit, DeployAction, Failure, Outcome, Release, StageHistory, Step } from './model';
import { applyRollbacks } from './rollbacks';

/** Anything CodePipeline times: an action or a rule execution. */
type Timed = Pick<ActionExecutionDetail, 'startTime' | 'lastUpdateTime' | 'status'>;

/** One wave's pipeline stage in one execution. */
interface WaveRun {
  readonly wave: WaveModel;
  readonly name: string;
  /** The latest execution of each action of the stage (a retry runs an action again). */
  readonly actions: readonly ActionExecutionDetail[];
  /** Rules of the stage's entry condition: they ran before any of its actions. */
  readonly entry: readonly RuleExecutionDetail[];
  /** Rules of its success condition (the bake): they ran after its actions. */
  readonly bake: readonly RuleExecutionDetail[];
}

/** Where a wave ended in an execution. */
type WaveEnd =
  | { readonly outcome: 'succeeded' }
  | { readonly outcome: 'failed'; readonly failure: Failure }
  | { readonly outcome: Exclude<Outcome, 'succeeded' | 'failed'> };

const ms = (date?: Date) => date?.getTime() ?? 0;
const category = (a: ActionExecutionDetail) => a.input?.actionTypeId?.category;

/** The stage where lead time ends: the last behind an approval, else the last. */
export function productionStage(app: AppModel): StageModel {
  const approved = app.stages.filter((s) => s.requiresApproval);
  const candidates = approved.length > 0 ? approved : app.stages;
  return candidates[candidates.length - 1];
}

/**
 * The releases of `stage` among `executions` (any order): each standard execution that started a
 * deploy action in one of the stage's wave stages, with its outcome, the causes of a failure, its
 * steps and deploy actions; rollback executions then mark the release they rolled back.
 */
export function stageHistory(
  app: AppModel,
  stage: StageModel,
  executions: readonly ExecutionRecord[],
): StageHistory {
  const order = app.stages.flatMap((s) => s.waves.map((w) => pipelineStageName(s, w)));
  const sorted = [...executions].sort((a, b) => ms(a.summary.startTime) - ms(b.summary.startTime));
  const releases: Release[] = [];
  let rejected = 0;
  for (const record of sorted) {
    if (record.summary.executionType === 'ROLLBACK') continue;
    const runs = stage.waves.map((wave) => waveRun(stage, wave, record));
    if (!runs.some((run) => run.actions.some((a) => category(a) === 'Deploy'))) {
      const approval = runs[0].actions.find((a) => category(a) === 'Approval');
      if (approval?.status === 'Failed') rejected++;
      continue;
    }
    releases.push(release(stage, record, runs, order));
  }
  return {
    stage: stage.name,
    production: productionStage(app).name === stage.name,
    releases: applyRollbacks(stage, releases, sorted),
    rejected,
  };
}

function waveRun(stage: StageModel, wave: WaveModel, record: ExecutionRecord): WaveRun {
  const name = pipelineStageName(stage, wave);
  const actions = latestByName(
    record.actions.filter((a) => a.stageName === name),
    (a) => a.actionName,
  );
  const first = actions.length > 0 ? ms(actions[0].startTime) : Infinity;
  const rules = latestByName(
    record.rules.filter((r) => r.stageName === name),
    (r) => r.ruleName,
  );
  return {
    wave,
    name,
    actions,
    entry: rules.filter((r) => ms(r.startTime) < first),
    bake: rules.filter((r) => ms(r.startTime) >= first),
  };
}

/** The latest run of each action or rule (a retry runs it again), by start. */
function latestByName<T extends Timed>(
  items: readonly T[],
  name: (item: T) => string | undefined,
): T[] {
  const latest = new Map<string, T>();
  for (const item of items) {
    const seen = latest.get(name(item) ?? '');
    if (!seen || ms(item.startTime) >= ms(seen.startTime)) latest.set(name(item) ?? '', item);
  }
  return [...latest.values()].sort((a, b) => ms(a.startTime) - ms(b.startTime));
}

function release(
  stage: StageModel,
  record: ExecutionRecord,
  runs: readonly WaveRun[],
  order: readonly string[],
): Release {
  const { summary } = record;
  const entered = runs.filter((run) => run.actions.length > 0);
  let end: WaveEnd = { outcome: 'succeeded' };
  for (const run of runs) {
    const later = new Set(order.slice(order.indexOf(run.name) + 1));
    end = waveEnd(stage, run, record, later);
    if (end.outcome !== 'succeeded') break;
  }
  const timed = entered.flatMap((run) => [...run.actions, ...run.bake]);
  return {
    stage: stage.name,
    executionId: summary.pipelineExecutionId ?? '?',
    executionStart: summary.startTime ?? new Date(0),
    commit: commitOf(record),
    start: new Date(Math.min(...entered.map((run) => ms(run.actions[0].startTime)))),
    end:
      end.outcome === 'in-progress'
        ? undefined
        : new Date(Math.max(...timed.map((t) => ms(t.lastUpdateTime ?? t.startTime)))),
    outcome: end.outcome,
    failures: end.outcome === 'failed' ? [end.failure] : [],
    steps: runs.flatMap((run) => steps(stage, run)),
    pipelineStages: entered.map((run) => ({ name: run.name, start: run.actions[0].startTime! })),
    deployActions: runs.flatMap((run) => deployActions(stage, run)),
    deployments: [],
  };
}

/**
 * How a wave ended: failed by an action, its bake or a later entry condition; succeeded when
 * the execution went on to a later pipeline stage (or succeeded); else what the execution's
 * status says (in progress, stopped, superseded, cancelled).
 */
function waveEnd(
  stage: StageModel,
  run: WaveRun,
  record: ExecutionRecord,
  later: ReadonlySet<string>,
): WaveEnd {
  const failedAction = run.actions.find((a) => a.status === 'Failed');
  if (failedAction) return { outcome: 'failed', failure: actionFailure(stage, run, failedAction) };
  const failedBake = run.bake.find((r) => r.status === 'Failed');
  if (failedBake) return { outcome: 'failed', failure: ruleFailure('bake', failedBake) };
  const { summary, actions, rules } = record;
  // A superseded execution waited between two stages: every stage it ran, it completed.
  const superseded =
    summary.status === 'Superseded' &&
    run.actions.length > 0 &&
    [...run.actions, ...run.bake].every((a) => a.status === 'Succeeded');
  const movedOn =
    summary.status === 'Succeeded' ||
    superseded ||
    actions.some((a) => later.has(a.stageName ?? '')) ||
    rules.some((r) => later.has(r.stageName ?? ''));
  if (movedOn) return { outcome: 'succeeded' };
  const failedEntry = run.entry.find((r) => r.status === 'Failed');
  if (failedEntry) return { outcome: 'failed', failure: ruleFailure('entry', failedEntry) };
  switch (summary.status) {
    case 'Stopped':
      return { outcome: 'stopped' };
    case 'Superseded':
      return { outcome: 'superseded' };
    case 'Cancelled':
      return { outcome: 'cancelled' };
    case 'Failed':
      return {
        outcome: 'failed',
        failure: {
          kind: 'other',
          at: summary.lastUpdateTime ?? summary.startTime ?? new Date(0),
          text: `execution failed in ${run.name}${summary.statusSummary ? `: ${summary.statusSummary}` : ''}`,
        },
      };
    default:
      return { outcome: 'in-progress' };
  }
}

function actionFailure(stage: StageModel, run: WaveRun, action: ActionExecutionDetail): Failure {
  const result = action.output?.executionResult;
  const why = result?.errorDetails?.message ?? result?.externalExecutionSummary;
  const text = `${action.actionName} failed${why ? `: ${why}` : ''}`;
  const at = action.lastUpdateTime ?? action.startTime ?? new Date(0);
  if (action.actionName === smokeTestStepName(stage, run.wave)) {
    return { kind: 'smoke-tests', at, text: `smoke tests ${text}` };
  }
  return { kind: category(action) === 'Deploy' ? 'deploy-action' : 'other', at, text };
}

function ruleFailure(kind: 'bake' | 'entry', rule: RuleExecutionDetail): Failure {
  const summary = rule.output?.executionResult?.externalExecutionSummary;
  const what = kind === 'bake' ? 'bake' : 'entry condition';
  return {
    kind,
    at: rule.lastUpdateTime ?? rule.startTime ?? new Date(0),
    text: `${what} of ${rule.stageName}: rule ${rule.ruleName} failed${summary ? ` (${summary})` : ''}`,
  };
}

/** The commit: its id, message and author date from the source action's output variables. */
function commitOf({ summary, actions }: ExecutionRecord): Commit {
  const source = actions.find((a) => category(a) === 'Source');
  const variables = source?.output?.outputVariables ?? {};
  const revision = summary.sourceRevisions?.[0];
  const id = variables.CommitId ?? revision?.revisionId;
  const message = commitMessage(variables.CommitMessage ?? revision?.revisionSummary);
  const authored = variables.AuthorDate ? new Date(variables.AuthorDate) : undefined;
  if (authored && !Number.isNaN(authored.getTime())) {
    return { id, message, time: authored, timeFrom: 'author-date' };
  }
  return { id, message, time: summary.startTime ?? new Date(0), timeFrom: 'execution-start' };
}

/** The span of some actions or rules, or undefined for none; no end while one runs. */
function span(name: string, items: readonly Timed[]): Step | undefined {
  if (items.length === 0) return undefined;
  const start = new Date(Math.min(...items.map((i) => ms(i.startTime))));
  if (items.some((i) => i.status === 'InProgress')) return { name, start };
  return { name, start, end: new Date(Math.max(...items.map((i) => ms(i.lastUpdateTime)))) };
}

function steps(stage: StageModel, run: WaveRun): Step[] {
  const prefix = stage.waves.length > 1 ? `wave ${run.wave.index} ` : '';
  const smoke = smokeTestStepName(stage, run.wave);
  return [
    span('entry', run.entry),
    span(
      'approval',
      run.actions.filter((a) => category(a) === 'Approval'),
    ),
    span(
      'deploy',
      run.actions.filter((a) => category(a) === 'Deploy'),
    ),
    span(
      'smoke tests',
      run.actions.filter((a) => a.actionName === smoke),
    ),
    span('bake', run.bake),
  ]
    .filter((s): s is Step => s !== undefined)
    .map((s) => ({ ...s, name: `${prefix}${s.name}` }));
}

/** The deploy action of each stack in each environment of the wave. */
function deployActions(stage: StageModel, run: WaveRun): DeployAction[] {
  const stacks = [...new Set(stage.services.map((s) => serviceStackName(stage.prefix, s.stack)))];
  return run.wave.environments.flatMap((environment) =>
    stacks.flatMap((stackName) => {
      const name = deployActionName(stage, environment, stackName);
      const action = run.actions.find((a) => a.actionName === name);
      if (!action?.startTime) return [];
      const done = action.status !== 'InProgress';
      return [
        {
          environment: environment.name,
          stackName,
          start: action.startTime,
          end: done ? (action.lastUpdateTime ?? action.startTime) : undefined,
        },
      ];
    }),
  );
}
