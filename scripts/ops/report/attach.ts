import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { StageModel } from '../../../lib/config/model';
import { serviceStackName } from '../../../lib/resource-names';
import type { GroupDeployments } from './deployments';
import type { Failure, FailureKind, Release, ServiceDeployment } from './model';

/** The CodeDeploy statuses of a deployment that did not take the new version to 100%. */
const ROLLED_BACK = new Set(['Stopped', 'Failed']);

/**
 * The deployments a release made: those of a group whose service deploys in the stack of one of
 * its deploy actions, in that action's environment, created while the action ran. CodeDeploy's
 * own rollback deployments (`creator: codeDeployRollback`) are how a failure ended, not moves.
 */
export function deploymentsOf(
  stage: StageModel,
  release: Release,
  groups: readonly GroupDeployments[],
): { group: GroupDeployments; info: DeploymentInfo }[] {
  return release.deployActions.flatMap((action) =>
    groups
      .filter(
        (g) =>
          g.environment === action.environment &&
          serviceStackName(stage.prefix, g.target.service.stack) === action.stackName,
      )
      .flatMap((group) =>
        group.deployments
          .filter((info) => {
            const created = info.createTime?.getTime() ?? 0;
            return (
              info.creator !== 'codeDeployRollback' &&
              created >= action.start.getTime() &&
              created <= (action.end?.getTime() ?? Infinity)
            );
          })
          .map((info) => ({ group, info })),
      ),
  );
}

/**
 * The release with its deployments. A deployment CodeDeploy stopped or failed (rolled back)
 * fails the release, and its reason replaces the deploy action's: CloudFormation failed because
 * CodeDeploy did.
 */
export function withDeployments(
  release: Release,
  deployments: readonly ServiceDeployment[],
): Release {
  const causes = deployments.filter((d) => ROLLED_BACK.has(d.status)).map(deploymentFailure);
  if (causes.length === 0) return { ...release, deployments };
  const failures = [...causes, ...release.failures.filter((f) => f.kind !== 'deploy-action')];
  return {
    ...release,
    deployments,
    outcome: 'failed',
    failures: failures.sort((a, b) => a.at.getTime() - b.at.getTime()),
  };
}

function deploymentFailure(d: ServiceDeployment): Failure {
  const kinds: Record<string, FailureKind> = {
    ALARM_ACTIVE: 'alarm',
    HOOK_EXECUTION_FAILURE: 'hook',
  };
  const why = d.error ? ` (${d.error.code}: ${d.error.message})` : '';
  const judged = d.verdict?.rollback ? '; the release judge decided to roll back' : '';
  const rollback = [
    d.rolledBackBy && `; rolled back by ${d.rolledBackBy}`,
    d.rollbackMessage && `; ${d.rollbackMessage}`,
  ]
    .filter(Boolean)
    .join('');
  return {
    kind: (d.error && kinds[d.error.code]) ?? 'deployment',
    at: d.completed ?? d.created,
    text: `${d.service} in ${d.environment}: deployment ${d.deploymentId} ${d.status}${why}${judged}${rollback}`,
  };
}
