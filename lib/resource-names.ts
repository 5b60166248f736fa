/**
 * The deterministic names every part of the project agrees on: the constructs that create the
 * resources, the dashboards that chart them by name, and the ops command that finds the stacks.
 * Plain functions without CDK imports, so scripts can use them without loading `aws-cdk-lib`.
 */

/** The alias that takes production traffic and that CodeDeploy shifts. */
export const LIVE_ALIAS = 'live';

/**
 * The alarm that judges a release of a service, by kind: the release judge's verdict on the
 * version being deployed. It is its deployment group's alarm, so it rolls the deployment back.
 */
export const ALARM_KINDS = ['canary-verdict'] as const;
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

/**
 * `<pipelineName>-<stage>`: the prefix of every physical name a stage sets, so that two copies
 * of the app (two pipelines) can deploy to one account without a clash. Every function below
 * takes it as `prefix`; `StageModel.prefix` holds it.
 */
export function stagePrefix(pipelineName: string, stage: string): string {
  return `${pipelineName}-${stage}`;
}

/** `<prefix>-<service>`: the function, and the prefix of every other resource of the service. */
export function serviceBaseName(prefix: string, service: string): string {
  return `${prefix}-${service}`;
}

/** `<prefix>-<service>-pre-hook` and `-post-hook`: the traffic hooks' functions. */
export function hookFunctionName(prefix: string, service: string, phase: 'pre' | 'post'): string {
  return `${serviceBaseName(prefix, service)}-${phase}-hook`;
}

/**
 * `<prefix>-<service>-canary-verdict-v<version>`: the alarm on the release judge's verdict about
 * one version. The version is in the name so that each release gets a new alarm.
 */
export function verdictAlarmName(prefix: string, service: string, version: string): string {
  return `${serviceBaseName(prefix, service)}-canary-verdict-v${version}`;
}

/** `<prefix>-<service>-canary-verdict-v`: what every verdict alarm of a service starts with. */
export function verdictAlarmPrefix(prefix: string, service: string): string {
  return `${serviceBaseName(prefix, service)}-canary-verdict-v`;
}

/** `<prefix>-release-judge`: the function that judges a stage's releases in one environment. */
export function releaseJudgeName(prefix: string): string {
  return `${prefix}-release-judge`;
}

/**
 * `<prefix>-<service>-fleet`: the alarm on the whole `live` alias (every version it serves).
 * It notifies and blocks a stage from starting; it does not roll a deployment back.
 */
export function fleetAlarmName(prefix: string, service: string): string {
  return `${serviceBaseName(prefix, service)}-fleet`;
}

/**
 * `<prefix>-health`: the composite alarm of a stage in one environment, in ALARM when any
 * service's fleet alarm is. The pipeline's stage conditions watch it.
 */
export function stageHealthAlarmName(prefix: string): string {
  return `${prefix}-health`;
}

/**
 * `<prefix>-conditions-<region>`: the role in a stage's environment that the pipeline's stage
 * conditions use to read its alarms (IAM names are global to the account, so it names the region).
 */
export function conditionsRoleName(prefix: string, region: string): string {
  return `${prefix}-conditions-${region}`;
}

/**
 * The qualifier of the CDK bootstrap roles this app's stacks use (the CDK's default, which
 * `npx cdk bootstrap` uses unless told otherwise).
 */
export const BOOTSTRAP_QUALIFIER = 'hnb659fds';

/** `cdk-<qualifier>-lookup-role-<account>-<region>`: the bootstrap's read-only role. */
export function bootstrapLookupRoleName(account: string, region: string): string {
  return `cdk-${BOOTSTRAP_QUALIFIER}-lookup-role-${account}-${region}`;
}

/** `<pipelineName>-health-gate`: the function behind every wave's bake action. */
export function healthGateName(pipelineName: string): string {
  return `${pipelineName}-health-gate`;
}

