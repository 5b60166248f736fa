/**
 * How CodeDeploy shifts a Lambda alias's traffic, for a time-based deployment configuration
 * (AWS CodeDeploy User Guide, "Deployment configurations on an AWS Lambda compute platform"):
 *
 * - all at once: 100% at once;
 * - canary: `percentage` for `intervalMinutes`, then the rest;
 * - linear: `percentage` more every `intervalMinutes` until 100%.
 *
 * Plain data, so that the simulator, the plan and the judge's sizing read the same schedule.
 */
export type TrafficShift =
  | { readonly kind: 'all-at-once' }
  | {
      readonly kind: 'canary' | 'linear';
      /** Percent of the traffic per step, 1 to 99. */
      readonly percentage: number;
      readonly intervalMinutes: number;
    };

/** One step of the shift: from `atMinute` after the shift started, `weight` on the new version. */
export interface ShiftStep {
  readonly atMinute: number;
  /** 0 to 1. */
  readonly weight: number;
}

/** The steps of a shift, the last one at weight 1. */
export function shiftSteps(shift: TrafficShift): readonly ShiftStep[] {
  if (shift.kind === 'all-at-once') return [{ atMinute: 0, weight: 1 }];
  const p = shift.percentage / 100;
  if (shift.kind === 'canary') {
    return [
      { atMinute: 0, weight: p },
      { atMinute: shift.intervalMinutes, weight: 1 },
    ];
  }
  const steps: ShiftStep[] = [];
  for (let i = 0; i * shift.percentage < 100; i++) {
    const percent = Math.min(100, (i + 1) * shift.percentage);
    steps.push({ atMinute: i * shift.intervalMinutes, weight: percent / 100 });
  }
  return steps;
}

/** Minutes from the first step to 100%. */
export function shiftMinutes(shift: TrafficShift): number {
  return shiftSteps(shift).at(-1)!.atMinute;
}

/** The new version's share of the traffic `minutes` after the shift started (0 before it). */
export function weightAt(shift: TrafficShift, minutes: number): number {
  let weight = 0;
  for (const step of shiftSteps(shift)) if (minutes >= step.atMinute) weight = step.weight;
  return weight;
}

/**
 * The calls the new version serves before 100%, at `perMinute` calls a minute to the alias,
 * of which the judge can see those CloudWatch holds `delayMinutes` before the shift completes.
 */
export function callsBeforeFullShift(
  shift: TrafficShift,
  perMinute: number,
  delayMinutes = 0,
): number {
  const end = shiftMinutes(shift) - delayMinutes;
  let calls = 0;
  const steps = shiftSteps(shift);
  for (let i = 0; i < steps.length - 1; i++) {
    const from = steps[i].atMinute;
    const until = Math.min(steps[i + 1].atMinute, end);
    if (until > from) calls += (until - from) * steps[i].weight * perMinute;
  }
  return calls;
}
