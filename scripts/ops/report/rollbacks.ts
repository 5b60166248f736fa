import type { StageModel } from '../../../lib/config/model';
import { pipelineStageName } from '../../../lib/resource-names';
import type { ExecutionRecord } from './history';
import type { Failure, Release } from './model';

/**
 * Marks the releases that rollback executions (CodePipeline V2 `executionType: ROLLBACK`) rolled
 * back in one of the stage's wave stages: the release the wave stage ran last before the
 * rollback started. A person's rollback (`ManualRollback`, RollbackStage) fails a release that
 * had succeeded; CodePipeline's own (`AutomatedRollback`, after a failed bake) adds itself to the
 * failure's causes.
 */
export function applyRollbacks(
  stage: StageModel,
  releases: readonly Release[],
  executions: readonly ExecutionRecord[],
): Release[] {
  const result = [...releases];
  const waveNames = new Set(stage.waves.map((w) => pipelineStageName(stage, w)));
  for (const { summary, actions } of executions) {
    if (summary.executionType !== 'ROLLBACK' || !summary.startTime) continue;
    const stageName = actions.find((a) => waveNames.has(a.stageName ?? ''))?.stageName;
    if (!stageName) continue;
    const at = summary.startTime;
    const index = lastRunBefore(result, stageName, at);
    if (index < 0) continue;
    const manual = summary.trigger?.triggerType === 'ManualRollback';
    const target = summary.rollbackMetadata?.rollbackTargetPipelineExecutionId ?? 'unknown';
    const to = `to execution ${target} (rollback execution ${summary.pipelineExecutionId})`;
    const failure: Failure = manual
      ? {
          kind: 'manual-rollback',
          at,
          text: `${summary.trigger?.triggerDetail ?? 'a person'} rolled ${stageName} back ${to}`,
        }
      : { kind: 'rolled-back', at, text: `CodePipeline rolled ${stageName} back ${to}` };
    const rolledBack = result[index];
    result[index] = {
      ...rolledBack,
      outcome: 'failed',
      failures: [...rolledBack.failures, failure].sort((a, b) => a.at.getTime() - b.at.getTime()),
    };
  }
  return result;
}

/** The index of the release whose run of `stageName` started last before `at`, or -1. */
function lastRunBefore(releases: readonly Release[], stageName: string, at: Date): number {
  let found = -1;
  let latest = -Infinity;
  releases.forEach((release, index) => {
    const run = release.pipelineStages.find((p) => p.name === stageName);
    const start = run?.start.getTime() ?? Infinity;
    if (start < at.getTime() && start > latest) {
      latest = start;
      found = index;
    }
  });
  return found;
}