/** `Bake-<stage>` for a stage of one wave, `Bake-<stage>-wave<N>` otherwise. */
export function bakeStepName(
  stage: { readonly name: string; readonly waves: readonly unknown[] },
  wave: { readonly index: number },
): string {
  return stage.waves.length === 1 ? `Bake-${stage.name}` : `Bake-${stage.name}-wave${wave.index}`;
}

/**
 * `<prefix>-<stack>`: the CloudFormation stack a service deploys in, where `stack` is the
 * service's own name or the shared stack its stage entry names (`ServiceModel.stack`).
 * `ApplicationStage` sets it explicitly from here.
 */
export function serviceStackName(prefix: string, stack: string): string {
  return `${prefix}-${stack}`;
}

/**
 * Construct id of a stage's monitoring stack. Upper-case, so that no service (lower-case names
 * only) can ever take the same stack or dashboard name.
 */
export const MONITORING_ID = 'Monitoring';

/** `<prefix>-Monitoring`: the topic and the overview dashboard of a stage. */
export function monitoringStackName(prefix: string): string {
  return `${prefix}-${MONITORING_ID}`;
}

/** `<prefix>-<service>`: the dashboard of one service. */
export function serviceDashboardName(prefix: string, service: string): string {
  return serviceBaseName(prefix, service);
}

/** `<prefix>-Overview`: the dashboard of all services of a stage. */
export function overviewDashboardName(prefix: string): string {
  return `${prefix}-Overview`;
}

/** `<pipelineName>-pipeline`: the stack of the pipeline, in the tools account. */
export function pipelineStackName(pipelineName: string): string {
  return `${pipelineName}-pipeline`;
}

/** `<pipelineName>-pipeline-notifications`: the SNS topic of the pipeline's own events. */
export function pipelineTopicName(pipelineName: string): string {
  return `${pipelineName}-pipeline-notifications`;
}

/** `<prefix>-notifications`: the SNS topic of a stage. */
export function stageTopicName(prefix: string): string {
  return `${prefix}-notifications`;
}

/** `<Pascal>FunctionName`, `<Pascal>AliasArn`, ...: the output keys of a service stack. */
export function serviceOutputKey(service: string, output: ServiceOutput): string {
  return `${pascal(service)}${output}`;
}

/**
 * The CodePipeline stage a wave of a stage deploys in, as CDK Pipelines names it: the stage's
 * name when the stage has one wave of one environment; `<stage>-<environment>` for a wave of one
 * environment in a stage of several (CDK Pipelines names such a wave after its only Stage);
 * `<stage>-wave<N>` for a wave of several environments.
 */
export function pipelineStageName(
  stage: {
    readonly name: string;
    readonly waves: readonly { readonly environments: readonly { readonly name: string }[] }[];
  },
  wave: { readonly index: number; readonly environments: readonly { readonly name: string }[] },
): string {
  if (wave.environments.length === 1) return applicationStageId(stage, wave.environments[0]);
  return `${stage.name}-wave${wave.index}`;
}

/**
 * Construct id of the `cdk.Stage` deploying a stage to one environment: the stage's name when
 * that is its only environment, `<stage>-<environment>` otherwise.
 */
export function applicationStageId(
  stage: { readonly name: string; readonly waves: readonly { environments: readonly unknown[] }[] },
  environment: { readonly name: string },
): string {
  const single = stage.waves.length === 1 && stage.waves[0].environments.length === 1;
  return single ? stage.name : `${stage.name}-${environment.name}`;
}

/**
 * Construct id of the `cdk.Stage` deploying a stage's monitoring stack to one environment, in
 * the Monitoring wave: `<application stage id>-monitoring`.
 */
export function monitoringStageId(
  stage: { readonly name: string; readonly waves: readonly { environments: readonly unknown[] }[] },
  environment: { readonly name: string },
): string {
  return `${applicationStageId(stage, environment)}-monitoring`;
}

