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
import { pipelinePlace, useCredentialsFor } from '../errors';
import { clock, duration, list } from '../format';
import { getExecution, waitingAtEntry, waveStages, type WaveStage } from '../pipeline';
import { environmentLoader, waveOption } from '../target';
import {
  EXIT,
  OpsError,
  type Command,
  type CommandDeps,
  type EnvironmentChoice,
  type EnvironmentTarget,
  type Selection,
  type ServiceTarget,
} from '../types';

/** Where a wave stands in the execution followed. */
type Phase =
  'not started' | 'approval' | 'waiting' | 'deploying' | 'baking' | 'succeeded' | 'failed';

interface Progress {
  readonly phase: Phase;
  /** `wave 1 prod-wave1: baking (...)`. */
  readonly text: string;
}

/** A CodeDeploy deployment followed until it ends. */
interface Followed {
  readonly env: EnvironmentTarget;
  readonly svc: ServiceTarget;
  readonly deploymentId: string;
  /** How long the traffic shift takes under the deployment's config. */
  readonly windowMs: number;
}

/**
 * Follows a release through the stage until it passes or fails. Each poll prints the wave
 * progress (GetPipelineState: whether the stage's approval waits, which wave's pipeline stage
 * waits at its entry, deploys, bakes (its bake action's summary: minutes watched, no alarm),
 * succeeded or failed) and, for the chosen environments of the running wave, each CodeDeploy
 * canary: the share of traffic on the new version as a bar, the time left in its window and its
 * alarms. Exits 0 when every wave of the stage succeeded, 1 when a wave or a deployment failed
 * or the execution ended before passing the stage.
 *
 * When the credentials do not reach the pipeline's account, it follows the CodeDeploy
 * deployments in progress in the environments they reach, without the waves.
 *
 * Calls per poll: GetPipelineState (and GetPipelineExecution between waves); per environment of
 * the running wave, once DescribeStacks, then DescribeAlarms and per service ListDeployments (+
 * BatchGetDeployments, GetDeploymentConfig) until a deployment shows, then GetDeployment,
 * GetAlias, ListDeploymentTargets, BatchGetDeploymentTargets. ListRuleExecutions once when the
 * release waits at an entry condition.
 */
/** The first line `watch` prints: the execution it follows, through which waves, how often. */
export function followingLine(
  executionId: string,
  stage: string,
  waves: number,
  pollMs: number,
): string {
  return `Following execution ${executionId} through ${stage} (${waves === 1 ? 'one wave' : `${waves} waves`}), every ${duration(pollMs)}:`;
}

export const watch: Command = async (selection, deps) => {
  const { app } = selection;
  const pipeline = pipelinePlace(app);
  if (pipeline.account === deps.account) return followRelease(selection, deps);
  deps.out(
    `${pipeline.what} is in account ${pipeline.account}, not reachable with the credentials of account ${deps.account}: following the CodeDeploy deployments only (to see the waves, ${useCredentialsFor(pipeline.account)})`,
  );
  return followDeployments(selection, deps);
};

