/**
 * Where the release judge records its verdicts: a custom CloudWatch metric per service and
 * version, written by the scheduled judge every minute while a deployment of that version is in
 * progress, and by the post-traffic hook when it decides. The deployment group's verdict alarm
 * watches `Verdict`; `npm run ops -- report` and `watch` read the rest.
 *
 * - `Verdict`: 1 when the judge decided to roll the release back, else 0 (still judging, or
 *   passed). The alarm fires on a Maximum of 1.
 * - `JudgedInvocations`, `JudgedErrors`, `JudgedSlow`, `JudgedThrottles`: what the verdict was
 *   based on (the new version's real traffic through the alias, from the start of the traffic
 *   shift to the last minute CloudWatch surely holds), cumulative: read the Maximum.
 * - `EvidenceRatio`: the largest log-likelihood ratio of the judge's tests (≥ its rollback
 *   boundary when `Verdict` is 1).
 *
 * Dimensions: `FunctionName` (the service's function, `<prefix>-<service>`) and `Version` (the
 * version being released).
 */
export const VERDICT_NAMESPACE = 'LambdaCanary';

export const VERDICT_METRICS = {
  verdict: 'Verdict',
  invocations: 'JudgedInvocations',
  errors: 'JudgedErrors',
  slow: 'JudgedSlow',
  throttles: 'JudgedThrottles',
  evidence: 'EvidenceRatio',
} as const;

export type VerdictMetricKey = keyof typeof VERDICT_METRICS;

/** The dimensions of every verdict metric of one release. */
export function verdictDimensions(
  functionName: string,
  version: string,
): { Name: 'FunctionName' | 'Version'; Value: string }[] {
  return [
    { Name: 'FunctionName', Value: functionName },
    { Name: 'Version', Value: version },
  ];
}

/**
 * The verdict alarm of a release, in the deployment group: ALARM when the judge published a
 * rollback verdict in any of the last three minutes (one is enough; three keep it in ALARM until
 * CodeDeploy, which polls the alarms while the deployment runs, has seen it). Missing data is
 * not breaching: no verdict, no rollback.
 */
export const VERDICT_ALARM = {
  evaluationPeriods: 3,
  datapointsToAlarm: 1,
  threshold: 1,
  comparison: 'GreaterThanOrEqualToThreshold',
} as const;

/** How often the scheduled judge runs while deployments are in progress. */
export const JUDGE_EVERY_MINUTES = 1;
