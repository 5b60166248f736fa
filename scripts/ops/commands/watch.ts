import { GetDeploymentCommand } from '@aws-sdk/client-codedeploy';
import {
  alarmStates,
  deploymentTarget,
  describeAlarms,
  describeAlias,
  describeDeployment,
  getAlias,
  inProgressDeployment,
  IN_PROGRESS,
  nothingInProgress,
  progressLine,
  shiftWindowMs,
  trafficRouting,
} from '../aws';
import { clock, duration } from '../format';
import { EXIT, type Command, type ServiceTarget } from '../types';

interface Followed {
  readonly svc: ServiceTarget;
  readonly deploymentId: string;
  /** How long the traffic shift takes under the deployment's config. */
  readonly windowMs: number;
}

/**
 * Follows every in-progress deployment of the chosen services until each ends, printing per
 * poll the share of traffic on the new version as a bar (from the alias's routing), the time
 * left in the canary window and the alarm states. Exits 1 if any deployment fails or is stopped
 * (and so rolls back), 0 when all succeed.
 *
 * Calls: per service ListDeployments (+ BatchGetDeployments) and GetDeploymentConfig once; per
 * poll DescribeAlarms, and per service GetDeployment, GetAlias, ListDeploymentTargets and
 * BatchGetDeploymentTargets.
 */
export const watch: Command = async (target, { clients, out, now, sleep, pollMs }) => {
  const { codedeploy, lambda, cloudwatch } = clients;
  let active: Followed[] = [];
  for (const svc of target.services) {
    const deployment = await inProgressDeployment(codedeploy, svc);
    if (!deployment?.deploymentId) continue;
    const routing = await trafficRouting(codedeploy, deployment.deploymentConfigName ?? '');
    active.push({ svc, deploymentId: deployment.deploymentId, windowMs: shiftWindowMs(routing) });
  }
  if (active.length === 0) throw nothingInProgress(target.stage.name, target.services);
  out(
    `Following ${active.map((f) => `${f.svc.service.name} ${f.deploymentId}`).join(', ')} in ${target.stage.name}, every ${duration(pollMs)}:`,
  );

  let failed = 0;
  for (;;) {
    const states = await alarmStates(
      cloudwatch,
      active.flatMap((f) => f.svc.alarms),
    );
    const next: Followed[] = [];
    for (const f of active) {
      const name = f.svc.service.name;
      const { deploymentInfo = {} } = await codedeploy.send(
        new GetDeploymentCommand({ deploymentId: f.deploymentId }),
      );
      const alias = await getAlias(lambda, f.svc);
      const alarms = `alarms ${describeAlarms(f.svc, states)}`;
      if (IN_PROGRESS.includes(deploymentInfo.status!)) {
        const moved = await deploymentTarget(codedeploy, f.deploymentId);
        out(
          `${clock(now())}  ${name}  ${deploymentInfo.status}  ${progressLine(alias, moved, f.windowMs, now())}  ${alarms}`,
        );
        next.push(f);
      } else if (deploymentInfo.status === 'Succeeded') {
        out(`✔ ${name}: ${describeDeployment(deploymentInfo)}; live: ${describeAlias(alias)}`);
      } else {
        failed++;
        out(
          `✖ ${name}: ${describeDeployment(deploymentInfo)}; CodeDeploy rolls it back, live: ${describeAlias(alias)}; ${alarms}`,
        );
      }
    }
    if (next.length === 0) break;
    active = next;
    await sleep(pollMs);
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
};
