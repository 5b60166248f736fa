/**
 * The deterministic names every part of the project agrees on: the constructs that create the
 * resources, the dashboards that chart them by name, and the ops command that finds the stacks.
 * Plain functions without CDK imports, so scripts can use them without loading `aws-cdk-lib`.
 */

/** The alias that takes production traffic and that CodeDeploy shifts. */
export const LIVE_ALIAS = 'live';

/** The three alarms of every service, by kind; each rolls a deployment back. */
export const ALARM_KINDS = ['errors', 'p99-latency', 'throttles'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

/** The stack outputs of a service stack, per service (see `ServiceStack`). */
export const SERVICE_OUTPUTS = ['FunctionName', 'AliasArn', 'DeploymentGroup', 'Alarms'] as const;
export type ServiceOutput = (typeof SERVICE_OUTPUTS)[number];

/** `order-history` → `OrderHistory`. */
export function pascal(name: string): string {
  return name
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

/** `<stage>-<service>`: the function, and the prefix of every other resource of the service. */
export function serviceBaseName(stage: string, service: string): string {
  return `${stage}-${service}`;
}

/** `<stage>-<service>-errors|-p99-latency|-throttles`. */
export function alarmName(stage: string, service: string, kind: AlarmKind): string {
  return `${serviceBaseName(stage, service)}-${kind}`;
}

/**
 * `<stage>-<stack>`: the CloudFormation stack a service deploys in, where `stack` is the
 * service's own name or the shared stack its stage entry names (`ServiceModel.stack`).
 * `ApplicationStage` sets it explicitly from here.
 */
export function serviceStackName(stage: string, stack: string): string {
  return `${stage}-${stack}`;
}

/**
 * Construct id of a stage's monitoring stack. Upper-case, so that no service (lower-case names
 * only) can ever take the same stack or dashboard name.
 */
export const MONITORING_ID = 'Monitoring';

/** `<stage>-Monitoring`: the topic and the overview dashboard of a stage. */
export function monitoringStackName(stage: string): string {
  return `${stage}-${MONITORING_ID}`;
}

/** `<stage>-<service>`: the dashboard of one service. */
export function serviceDashboardName(stage: string, service: string): string {
  return serviceBaseName(stage, service);
}

/** `<stage>-Overview`: the dashboard of all services of a stage. */
export function overviewDashboardName(stage: string): string {
  return `${stage}-Overview`;
}

/** `<stage>-notifications`: the SNS topic of a stage. */
export function stageTopicName(stage: string): string {
  return `${stage}-notifications`;
}

/** `<Pascal>FunctionName`, `<Pascal>AliasArn`, ...: the output keys of a service stack. */
export function serviceOutputKey(service: string, output: ServiceOutput): string {
  return `${pascal(service)}${output}`;
}
