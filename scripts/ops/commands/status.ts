import { stageEnvironments } from '../../../lib/config/model';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { overviewDashboardName, serviceDashboardName } from '../../../lib/resource-names';
import {
  alarmStates,
  describeAlarms,
  describeAlias,
  describeDeployment,
  getAlias,
  listDeployments,
} from '../aws';
import { dashboardUrl, timestamp } from '../format';
import { EXIT, type Command } from '../types';

/**
 * Per service: the live alias's version and weights (GetAlias), the latest deployment
 * (ListDeployments, BatchGetDeployments) and the alarm states (DescribeAlarms, one call).
 */
export const status: Command = async (target, { clients, out }) => {
  const { stage } = target;
  const { region } = stageEnvironments(stage)[0];
  const states = await alarmStates(
    clients.cloudwatch,
    target.services.flatMap((s) => s.alarms),
  );
  out(`${stage.name} (account ${stageEnvironments(stage)[0].account}, ${region})`);
  for (const svc of target.services) {
    const alias = await getAlias(clients.lambda, svc);
    const [latest] = await listDeployments(clients.codedeploy, svc);
    out('');
    out(`${svc.service.name} (stack ${svc.stackName})`);
    out(`  ${`${svc.aliasName} alias`.padEnd(12)}${describeAlias(alias)}`);
    out(`  deployment  ${latest ? deploymentSummary(latest) : 'none yet'}`);
    out(`  alarms      ${describeAlarms(svc, states)}`);
    out(
      `  dashboard   ${dashboardUrl(region, serviceDashboardName(stage.prefix, svc.service.name))}`,
    );
  }
  out('');
  out(`overview: ${dashboardUrl(region, overviewDashboardName(stage.prefix))}`);
  return EXIT.ok;
};

function deploymentSummary(deployment: DeploymentInfo): string {
  const parts = [describeDeployment(deployment)];
  if (deployment.deploymentConfigName) parts.push(deployment.deploymentConfigName);
  if (deployment.createTime) parts.push(`created ${timestamp(deployment.createTime)}`);
  const rollback = deployment.rollbackInfo;
  if (rollback?.rollbackDeploymentId) parts.push(`rolled back by ${rollback.rollbackDeploymentId}`);
  if (rollback?.rollbackTriggeringDeploymentId) {
    parts.push(`rollback of ${rollback.rollbackTriggeringDeploymentId}`);
  }
  return parts.join(', ');
}
