import type { StageModel } from '../config/model';
import { strategyLabel, strategyMinutes } from '../config/strategy';

/**
 * Rough fixed overheads of a release, in minutes. They are estimates, not measurements of
 * this pipeline: CodeBuild provisioning, `npm ci` and CloudFormation vary from run to run.
 * Only the traffic-shift windows are exact, because the stage entries configure them.
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
  /** Per stage: CloudFormation change set and execution, CodeDeploy and both hooks. */
  stageDeploy: 4,
  /** Per stage with smoke tests: CodeBuild, `npm ci`, the synthetic checks. */
  smokeTests: 3,
} as const;

/** How a step's minutes are known. */
export type TimingBasis = 'estimate' | 'configured' | 'human';

export interface TimingStep {
  readonly label: string;
  /** Undefined for human time (approvals), which is not counted. */
  readonly minutes?: number;
  readonly basis: TimingBasis;
  /** Where the number comes from. */
  readonly note: string;
}

export interface ReleaseTiming {
  readonly steps: readonly TimingStep[];
  /** Every counted step; an estimate because the overheads are. */
  readonly totalMinutes: number;
  /** The traffic-shift windows alone (exact). */
  readonly shiftMinutes: number;
  /** Stages that wait for a manual approval, in order. */
  readonly approvals: readonly string[];
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

/** The time from a push to the last stage, step by step. */
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
  ];
  for (const stage of stages) {
    if (stage.requiresApproval) {
      steps.push({
        label: `${stage.name}: manual approval`,
        basis: 'human',
        note: 'human time',
      });
    }
    steps.push(
      estimate(`${stage.name}: deploy (CloudFormation, hooks)`, ESTIMATED_MINUTES.stageDeploy),
    );
    const shift = longestShift(stage);
    const of = stage.services.length === 1 ? 'its 1 service' : `${stage.services.length} services`;
    steps.push({
      label: `${stage.name}: traffic shift`,
      minutes: shift.minutes,
      basis: 'configured',
      note: `${shift.strategy}, longest of ${of} (${shift.services.join(', ')})`,
    });
    if (stage.smokeTests) {
      steps.push(estimate(`${stage.name}: smoke tests`, ESTIMATED_MINUTES.smokeTests));
    }
  }
  const sum = (filter: (s: TimingStep) => boolean) =>
    steps.filter(filter).reduce((total, s) => total + (s.minutes ?? 0), 0);
  return {
    steps,
    totalMinutes: sum(() => true),
    shiftMinutes: sum((s) => s.basis === 'configured'),
    approvals: stages.filter((s) => s.requiresApproval).map((s) => s.name),
  };
}

/** `~38 min (estimate; 10 min of it configured traffic shifts) + manual approval before prod ...`. */
export function formatTotal(timing: ReleaseTiming): string {
  const approvals =
    timing.approvals.length === 0
      ? ''
      : ` + manual approval${timing.approvals.length > 1 ? 's' : ''} before ${timing.approvals.join(', ')} (human time, not counted)`;
  return `~${timing.totalMinutes} min (estimate; ${timing.shiftMinutes} min of it configured traffic shifts)${approvals}`;
}

/** `~4 min`, `10 min`, or `not counted` for human time. */
export function formatMinutes(step: TimingStep): string {
  if (step.minutes === undefined) return 'not counted';
  return `${step.basis === 'estimate' ? '~' : ''}${step.minutes} min`;
}
