import { describeAlias, getAlias, inProgressDeployment, pointAlias, previousVersion } from '../aws';
import { confirmed } from '../confirm';
import { EXIT, OpsError, type Command } from '../types';

/**
 * Points the live alias back at the version that was live before the current one, with no extra
 * weights, after a confirmation, and verifies it by reading the alias back.
 *
 * While a deployment is in progress CodeDeploy owns the alias: use `stop`, which rolls back.
 * The previous version is the one the deployment that put the current version live shifted
 * away from (ListDeployments, BatchGetDeployments, ListDeploymentTargets,
 * BatchGetDeploymentTargets); with traffic split, it is the alias's main version.
 * Calls GetAlias, then UpdateAlias and GetAlias to verify.
 */
export const rollback: Command = async (target, deps) => {
  const { clients, out } = deps;
  const [svc] = target.services;
  const name = `${svc.functionName}:${svc.aliasName}`;
  const running = await inProgressDeployment(clients.codedeploy, svc);
  if (running) {
    throw new OpsError(
      `${svc.service.name} has deployment ${running.deploymentId} in progress, and CodeDeploy owns the alias until it ends: run npm run ops -- stop --stage ${target.stage.name} --service ${svc.service.name}, which rolls it back`,
    );
  }
  const alias = await getAlias(clients.lambda, svc);
  const previous =
    Object.keys(alias.weights).length > 0
      ? alias.version
      : await previousVersion(clients.codedeploy, svc, alias.version);
  if (previous === undefined) {
    throw new OpsError(
      `cannot tell which version of ${svc.functionName} was live before version ${alias.version}: no successful deployment put it live. Point the alias yourself (aws lambda update-alias)`,
    );
  }
  out(`${name} is at ${describeAlias(alias)}; the previous version is ${previous}.`);
  if (!(await confirmed(deps, `Point ${name} at version ${previous} alone?`))) {
    out('Aborted: nothing changed.');
    return EXIT.failed;
  }
  const after = await pointAlias(clients.lambda, svc, previous);
  out(`✔ ${name} is at ${describeAlias(after)} (verified).`);
  out(
    `CloudFormation still records version ${alias.version}: the next release through the pipeline deploys as usual.`,
  );
  return EXIT.ok;
};
