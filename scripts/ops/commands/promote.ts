import {
  deploymentTarget,
  describeAlias,
  getAlias,
  inProgressDeployment,
  nothingInProgress,
  pointAlias,
  shiftWindowMs,
  trafficRouting,
} from '../aws';
import { confirmed } from '../confirm';
import { duration } from '../format';
import { EXIT, OpsError, type Command } from '../types';

/** Why `promote` cannot simply tell CodeDeploy to continue. */
export const PROMOTE_LIMITATION =
  "CodeDeploy has no API that shortens a Lambda canary's wait: ContinueDeployment applies to EC2/ECS blue/green deployments only.";

/**
 * The closest honest promotion of a Lambda canary: after a confirmation, shift 100% of the live
 * alias to the deployment's new version now (UpdateAlias, no extra weights) and verify it
 * (GetAlias). CodeDeploy keeps its clock: the deployment ends when the canary window does, then
 * runs the post-traffic hook, and an alarm until then still rolls back to the previous version.
 * Canary deployments only: a linear one would set its next step's weights again.
 *
 * Calls ListDeployments (+ BatchGetDeployments), GetDeploymentConfig, ListDeploymentTargets,
 * BatchGetDeploymentTargets and GetAlias before asking.
 */
export const promote: Command = async (target, deps) => {
  const { clients, out, now } = deps;
  const [svc] = target.services;
  const name = `${svc.functionName}:${svc.aliasName}`;
  const deployment = await inProgressDeployment(clients.codedeploy, svc);
  if (!deployment?.deploymentId) throw nothingInProgress(target.stage.name, [svc]);
  const id = deployment.deploymentId;
  const config = deployment.deploymentConfigName ?? '';
  const routing = await trafficRouting(clients.codedeploy, config);
  if (routing.type !== 'TimeBasedCanary') {
    throw new OpsError(
      `${id} deploys with ${config} (${routing.type}): promote only ends a canary's wait${
        routing.type === 'TimeBasedLinear'
          ? ", and a linear deployment would set its next step's weights again"
          : ''
      }. Let it finish, or stop it`,
    );
  }
  const moved = await deploymentTarget(clients.codedeploy, id);
  const alias = await getAlias(clients.lambda, svc);
  const newVersion = moved.targetVersion;
  if (newVersion === undefined || alias.weights[newVersion] === undefined) {
    throw new OpsError(
      `${id} is not in its canary window: ${name} is at ${describeAlias(alias)} (the pre-traffic hook may still be running, or the shift is done); nothing to promote`,
    );
  }
  const allow = moved.lifecycleEvents.find((e) => e.lifecycleEventName === 'AllowTraffic');
  const left = allow?.startTime
    ? duration(allow.startTime.getTime() + shiftWindowMs(routing) - now().getTime())
    : 'unknown';
  out(`${name} is at ${describeAlias(alias)}; the canary window of ${id} ends in ${left}.`);
  out(PROMOTE_LIMITATION);
  out(
    `Promoting shifts all traffic to version ${newVersion} now; CodeDeploy still ends ${id} when the window does, runs the post-traffic hook, and rolls back to version ${alias.version} if an alarm fires until then.`,
  );
  if (!(await confirmed(deps, `Shift 100% of ${name} to version ${newVersion} now?`))) {
    out('Aborted: nothing changed.');
    return EXIT.failed;
  }
  const after = await pointAlias(clients.lambda, svc, newVersion);
  out(`✔ ${name} is at ${describeAlias(after)} (verified); ${id} completes in ${left}.`);
  return EXIT.ok;
};
