/**
 * What CodeDeploy does during a Lambda deployment, as far as a release's judgement depends on
 * it (AWS CodeDeploy User Guide: "AppSpec 'hooks' section for an AWS Lambda deployment" and
 * "Monitoring deployments with CloudWatch alarms in CodeDeploy"):
 *
 * 1. BeforeAllowTraffic: the pre-traffic hook runs; the alias does not move yet.
 * 2. AllowTraffic: the alias's weights move with the deployment configuration
 *    (`traffic-shift.ts`).
 * 3. AfterAllowTraffic: the post-traffic hook runs, with 100% on the new version.
 *
 * A hook that reports `Failed`, or a deployment-group alarm found in ALARM while the deployment
 * runs, stops it and shifts the alias back. Between the first shift and 100% only an alarm can
 * stop it: the hooks run before the first shift and after the last.
 */

/** How often CodeDeploy checks the deployment group's alarms while a deployment runs. */
export const ALARM_POLL_SECONDS = 60;

/** A lifecycle hook must report within this time, or the deployment fails. */
export const HOOK_REPORT_LIMIT_MINUTES = 60;