async function followRelease(selection: Selection, deps: CommandDeps): Promise<number> {
  const { app, stage } = selection;
  const { clients, out, now, sleep, pollMs } = deps;
  const codepipeline = clients.codepipeline;
  let waves = await waveStages(codepipeline, app, stage);
  const executionId = await followedExecution(deps, app.pipelineName, waves);
  if (!executionId) {
    throw new OpsError(
      `nothing in progress in ${stage.name}: ${waves.map((w) => `wave ${w.wave.index} ${w.name} ${w.state.latestExecution?.status ?? 'never ran'}`).join(' · ')}`,
    );
  }
  out(followingLine(executionId, stage.name, waves.length, pollMs));
  const canaries = new Canaries(selection, deps);
  let hinted = false;
  for (;;) {
    const progress = waves.map((w) => waveProgress(w, executionId));
    out(`${clock(now())}  ${progress.map((p) => p.text).join(' · ')}`);
    const waiting = progress.findIndex((p) => p.phase === 'waiting');
    if (waiting >= 0 && !hinted) {
      out(
        `          to let it in now: npm run ops -- override --stage ${stage.name}${waveOption(stage, waves[waiting].wave)}`,
      );
      hinted = true;
    }
    const deploying = new Set(
      waves.filter((_, i) => progress[i].phase === 'deploying').map((w) => w.wave.index),
    );
    await canaries.poll(selection.environments.filter((e) => deploying.has(e.wave.index)));

    const failedAt = progress.findIndex((p) => p.phase === 'failed');
    const last = progress[progress.length - 1].phase;
    let ended: string | undefined;
    if (failedAt >= 0) ended = `✖ execution ${executionId}: ${progress[failedAt].text}`;
    else if (last === 'succeeded') {
      ended = `✔ execution ${executionId} passed ${stage.name}: ${waves.length === 1 ? 'its wave' : `all ${waves.length} waves`} succeeded`;
    } else if (
      !progress.some((p) => ['approval', 'waiting', 'deploying', 'baking'].includes(p.phase))
    ) {
      // Between two waves, or ended early (stopped, superseded): the execution tells.
      const execution = await getExecution(codepipeline, app.pipelineName, executionId);
      if (execution.status !== 'InProgress') {
        ended = `✖ execution ${executionId} ended ${execution.status ?? 'unknown'} before passing ${stage.name}`;
      }
    }
    if (ended && canaries.count === 0) {
      out(ended);
      return ended.startsWith('✔') && canaries.failed === 0 ? EXIT.ok : EXIT.failed;
    }
    await sleep(pollMs);
    waves = await waveStages(codepipeline, app, stage);
  }
}

/** The execution running in the stage, or waiting at a wave's entry. */
async function followedExecution(
  { clients }: CommandDeps,
  pipelineName: string,
  waves: WaveStage[],
): Promise<string | undefined> {
  for (const { state, approval } of waves) {
    for (const latest of [approval?.state.latestExecution, state.latestExecution]) {
      if (latest?.status === 'InProgress' || latest?.status === 'Stopping') {
        return latest.pipelineExecutionId;
      }
    }
  }
  for (const { name, state } of waves) {
    if (state.beforeEntryConditionState?.latestExecution?.status === 'InProgress') {
      return (await waitingAtEntry(clients.codepipeline, pipelineName, name))?.executionId;
    }
  }
  return undefined;
}

/** Where a wave stands for the execution followed. */
function waveProgress(
  { wave, name, state, bakeAction, approval }: WaveStage,
  executionId: string,
): Progress {
  const label = `wave ${wave.index} ${name}`;
  const summary = (s?: string) => (s ? ` (${s})` : '');
  const latest = state.latestExecution;
  if (latest?.pipelineExecutionId === executionId) {
    if (latest.status === 'InProgress') {
      const bake = state.actionStates?.find((a) => a.actionName === bakeAction)?.latestExecution;
      if (bake?.status === 'InProgress') {
        return { phase: 'baking', text: `${label}: baking${summary(bake.summary)}` };
      }
      return { phase: 'deploying', text: `${label}: deploying` };
    }
    if (latest.status === 'Succeeded' || latest.status === 'Skipped') {
      return { phase: 'succeeded', text: `${label}: ${latest.status.toLowerCase()}` };
    }
    return { phase: 'failed', text: `${label}: ${latest.status?.toLowerCase() ?? 'failed'}` };
  }
  const entry = state.beforeEntryConditionState?.latestExecution;
  if (entry?.status === 'InProgress') {
    return { phase: 'waiting', text: `${label}: waiting at its entry${summary(entry.summary)}` };
  }
  const asked = approval?.state.latestExecution;
  if (asked?.pipelineExecutionId === executionId && asked.status === 'InProgress') {
    return { phase: 'approval', text: `${label}: waiting for the approval ${approval!.name}` };
  }
  return { phase: 'not started', text: `${label}: not started` };
}

/** Follows only the CodeDeploy deployments in progress, when the pipeline is out of reach. */
async function followDeployments(selection: Selection, deps: CommandDeps): Promise<number> {
  const canaries = new Canaries(selection, deps);
  await canaries.poll(selection.environments);
  if (canaries.found === 0) {
    throw nothingInProgress(
      `${selection.stage.name} (${list(selection.environments.map((e) => e.environment.name))})`,
      selection.services.map((s) => s.name),
    );
  }
  while (canaries.count > 0) {
    await deps.sleep(deps.pollMs);
    await canaries.poll(selection.environments);
  }
  return canaries.failed > 0 ? EXIT.failed : EXIT.ok;
}

