import * as fs from 'node:fs';
import path from 'node:path';
import { pipelineStageName } from '../../../lib/resource-names';
import { list, timestamp } from '../format';
import { requirePipelineAccount } from '../pipeline';
import { deploymentsOf, withDeployments } from '../report/attach';
import { chartFor, writeAtomically } from '../report/chart';
import { deploymentDetails, readGroups } from '../report/deployments';
import { stageFigures, type Window } from '../report/dora';
import { readExecutions } from '../report/history';
import { reportJson } from '../report/json';
import type { StageHistory } from '../report/model';
import { stageHistory } from '../report/releases';
import { reportLines, type Report } from '../report/text';
import { reportWindow } from '../report/window';
import { EXIT, OpsError, type CommandDeps, type HistoryCommand, type Selection } from '../types';

/**
 * The delivery record of the chosen stages over the window, from the pipeline's own history:
 * CodePipeline's executions (ListPipelineExecutions, and per execution ListActionExecutions and,
 * where the pipeline has stage conditions, ListRuleExecutions) make the releases and their
 * outcomes; CodeDeploy's deployments of each service (DescribeStacks for the group's name,
 * ListDeployments, BatchGetDeployments, ListDeploymentTargets, BatchGetDeploymentTargets) say
 * which services moved and why a deployment rolled back; the release judge's metrics
 * (GetMetricData) give the canary verdicts. Prints the four figures per stage and a table of the
 * releases (or JSON), and with `--out` writes the weekly chart. Exits 0 once printed, 1 on bad
 * input or no history in the window.
 */
export const report: HistoryCommand = async (selection, deps, options) => {
  const { app } = selection;
  const window = reportWindow(options.since, deps.now());
  if (options.out !== undefined) checkFolder(options.out);
  requirePipelineAccount(app, deps.account, 'report');
  const chosen = new Set(
    selection.stages.flatMap(({ stage }) => stage.waves.map((w) => pipelineStageName(stage, w))),
  );
  const conditions = app.stages.some(
    (s) => s.bakeMinutes > 0 || s.blockWhileAlarming || s.deploymentWindow !== undefined,
  );
  const executions = await readExecutions(deps.clients.codepipeline, {
    pipelineName: app.pipelineName,
    ...app.pipelineEnv,
    since: window.start,
    needsRules: (actions) => conditions && actions.some((a) => chosen.has(a.stageName ?? '')),
  });
  if (executions.length === 0) {
    throw new OpsError(
      `pipeline ${app.pipelineName} has no execution since ${timestamp(window.start)}: widen --since (CodePipeline keeps 12 months of executions), or push to run it`,
      EXIT.failed,
    );
  }
  const unread: string[] = [];
  const stages: Report['stages'][number][] = [];
  for (const stageSelection of selection.stages) {
    const history = await withCodeDeploy(
      stageHistory(app, stageSelection.stage, executions),
      stageSelection,
      deps,
      window,
      unread,
    );
    const shown = selection.service
      ? {
          ...history,
          releases: history.releases.filter((r) =>
            r.deployments.some((d) => d.service === selection.service),
          ),
        }
      : history;
    stages.push({ history: shown, figures: stageFigures(shown, window) });
  }
  if (stages.every((s) => s.history.releases.length === 0)) {
    const names = list(selection.stages.map((s) => s.stage.name));
    throw new OpsError(
      `no release of ${names}${selection.service ? ` moved ${selection.service}` : ''} since ${timestamp(window.start)}: none of the ${executions.length} executions since then entered its deploy; widen --since`,
      EXIT.failed,
    );
  }
  const result: Report = {
    pipeline: app.pipelineName,
    window,
    executions: executions.length,
    service: selection.service,
    stages,
    unread,
  };
  if (options.json) deps.out(JSON.stringify(reportJson(result), null, 2));
  else for (const line of reportLines(result)) deps.out(line);
  if (options.out !== undefined) {
    try {
      writeAtomically(options.out, chartFor(options.out, result));
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new OpsError(`--out ${options.out}: could not write it (${why})`, EXIT.failed);
    }
    if (!options.json) deps.out(`Chart written to ${options.out}`);
  }
  return EXIT.ok;
};

/** Refuses an `--out` whose folder does not exist, before reading anything. */
export function checkFolder(file: string): void {
  const folder = path.dirname(path.resolve(file));
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) {
    throw new OpsError(
      `--out ${file}: the folder ${folder} does not exist: create it or name another file`,
      EXIT.failed,
    );
  }
}

/**
 * The stage's releases with the CodeDeploy deployments each made, where the credentials reach
 * the environment. What cannot be read is added to `unread`.
 */
async function withCodeDeploy(
  history: StageHistory,
  selection: Selection,
  deps: CommandDeps,
  window: Window,
  unread: string[],
): Promise<StageHistory> {
  if (history.releases.length === 0) return history;
  const { groups, unread: missed } = await readGroups(selection, deps, window);
  unread.push(...missed);
  let verdictError: string | undefined;
  const releases = [];
  for (const release of history.releases) {
    const details = [];
    for (const { group, info } of deploymentsOf(selection.stage, release, groups)) {
      details.push(
        await deploymentDetails(group, info, (error) => {
          verdictError ??= `canary verdicts in stage ${selection.stage.name} (CloudWatch GetMetricData): ${error.name}: ${error.message}`;
        }),
      );
    }
    releases.push(withDeployments(release, details));
  }
  if (verdictError) unread.push(verdictError);
  return { ...history, releases };
}
