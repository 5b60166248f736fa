import { METRIC_DELAY_MINUTES } from '../../runtime/model/metric-delay';
import type { StageModel } from '../config/model';
import { isAllAtOnce, strategyLabel, strategyMinutes } from '../config/strategy';
import { approvalStepName, pipelineStageName } from '../resource-names';

/**
 * Minutes the post-traffic hook of a canary takes at 100% when the evidence is conclusive at its
 * first look: the rest of the minute of the shift, a full minute at 100%, CloudWatch's delay.
 */
export const JUDGEMENT_MINUTES = METRIC_DELAY_MINUTES + 2;

/**
 * The fixed overheads of a release, in minutes, with what each is made of. They are estimates:
 * AWS publishes no start-up time for CodeBuild or CodePipeline actions, and no duration for
 * CloudFormation updates. The parts that run on the build machine were measured on two cores
 * (`npm ci` from a warm npm cache, `npm test`, `npx cdk synth`, cfn-lint: docs/benchmarks.md);
 * a CodeBuild action's start (provisioning, the source download) is taken as one minute, the
 * figure users commonly report for the on-demand fleet. Only the traffic shifts, the post-traffic
 * judgement's wait for CloudWatch and the bakes follow from the configuration.
 */
export const ESTIMATED_MINUTES = {
  source: { minutes: 0.5, parts: 'CodeConnections hands the commit to CodePipeline' },
  build: {
    minutes: 4,
    parts:
      'CodeBuild start ~1, npm ci from the cached npm folder ~0.5, npm test ~1, synth behind the gate ~0.5, cfn-lint ~0.5, artifact upload ~0.5',
  },
  selfMutation: {
    minutes: 2,
    parts:
      'CodeBuild start ~1, the pinned CDK CLI from the npm cache ~0.5, cdk deploy of an unchanged pipeline ~0.5',
  },
  assetPublishing: {
    minutes: 2,
    parts:
      'CodeBuild start ~1, cdk-assets uploads the changed bundles ~1 (one project per asset type)',
  },
  monitoring: { minutes: 1, parts: 'CloudFormation updates of the monitoring stacks, in parallel' },
  waveDeploy: {
    minutes: 1.5,
    parts:
      'CloudFormation updates of the service stacks, in parallel ~1, CodeDeploy and the pre-traffic hook ~0.5',
  },
  smokeTests: {
    minutes: 1.5,
    parts: 'CodeBuild start ~1, the checks through the live aliases ~0.5',
  },
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
  /**
   * From the push to 100% in the last stage, outside its traffic shifts, the post-traffic
   * judgements and the bakes (and the waiting that is not counted): the time the pipeline itself
   * takes.
   */
  readonly overheadMinutes: number;
  /** The post-traffic hooks' judgements after each canary reaches 100%. */
  readonly judgementMinutes: number;
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
  const estimate = (
    label: string,
    part: { readonly minutes: number; readonly parts: string },
  ): TimingStep => ({ label, minutes: part.minutes, basis: 'estimate', note: part.parts });
  const steps: TimingStep[] = [
    estimate('source checkout', ESTIMATED_MINUTES.source),
    estimate('build, tests, synth and compliance gate', ESTIMATED_MINUTES.build),
    estimate('self-mutation', ESTIMATED_MINUTES.selfMutation),
    estimate('asset publishing', ESTIMATED_MINUTES.assetPublishing),
    estimate("Monitoring: every stage's alarms and release judges", ESTIMATED_MINUTES.monitoring),
  ];
  let shiftMinutes = 0;
  let bakeMinutes = 0;
  let judgementMinutes = 0;
  for (const stage of stages) {
    const shift = longestShift(stage);
    const names =
      shift.services.length <= NAMES_IN_NOTE
        ? shift.services.join(', ')
        : `${shift.services.slice(0, NAMES_IN_NOTE).join(', ')} and ${shift.services.length - NAMES_IN_NOTE} more`;
    const of = stage.services.length === 1 ? 'its 1 service' : `${stage.services.length} services`;
    const judged = stage.services.some((s) => !isAllAtOnce(s.strategy));
    if (stage.requiresApproval) {
      steps.push({
        label: `${approvalStepName(stage)}: manual approval`,
        basis: 'human',
        note: `human time${stage.deploymentWindow ? ', asked for inside the window' : ''}`,
      });
    }
    for (const wave of stage.waves) {
      const name = pipelineStageName(stage, wave);
      if (stage.deploymentWindow) {
        steps.push({
          label: `${name}: deployment window`,
          basis: 'window',
          note: `waits until ${stage.deploymentWindow.cron} (${stage.deploymentWindow.timeZone}) is open`,
        });
      }
      if (stage.blockWhileAlarming) {
        steps.push({
          label: `${name}: alarm blocker`,
          basis: 'window',
          note: `waits while the health alarm fires, up to ${stage.blockWaitMinutes} min`,
        });
      }
      shiftMinutes += shift.minutes;
      bakeMinutes += stage.bakeMinutes;
      const where =
        wave.environments.length === 1 ? '' : `, ${wave.environments.length} environments`;
      steps.push(
        estimate(
          `${name}: deploy (CloudFormation, CodeDeploy${where})`,
          ESTIMATED_MINUTES.waveDeploy,
        ),
        {
          label: `${name}: traffic shift`,
          minutes: shift.minutes,
          basis: 'configured',
          note: `${shift.strategy}, longest of ${of} (${names})`,
        },
      );
      if (judged) {
        judgementMinutes += JUDGEMENT_MINUTES;
        steps.push({
          label: `${name}: judged at 100%`,
          minutes: JUDGEMENT_MINUTES,
          basis: 'configured',
          note: `the post-traffic hook waits until CloudWatch holds a full minute at 100% (${METRIC_DELAY_MINUTES} min late), then judges; longer while a low-traffic release's evidence is inconclusive`,
        });
      }
      // With a bake the smoke tests run beside it; without one they come after the deploy.
      if (stage.smokeTests && stage.bakeMinutes === 0) {
        steps.push(estimate(`${name}: smoke tests`, ESTIMATED_MINUTES.smokeTests));
      }
      if (stage.bakeMinutes > 0) {
        steps.push({
          label: `${name}: bake${stage.smokeTests ? ' (smoke tests beside it)' : ''}`,
          minutes: stage.bakeMinutes,
          basis: 'configured',
          note: 'bakeMinutes of the stage entry, after 100%',
        });
      }
    }
  }
  // The pipeline's own time until the last stage reaches 100%: the estimated steps before its
  // last traffic shift (the configured shifts, judgements and bakes, and the waiting, apart).
  const lastShift = steps
    .map((x) => x.label)
    .lastIndexOf(steps.filter((x) => x.label.endsWith(': traffic shift')).at(-1)?.label ?? '');
  const overheadMinutes = steps
    .slice(0, Math.max(0, lastShift))
    .filter((x) => x.basis === 'estimate')
    .reduce((t, x) => t + (x.minutes ?? 0), 0);
  return {
    steps,
    totalMinutes: steps.reduce((total, x) => total + (x.minutes ?? 0), 0),
    overheadMinutes,
    shiftMinutes,
    bakeMinutes,
    judgementMinutes,
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
  const configured = `of it ${timing.shiftMinutes} min traffic shifts, ${timing.judgementMinutes} min judgement at 100% and ${timing.bakeMinutes} min bakes; the pipeline's own steps to 100% in the last stage ~${timing.overheadMinutes} min`;
  return `~${timing.totalMinutes} min (estimate; ${configured})${waits.length > 0 ? ` + ${waits.join(' + ')}, not counted` : ''}`;
}

/** `~4 min`, `10 min`, or `not counted` for waiting. */
export function formatMinutes(step: TimingStep): string {
  if (step.minutes === undefined) return 'not counted';
  return `${step.basis === 'estimate' ? '~' : ''}${step.minutes} min`;
}
