import { RollbackStageCommand } from '@aws-sdk/client-codepipeline';
import type { StageModel, WaveModel } from '../../../lib/config/model';
import { timestamp } from '../format';
import {
  describeRevision,
  getExecution,
  previousSuccess,
  requirePipelineAccount,
  waveStages,
} from '../pipeline';
import { confirmed } from '../confirm';
import { describeEnvironment, environmentLoader, runningDeployments, waveOption } from '../target';
import { EXIT, OpsError, type Command, type CommandDeps, type Selection } from '../types';

/**
 * Rolls one wave's pipeline stage back to the execution that succeeded in it before the current
 * one (CodePipeline RollbackStage), after a confirmation: CodePipeline deploys that execution's
 * artifacts again, so CloudFormation records the old version and CodeDeploy shifts the alias to
 * it through the stage's own deployment (hooks and alarms included). The alias is never moved
 * behind their backs.
 *
 * Refuses while a CodeDeploy deployment of the wave is in progress (`stop` rolls that back) or
 * the stage still runs. Calls GetPipelineState; per environment of the wave that the credentials
 * reach DescribeStacks, ListDeployments (+ BatchGetDeployments); GetPipelineExecution,
 * ListPipelineExecutions (succeededInStage), then RollbackStage.
 */
export const rollback: Command = async (selection, deps) => {
  const { app, stage } = selection;
  const { clients, out, account } = deps;
  const wave = chosenWave(stage, selection.wave);
  requirePipelineAccount(app, account, 'rollback');
  const codepipeline = clients.codepipeline;
  const waves = await waveStages(codepipeline, app, stage);
  const { name, state } = waves[wave.index - 1];
  const latest = state.latestExecution;
  if (!latest?.pipelineExecutionId) {
    throw new OpsError(`pipeline stage ${name} has never run: there is nothing to roll back`);
  }
  const unchecked = await refuseWhileDeploying(selection, wave, deps);
  if (latest.status === 'InProgress' || latest.status === 'Stopping') {
    throw new OpsError(
      `pipeline stage ${name} is ${latest.status} in execution ${latest.pipelineExecutionId}: CodePipeline rolls back a finished stage only. Let it finish (npm run ops -- watch --stage ${stage.name}), or stop a canary with npm run ops -- stop --stage ${stage.name}`,
    );
  }

  const current = await getExecution(codepipeline, app.pipelineName, latest.pipelineExecutionId);
  const target = await previousSuccess(codepipeline, app.pipelineName, name, current);
  if (!target?.pipelineExecutionId) {
    throw new OpsError(
      `no execution before ${current.id} succeeded in pipeline stage ${name} in the pipeline's current version: nothing to roll back to (RollbackStage only returns to executions started since the pipeline's structure last changed). Revert the change and push instead`,
    );
  }

  const environments = wave.environments
    .map((environment) => describeEnvironment({ environment, wave }))
    .join(', ');
  const rolledBack =
    current.type === 'ROLLBACK' ? ` (a rollback to ${current.rollbackTarget})` : '';
  out(`Rolling back pipeline stage ${name} of pipeline ${app.pipelineName}: ${environments}`);
  out(`  from execution ${current.id}${rolledBack}, ${latest.status}: ${current.revision}`);
  out(
    `  to   execution ${target.pipelineExecutionId}, started ${target.startTime ? timestamp(target.startTime) : 'at an unknown time'}: ${describeRevision(target.sourceRevisions?.[0])}`,
  );
  for (const line of unchecked) out(`  not checked for deployments in progress: ${line}`);
  out(
    "CodePipeline deploys that execution's artifacts to the stage again: CloudFormation updates the stacks and CodeDeploy shifts each live alias with the stage's deployment, hooks and alarms.",
  );
  if (!(await confirmed(deps, `Roll back ${name} to execution ${target.pipelineExecutionId}?`))) {
    out('Aborted: nothing changed.');
    return EXIT.failed;
  }
  const { pipelineExecutionId } = await codepipeline.send(
    new RollbackStageCommand({
      pipelineName: app.pipelineName,
      stageName: name,
      targetPipelineExecutionId: target.pipelineExecutionId,
    }),
  );
  out(
    `✔ rollback started: execution ${pipelineExecutionId}; follow it with npm run ops -- watch --stage ${stage.name}`,
  );
  return EXIT.ok;
};

/** The wave to roll back: `--wave`, or the stage's only one. */
export function chosenWave(stage: StageModel, wave: WaveModel | undefined): WaveModel {
  if (wave) return wave;
  if (stage.waves.length === 1) return stage.waves[0];
  throw new OpsError(
    `rollback acts on one wave's pipeline stage: add --wave (stage ${stage.name} deploys in waves 1 to ${stage.waves.length}; roll back the later waves first)`,
  );
}

/**
 * Throws when a service of the wave has a CodeDeploy deployment in progress in an environment
 * the credentials reach: CodeDeploy owns its alias until it ends, and `stop` rolls it back.
 * Resolves with the environments it could not check, and why.
 */
async function refuseWhileDeploying(
  selection: Selection,
  wave: WaveModel,
  { clients, account }: CommandDeps,
): Promise<string[]> {
  const { stage } = selection;
  const load = environmentLoader({ ...selection, services: stage.services }, clients, account);
  const unchecked: string[] = [];
  for (const environment of wave.environments) {
    const { target, why } = await load({ environment, wave });
    if (!target) {
      unchecked.push(`${environment.name}: ${why}`);
      continue;
    }
    const [running] = await runningDeployments([target]);
    if (running) {
      const { svc, deployment } = running;
      throw new OpsError(
        `${svc.service.name} has deployment ${deployment.deploymentId} in progress in ${environment.name} (${environment.region}), and CodeDeploy owns its alias until it ends: run npm run ops -- stop --stage ${stage.name} --service ${svc.service.name} --environment ${environment.name}, which rolls it back; roll back the stage${waveOption(stage, wave)} once it has ended`,
      );
    }
  }
  return unchecked;
}
