import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import {
  overviewDashboardName,
  pipelineStageName,
  serviceDashboardName,
} from '../../../lib/resource-names';
import {
  alarmStates,
  describeAlarms,
  describeAlias,
  describeDeployment,
  getAlias,
  listDeployments,
} from '../aws';
import { dashboardUrl, plural, timestamp } from '../format';
import { describeEnvironment, environmentLoader } from '../target';
import { EXIT, type Command } from '../types';

/**
 * Every chosen environment of the stage, grouped by wave. Per environment: its stacks' outputs
 * (DescribeStacks), the alarm states (DescribeAlarms, one call), and per service the live
 * alias's version and weights (GetAlias), the latest deployment (ListDeployments,
 * BatchGetDeployments) and the dashboards of that region. An environment the credentials do not
 * reach, or whose stacks do not exist, is named with the fix, and the command exits 2.
 */
export const status: Command = async (selection, { clients, out, account }) => {
  const { stage, environments } = selection;
  const load = environmentLoader(selection, clients, account);
  const waves = [...new Set(environments.map((e) => e.wave))];
  out(
    `${stage.name}: ${plural(environments.length, 'environment')} in ${plural(waves.length, 'wave')}`,
  );
  const missed: string[] = [];
  for (const wave of waves) {
    out('');
    out(`wave ${wave.index} (pipeline stage ${pipelineStageName(stage, wave)})`);
    for (const choice of environments.filter((e) => e.wave === wave)) {
      out(`  ${describeEnvironment(choice)}`);
      const { target, why } = await load(choice);
      if (!target) {
        out(`    ✖ ${why}`);
        missed.push(choice.environment.name);
        continue;
      }
      const { region } = choice.environment;
      const { lambda, codedeploy, cloudwatch } = target.clients;
      const states = await alarmStates(
        cloudwatch,
        target.services.flatMap((s) => s.alarms),
      );
      for (const svc of target.services) {
        const alias = await getAlias(lambda, svc);
        const [latest] = await listDeployments(codedeploy, svc);
        const dashboard = serviceDashboardName(stage.prefix, svc.service.name);
        out(`    ${svc.service.name} (stack ${svc.stackName})`);
        out(`      ${`${svc.aliasName} alias`.padEnd(12)}${describeAlias(alias)}`);
        out(`      deployment  ${latest ? deploymentSummary(latest) : 'none yet'}`);
        out(`      alarms      ${describeAlarms(svc, states)}`);
        out(`      dashboard   ${dashboardUrl(region, dashboard)}`);
      }
      out(`    overview    ${dashboardUrl(region, overviewDashboardName(stage.prefix))}`);
    }
  }
  if (missed.length === 0) return EXIT.ok;
  out('');
  out(`✖ not shown: ${missed.join(', ')} (see above)`);
  return EXIT.unusable;
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