/** The CodeDeploy deployments of the chosen services, found and followed poll by poll. */
class Canaries {
  /** Deployments found. */
  found = 0;
  /** Deployments that failed or were stopped. */
  failed = 0;
  private readonly followed = new Map<string, Followed>();
  private readonly ended = new Set<string>();
  private readonly told = new Set<string>();
  private readonly load: ReturnType<typeof environmentLoader>;

  constructor(
    selection: Selection,
    private readonly deps: CommandDeps,
  ) {
    this.load = environmentLoader(selection, deps.clients, deps.account);
  }

  /** Deployments followed and not ended yet. */
  get count(): number {
    return this.followed.size;
  }

  /** One poll of the environments: a line per deployment, found or followed. */
  async poll(environments: readonly EnvironmentChoice[]): Promise<void> {
    for (const choice of environments) {
      const { target, why } = await this.load(choice);
      const name = choice.environment.name;
      if (!target) {
        if (!this.told.has(name)) this.deps.out(`          ${name}: ✖ ${why}`);
        this.told.add(name);
        continue;
      }
      await this.pollEnvironment(target, false);
    }
    // Deployments of environments no longer polled (their wave ended) are still followed.
    const polled = new Set(environments.map((e) => e.environment.name));
    const rest = [...this.followed.values()].filter((f) => !polled.has(f.env.environment.name));
    for (const env of new Set(rest.map((f) => f.env))) await this.pollEnvironment(env, true);
  }

  /** Polls the followed deployments of `env` and, unless `followedOnly`, looks for new ones. */
  private async pollEnvironment(env: EnvironmentTarget, followedOnly: boolean): Promise<void> {
    const { out, now } = this.deps;
    const { codedeploy, lambda, cloudwatch } = env.clients;
    const name = `${env.environment.name} ${env.environment.region}`;
    let states: Map<string, string> | undefined;
    let shown = 0;
    for (const svc of env.services) {
      const key = `${env.environment.name}/${svc.service.name}`;
      let f = this.followed.get(key);
      if (!f) {
        if (followedOnly) continue;
        const deployment = await inProgressDeployment(codedeploy, svc);
        const id = deployment?.deploymentId;
        if (!id || this.ended.has(id)) continue;
        const routing = await trafficRouting(codedeploy, deployment.deploymentConfigName ?? '');
        f = { env, svc, deploymentId: id, windowMs: shiftWindowMs(routing) };
        this.followed.set(key, f);
        this.found++;
      }
      shown++;
      states ??= await alarmStates(
        cloudwatch,
        env.services.flatMap((s) => s.alarms),
      );
      const { deploymentInfo = {} } = await codedeploy.send(
        new GetDeploymentCommand({ deploymentId: f.deploymentId }),
      );
      const alias = await getAlias(lambda, svc);
      const alarms = `alarms ${describeAlarms(svc, states)}`;
      const label = `${name}  ${svc.service.name}`;
      if (IN_PROGRESS.includes(deploymentInfo.status!)) {
        const moved = await deploymentTarget(codedeploy, f.deploymentId);
        out(
          `${clock(now())}  ${label}  ${deploymentInfo.status}  ${progressLine(alias, moved, f.windowMs, now())}  ${alarms}`,
        );
        continue;
      }
      this.followed.delete(key);
      this.ended.add(f.deploymentId);
      if (deploymentInfo.status === 'Succeeded') {
        out(`✔ ${label}: ${describeDeployment(deploymentInfo)}; live: ${describeAlias(alias)}`);
      } else {
        this.failed++;
        out(
          `✖ ${label}: ${describeDeployment(deploymentInfo)}; CodeDeploy rolls it back, live: ${describeAlias(alias)}; ${alarms}`,
        );
      }
    }
    if (shown === 0) out(`${clock(now())}  ${name}  no deployment in progress`);
  }
}
