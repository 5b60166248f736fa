import type { StageModel } from '../config/model';
import { strategyLabel, strategyMinutes } from '../config/strategy';
import { pipelineStageName } from '../resource-names';

/**
 * Rough fixed overheads of a release, in minutes. They are estimates, not measurements of
 * this pipeline: CodeBuild provisioning, `npm ci` and CloudFormation vary from run to run.
 * Only the traffic-shift windows and the bakes are exact, because the stage entries set them.
 */
export const ESTIMATED_MINUTES = {
  /** Source action: clone through the CodeConnections connection. */
  source: 1,
  /** CodeBuild: provisioning, `npm ci`, `npm test` (type-check, lint, jest), synth and gate. */
  build: 10,
  /** CodeBuild: `cdk deploy` of the pipeline stack itself (a restart when it changed). */
  selfMutation: 3,
  /** CodeBuild: publishing the Lambda bundles (one project per asset type). */
  assetPublishing: 3,
  /** The Monitoring wave: every monitoring stack, in parallel (a no-op when nothing changed). */
  monitoring: 2,
  /** Per wave: CloudFormation updates, CodeDeploy and both hooks, environments in parallel. */
  waveDeploy: 4,
  /** Per wave with smoke tests: CodeBuild, `npm ci`, the synthetic checks. */
  smokeTests: 3,
} as const;

/**
 * How a step's minutes are known: an estimate of an overhead, configured by the stage entry
 * (traffic shift, bake), or waiting that is not counted (a person's approval, a window).
 */
export type TimingBasis = 'estimate' | 'configured' | 'human' | 'window';

export interface TimingStep {
  readonly label: string;
  /** Undefined for waiting that is not counted (approvals, deployment windows). */
  readonly minutes?: number;
  readonly basis: TimingBasis;
  /** Where the number comes from. */
  readonly note: string;
}

export interface ReleaseTiming {
  readonly steps: readonly TimingStep[];
  /** Every counted step; an estimate because the overheads are. */
  readonly totalMinutes: number;
  /** The traffic-shift windows alone (exact): one per wave, waves in sequence. */
  readonly shiftMinutes: number;
  /** The bakes alone (exact): one per wave of a stage that bakes. */
  readonly bakeMinutes: number;
  /** Stages that wait for a manual approval, in order. */
  readonly approvals: readonly string[];
  /** Stages that wait for a deployment window, in order. */
  readonly windows: readonly string[];
}

/** The longest traffic shift of a stage: its services deploy in parallel, so the slowest counts. */
export function longestShift(stage: StageModel): {
  readonly minutes: number;
  readonly strategy: string;
  readonly services: readonly string[];
} {
  const minutes = Math.max(0, ...stage.services.map((s) => strategyMinutes(s.strategy)));
  const longest = stage.services.filter((s) => strategyMinutes(s.strategy) === minutes);
  const labels = [...new Set(longest.map((s) => strategyLabel(s.strategy)))];
  return { minutes, strategy: labels.join(', '), services: longest.map((s) => s.name) };
}

/** At most this many service names in a note; more are counted. */
const NAMES_IN_NOTE = 3;

/**
 * The time from a push to the end of the last stage, step by step: waves run one after the
 * other, each a full traffic shift of its slowest service plus its bake; the environments of a
 * wave and the services of an environment deploy in parallel.
 */
export function releaseTiming(stages: readonly StageModel[]): ReleaseTiming {
  const estimate = (label: string, minutes: number): TimingStep => ({
    label,
    minutes,
    basis: 'estimate',
    note: 'estimate',
  });
  const steps: TimingStep[] = [
    estimate('source checkout', ESTIMATED_MINUTES.source),
    estimate('build, tests, synth and compliance gate', ESTIMATED_MINUTES.build),
    estimate('self-mutation', ESTIMATED_MINUTES.selfMutation),
    estimate('asset publishing', ESTIMATED_MINUTES.assetPublishing),
    estimate("Monitoring: every stage's alarms", ESTIMATED_MINUTES.monitoring),
  ];
  let shiftMinutes = 0;
  let bakeMinutes = 0;
  for (const stage of stages) {
    const shift = longestShift(stage);
    const names =
      shift.services.length <= NAMES_IN_NOTE
        ? shift.services.join(', ')
        : `${shift.services.slice(0, NAMES_IN_NOTE).join(', ')} and ${shift.services.length - NAMES_IN_NOTE} more`;
    const of = stage.services.length === 1 ? 'its 1 service' : `${stage.services.length} services`;
    for (const wave of stage.waves) {
      const name = pipelineStageName(stage, wave);
      if (wave.index === 1 && stage.deploymentWindow) {
        steps.push({
          label: `${name}: deployment window`,
          basis: 'window',
          note: `waits until ${stage.deploymentWindow.cron} (${stage.deploymentWindow.timeZone}) is open`,
        });
      }
      if (wave.index === 1 && stage.requiresApproval) {
        steps.push({ label: `${name}: manual approval`, basis: 'human', note: 'human time' });
      }
      shiftMinutes += shift.minutes;
      bakeMinutes += stage.bakeMinutes;
      const where =
        wave.environments.length === 1 ? '' : `, ${wave.environments.length} environments`;
      steps.push(
        estimate(`${name}: deploy (CloudFormation, hooks${where})`, ESTIMATED_MINUTES.waveDeploy),
        {
          label: `${name}: traffic shift`,
          minutes: shift.minutes,
          basis: 'configured',
          note: `${shift.strategy}, longest of ${of} (${names})`,
        },
      );
      if (stage.smokeTests) {
        steps.push(estimate(`${name}: smoke tests`, ESTIMATED_MINUTES.smokeTests));
      }
      if (stage.bakeMinutes > 0) {
        steps.push({
          label: `${name}: bake`,
          minutes: stage.bakeMinutes,
          basis: 'configured',
          note: 'bakeMinutes of the stage entry, after 100%',
        });
      }
    }
  }
  return {
    steps,
    totalMinutes: steps.reduce((total, s) => total + (s.minutes ?? 0), 0),
    shiftMinutes,
    bakeMinutes,
    approvals: stages.filter((s) => s.requiresApproval).map((s) => s.name),
    windows: stages.filter((s) => s.deploymentWindow).map((s) => s.name),
  };
}

/**
 * `~56 min (estimate; of it 10 min configured traffic shifts and 15 min bakes) + manual approval
 * before prod (human time, not counted)`.
 */
export function formatTotal(timing: ReleaseTiming): string {
  const waits = [
    timing.approvals.length > 0 &&
      `manual approval${timing.approvals.length > 1 ? 's' : ''} before ${timing.approvals.join(', ')} (human time)`,
    timing.windows.length > 0 &&
      `waiting for the deployment window${timing.windows.length > 1 ? 's' : ''} of ${timing.windows.join(', ')}`,
  ].filter((w): w is string => Boolean(w));
  const configured = `of it ${timing.shiftMinutes} min configured traffic shifts and ${timing.bakeMinutes} min bakes`;
  return `~${timing.totalMinutes} min (estimate; ${configured})${waits.length > 0 ? ` + ${waits.join(' + ')}, not counted` : ''}`;
}

/** `~4 min`, `10 min`, or `not counted` for waiting. */
export function formatMinutes(step: TimingStep): string {
  if (step.minutes === undefined) return 'not counted';
  return `${step.basis === 'estimate' ? '~' : ''}${step.minutes} min`;
}
