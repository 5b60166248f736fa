/**
 * How CloudWatch evaluates a metric alarm on a one-minute period (CloudWatch User Guide,
 * "Evaluating an alarm"): at each evaluation it looks at the last `evaluationPeriods` complete
 * periods and goes to ALARM when at least `datapointsToAlarm` of them breach. With
 * `treatMissingData: notBreaching` a period without data counts as not breaching; an alarm that
 * has never been evaluated is INSUFFICIENT_DATA, which CodeDeploy does not act on. An alarm
 * keeps its state until an evaluation changes it, also when its metric is changed.
 */
export type AlarmState = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';

export interface AlarmSpec {
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold';
}

/**
 * The state after an evaluation at the start of minute `minute`, from the datapoints (by
 * minute index, the Maximum of what was published in it) of the minutes before.
 */
export function evaluateAlarm(
  spec: AlarmSpec,
  datapoints: ReadonlyMap<number, number>,
  minute: number,
): AlarmState {
  let breaching = 0;
  for (let m = minute - spec.evaluationPeriods; m < minute; m++) {
    const value = datapoints.get(m);
    if (value === undefined) continue;
    const breaches =
      spec.comparison === 'GreaterThanOrEqualToThreshold'
        ? value >= spec.threshold
        : value > spec.threshold;
    if (breaches) breaching++;
  }
  return breaching >= spec.datapointsToAlarm ? 'ALARM' : 'OK';
}
