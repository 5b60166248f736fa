import { StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { describeDeployment, inProgressDeployment, nothingInProgress } from '../aws';
import { EXIT, type Command } from '../types';

/**
 * Stops the service's in-progress deployment with automatic rollback (StopDeployment,
 * autoRollbackEnabled: true): CodeDeploy returns the alias to the previous version. It asks no
 * confirmation: stopping is the safe direction, and in an incident every second counts.
 */
export const stop: Command = async (target, { clients, out }) => {
  const [svc] = target.services;
  const deployment = await inProgressDeployment(clients.codedeploy, svc);
  if (!deployment?.deploymentId) throw nothingInProgress(target.stage.name, [svc]);
  out(`Stopping ${svc.service.name}: ${describeDeployment(deployment)}`);
  const result = await clients.codedeploy.send(
    new StopDeploymentCommand({ deploymentId: deployment.deploymentId, autoRollbackEnabled: true }),
  );
  out(
    `✔ stop ${result.status ?? 'requested'}${result.statusMessage ? `: ${result.statusMessage}` : ''}. CodeDeploy rolls ${svc.functionName}:${svc.aliasName} back to the previous version; follow it with npm run ops -- status --stage ${target.stage.name} --service ${svc.service.name}`,
  );
  return EXIT.ok;
};