/**
 * The CodePipeline action deploying a monitoring stack. The Monitoring wave deploys every
 * stage's monitoring stack in every environment in parallel (`monitoringStages` of them): with
 * more than one, CDK Pipelines prefixes each action with its Stage's id,
 * `<stage id>-monitoring.<stack>.Deploy`; with one, `<stack>.Deploy`.
 */
export function monitoringDeployActionName(
  stage: { readonly name: string; readonly waves: readonly { environments: readonly unknown[] }[] },
  environment: { readonly name: string },
  stackName: string,
  monitoringStages: number,
): string {
  const id = monitoringStageId(stage, environment);
  const stack = stackName.startsWith(`${id}-`) ? stackName.slice(id.length + 1) : stackName;
  return monitoringStages === 1 ? `${stack}.Deploy` : `${id}.${stack}.Deploy`;
}

/** `SmokeTest-<stage>` for a stage of one wave, `SmokeTest-<stage>-wave<N>` otherwise. */
export function smokeTestStepName(
  stage: { readonly name: string; readonly waves: readonly unknown[] },
  wave: { readonly index: number },
): string {
  return stage.waves.length === 1
    ? `SmokeTest-${stage.name}`
    : `SmokeTest-${stage.name}-wave${wave.index}`;
}

/**
 * `<prefix>-smoke-wave<N>`: the role of a wave's smoke step, in the pipeline's account. Its name
 * is known to the stage's stacks, whose `live` aliases allow this role, and no one else of the
 * pipeline's account, to invoke them.
 */
export function smokeTestRoleName(prefix: string, wave: { readonly index: number }): string {
  return `${prefix}-smoke-wave${wave.index}`;
}

/** The manual approval before the first wave of a stage that asks for one. */
export function approvalStepName(stage: { readonly name: string }): string {
  return `Approve-${stage.name}`;
}

/** The first wave of the pipeline after asset publishing: every stage's monitoring stacks. */
export const MONITORING_WAVE = 'Monitoring';

/**
 * `<prefix>-<service>`: the VPC Lattice service of a service with a front door (lower-case
 * letters, digits and hyphens, at most 40 characters; checked when the config is validated).
 */
export function latticeServiceName(prefix: string, service: string): string {
  return serviceBaseName(prefix, service);
}

/**
 * The CodePipeline action CDK Pipelines names for deploying `stackName` in one environment of a
 * stage: `<stack>.Deploy` when the environment's wave deploys to it alone, and
 * `<stage id>.<stack>.Deploy` when the wave deploys to several environments in parallel (the
 * stack name loses a leading `<stage id>-`, as CDK Pipelines does). CodePipeline allows 100
 * characters; CDK Pipelines replaces the middle of a longer name with a hash.
 */
export function deployActionName(
  stage: {
    readonly name: string;
    readonly waves: readonly { environments: readonly { readonly name: string }[] }[];
  },
  environment: { readonly name: string },
  stackName: string,
): string {
  const id = applicationStageId(stage, environment);
  const stack = stackName.startsWith(`${id}-`) ? stackName.slice(id.length + 1) : stackName;
  const wave = stage.waves.find((w) => w.environments.some((e) => e.name === environment.name));
  return (wave?.environments.length ?? 1) === 1 ? `${stack}.Deploy` : `${id}.${stack}.Deploy`;
}

/**
 * `<prefix>` in lower case: the VPC Lattice service network a stage creates in an environment
 * that names none (Lattice names are lower-case, at most 63 characters).
 */
export function serviceNetworkName(prefix: string): string {
  return prefix.toLowerCase();
}

/** `/aws/vpclattice/<Lattice service>`: the access logs of a front door. */
export function latticeLogGroupName(prefix: string, service: string): string {
  return `/aws/vpclattice/${latticeServiceName(prefix, service).toLowerCase()}`;
}

/**
 * `/<prefix>/lattice/service-network`: the SSM parameter holding the ARN of the stage's VPC
 * Lattice service network, where the stage creates one.
 */
export function serviceNetworkParameterName(prefix: string): string {
  return `/${prefix}/lattice/service-network`;
}
