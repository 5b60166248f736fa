/**
 * The bake of a wave: after the wave reached 100%, the stage's health alarm in each of its
 * environments is watched for `minutes`; the wave fails if one goes into ALARM in that time, and
 * passes only when the time is up. Pure: state in, decision out. The deployed gate
 * (`health-gate.ts`) reads the alarms and reports the decision to CodePipeline.
 *
 * An alarm that is OK (or has no data) when the bake starts does not end it: a CodePipeline
 * `CloudWatchAlarm` rule would pass at once in that case (its `WaitTime` only waits for an alarm
 * already in ALARM to clear), which is why the bake is an action that polls.
 */

/** One environment's health alarm as the gate found it. */
export interface AlarmObservation {
  readonly environment: string;
  readonly alarm: string;
  /** Its state now. */
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
  /** When it went into ALARM since the bake started, from its history, if it did. */
  readonly alarmedAt?: number;
}

/** What the gate carries from one poll to the next (CodePipeline's continuation token). */
export interface BakeState {
  /** When the bake started (ms since the epoch). */
  readonly startedAt: number;
}

export type BakeDecision =
  | { readonly kind: 'fail'; readonly message: string }
  | {
      readonly kind: 'continue';
      readonly state: BakeState;
      readonly summary: string;
      /** 0 to 100. */
      readonly percentComplete: number;
    }
  | { readonly kind: 'succeed'; readonly summary: string };

/** Decides the bake at `now` from what the alarms said. */
export function bakeDecision(
  minutes: number,
  state: BakeState,
  now: number,
  alarms: readonly AlarmObservation[],
): BakeDecision {
  const fired = alarms.filter((a) => a.state === 'ALARM' || a.alarmedAt !== undefined);
  const elapsed = Math.max(0, now - state.startedAt);
  const minute = (ms: number) => (ms / 60_000).toFixed(1);
  if (fired.length > 0) {
    const which = fired
      .map((a) => {
        const at = a.alarmedAt ?? now;
        return `${a.alarm} in ${a.environment} went into ALARM ${minute(at - state.startedAt)} min into the bake (${new Date(at).toISOString().slice(11, 16)} UTC)`;
      })
      .join('; ');
    return {
      kind: 'fail',
      message: `bake failed: ${which}. The stage rolls the wave back; later waves do not start.`,
    };
  }
  if (elapsed >= minutes * 60_000) {
    return {
      kind: 'succeed',
      summary: `baked ${minutes} min: ${alarms
        .map((a) => a.alarm)
        .filter(unique)
        .join(', ')} stayed out of ALARM in ${alarms.map((a) => a.environment).join(', ')}`,
    };
  }
  return {
    kind: 'continue',
    state,
    summary: `baking: ${minute(elapsed)} of ${minutes} min, no alarm in ${alarms.map((a) => a.environment).join(', ')}`,
    percentComplete: Math.min(99, Math.floor((100 * elapsed) / (minutes * 60_000))),
  };
}

function unique<T>(value: T, index: number, all: readonly T[]): boolean {
  return all.indexOf(value) === index;
}
