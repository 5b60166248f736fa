import { StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import type { StageModel } from '../../../lib/config/model';
import { describeDeployment, nothingInProgress } from '../aws';
import { list } from '../format';
import {
  describeEnvironment,
  environmentLoader,
  runningDeployments,
  waveOption,
  type Running,
} from '../target';
import { EXIT, type Command, type EnvironmentTarget } from '../types';

/**
 * Stops the service's in-progress deployments in every chosen environment with automatic
 * rollback (StopDeployment, autoRollbackEnabled: true): CodeDeploy returns each alias to the
 * version CloudFormation had, and the stack update fails, which fails the pipeline stage. It
 * asks no confirmation: stopping is the safe direction, and in an incident every second counts.
 *
 * Exits 0 when every stop was accepted; 1 when a deployment had already ended (nothing stopped
 * there: `rollback` undoes a finished release); 2 when an environment could not be reached or
 * nothing was in progress.
 */
export const stop: Command = async (selection, { clients, out, account }) => {
  const { stage, environments, services } = selection;
  const load = environmentLoader(selection, clients, account);
  const targets: EnvironmentTarget[] = [];
  const missed: string[] = [];
  for (const choice of environments) {
    const { target, why } = await load(choice);
    if (target) targets.push(target);
    else {
      out(`✖ ${describeEnvironment(choice)}: ${why}`);
      missed.push(choice.environment.name);
    }
  }
  const running = await runningDeployments(targets);
  if (running.length === 0) {
    const where = targets.map((t) => t.environment.name);
    if (where.length === 0) return EXIT.unusable;
    throw nothingInProgress(
      `${stage.name} (${list(where)})`,
      services.map((s) => s.name),
    );
  }
  let late = 0;
  for (const r of running) {
    if (!(await stopOne(r, out, stage))) late++;
  }
  if (missed.length > 0) return EXIT.unusable;
  return late > 0 ? EXIT.failed : EXIT.ok;
};

/** Stops one deployment; false when it had already ended. */
async function stopOne(
  { env, svc, deployment }: Running,
  out: (line: string) => void,
  stage: StageModel,
): Promise<boolean> {
  const where = `${svc.service.name} in ${env.environment.name} (${env.environment.region})`;
  out(`Stopping ${where}: ${describeDeployment(deployment)}`);
  try {
    const result = await env.clients.codedeploy.send(
      new StopDeploymentCommand({
        deploymentId: deployment.deploymentId,
        autoRollbackEnabled: true,
      }),
    );
    out(
      `✔ stop ${result.status ?? 'requested'}${result.statusMessage ? `: ${result.statusMessage}` : ''}. CodeDeploy rolls ${svc.functionName}:${svc.aliasName} back to the version before; follow it with npm run ops -- status --stage ${stage.name} --environment ${env.environment.name}`,
    );
    return true;
  } catch (error) {
    if (error instanceof Error && error.name === 'DeploymentAlreadyCompletedException') {
      out(
        `✖ ${deployment.deploymentId} had already ended when the stop arrived (${error.message}): nothing stopped. To undo a finished release: npm run ops -- rollback --stage ${stage.name}${waveOption(stage, env.wave)}`,
      );
      return false;
    }
    throw error;
  }
}
