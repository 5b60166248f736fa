import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { AppModel, ServiceModel, StageModel, WaveModel } from '../../lib/config/model';
import { serviceOutputKey, serviceStackName, type ServiceOutput } from '../../lib/resource-names';
import { inProgressDeployment } from './aws';
import { environmentPlace, useCredentialsFor } from './errors';
import { list } from './format';
import {
  EXIT,
  OpsError,
  type Clients,
  type EnvironmentChoice,
  type EnvironmentTarget,
  type HistorySelection,
  type Selection,
  type ServiceTarget,
} from './types';

/** What a command acts on, which decides the options it takes. */
export interface CommandScope {
  readonly command: string;
  /** `any`: all services or `--service`; `one`: exactly one; `none`: a whole wave. */
  readonly services: 'any' | 'one' | 'none';
}

/** The narrowing options of the command line. */
export interface Narrowing {
  readonly stage?: string;
  readonly service?: string;
  readonly wave?: number;
  readonly region?: string;
  readonly environment?: string;
}

/** Those of `names` the command line gave, as options: `--service`, `--region`. */
function given(options: Narrowing, names: readonly (keyof Narrowing)[]): string[] {
  return names.filter((name) => options[name] !== undefined).map((name) => `--${name}`);
}

/** The stage, services and environments the options choose, or a clear error. */
export function select(model: AppModel, options: Narrowing, scope: CommandScope): Selection {
  const stage = resolveStage(model, options.stage);
  const wave = options.wave === undefined ? undefined : resolveWave(stage, options.wave);
  if (scope.services === 'none') {
    const extra = given(options, ['service', 'region', 'environment']);
    if (extra.length > 0) {
      throw new OpsError(
        `${scope.command} acts on the pipeline stage of a whole wave, every service and environment in it: drop ${list(extra)} (choose the wave with --wave)`,
      );
    }
  }
  const services =
    scope.services === 'none'
      ? []
      : resolveServices(stage, options.service, {
          command: scope.command,
          single: scope.services === 'one',
        });
  const environments = resolveEnvironments(stage, wave, options.region, options.environment);
  return { app: model, stage, services, environments, wave };
}

/**
 * What `report` reads: the stage named by `--stage` or every stage, in all their waves and
 * environments, and the service named by `--service` (the stages that run it). A mistake is bad
 * input for `report`: an OpsError with exit 1.
 */
export function selectHistory(model: AppModel, options: Narrowing): HistorySelection {
  const extra = given(options, ['wave', 'region', 'environment']);
  try {
    if (extra.length > 0) {
      throw new OpsError(
        `report reads every wave and environment of a stage: drop ${list(extra)} (narrow it with --stage and --service)`,
      );
    }
    let stages = options.stage === undefined ? model.stages : [resolveStage(model, options.stage)];
    const { service } = options;
    if (service !== undefined) {
      if (stages.length === 1) {
        resolveServices(stages[0], service, { command: 'report', single: false });
      }
      stages = stages.filter((s) => s.services.some((x) => x.name === service));
      if (stages.length === 0) {
        const known = [...new Set(model.stages.flatMap((s) => s.services.map((x) => x.name)))];
        throw new OpsError(`unknown service "${service}": the stages run ${list(known)}`);
      }
    }
    return {
      app: model,
      service,
      stages: stages.map((stage) => ({
        app: model,
        stage,
        services: stage.services.filter((s) => service === undefined || s.name === service),
        environments: resolveEnvironments(stage, undefined, undefined, undefined),
      })),
    };
  } catch (error) {
    if (error instanceof OpsError) throw new OpsError(error.message, EXIT.failed);
    throw error;
  }
}

/** The stage named by `--stage`, or a clear error naming the known ones. */
export function resolveStage(model: AppModel, name: string | undefined): StageModel {
  const known = model.stages.map((s) => s.name);
  if (name === undefined) {
    throw new OpsError(`--stage is required: one of ${known.join(', ')}`);
  }
  const stage = model.stages.find((s) => s.name === name);
  if (!stage) {
    throw new OpsError(
      `unknown stage "${name}": the stages (stages/index.ts) are ${known.join(', ')}`,
    );
  }
  return stage;
}

function resolveWave(stage: StageModel, index: number): WaveModel {
  const wave = stage.waves.find((w) => w.index === index);
  if (!wave) {
    throw new OpsError(
      `stage ${stage.name} has no wave ${index}: it deploys in ${stage.waves.length === 1 ? 'one wave (1)' : `waves 1 to ${stage.waves.length}`}`,
    );
  }
  return wave;
}

/**
 * The services a command acts on: the one named by `--service`, or every service of the stage.
 * A command that changes one service needs exactly one, named or the stage's only one.
 */
export function resolveServices(
  stage: StageModel,
  name: string | undefined,
  opts: { command: string; single: boolean },
): ServiceModel[] {
  const known = stage.services.map((s) => s.name);
  if (name !== undefined) {
    const service = stage.services.find((s) => s.name === name);
    if (!service) {
      throw new OpsError(
        `unknown service "${name}" in stage ${stage.name}: it runs ${list(known)}`,
      );
    }
    return [service];
  }
  if (opts.single && stage.services.length > 1) {
    throw new OpsError(
      `${opts.command} acts on one service: add --service (stage ${stage.name} runs ${list(known)})`,
    );
  }
  return [...stage.services];
}

/** The environments of the stage (of `wave`), narrowed by `--region` and `--environment`. */
function resolveEnvironments(
  stage: StageModel,
  wave: WaveModel | undefined,
  region: string | undefined,
  environment: string | undefined,
): EnvironmentChoice[] {
  const all = (wave ? [wave] : stage.waves).flatMap((w) =>
    w.environments.map((e) => ({ environment: e, wave: w })),
  );
  const scope = wave ? `wave ${wave.index} of stage ${stage.name}` : `stage ${stage.name}`;
  let chosen = all;
  if (region !== undefined) {
    chosen = chosen.filter((c) => c.environment.region === region);
    if (chosen.length === 0) {
      const regions = [...new Set(all.map((c) => c.environment.region))];
      throw new OpsError(
        `${scope} deploys to no environment in region "${region}": its regions are ${list(regions)}`,
      );
    }
  }
  if (environment !== undefined) {
    const named = chosen.filter((c) => c.environment.name === environment);
    if (named.length === 0) {
      throw new OpsError(
        `${scope} has no environment "${environment}"${region === undefined ? '' : ` in ${region}`}: it deploys to ${list(chosen.map((c) => `${c.environment.name} (${c.environment.region})`))}`,
      );
    }
    chosen = named;
  }
  return chosen;
}

/** `env-a (account 333333333333, eu-west-1)`. */
export function describeEnvironment(choice: EnvironmentChoice): string {
  const { name, account, region } = choice.environment;
  return `${name} (account ${account}, ${region})`;
}

/**
 * Why the credentials cannot reach an environment's account (they belong to `account`), or
 * undefined when they can.
 */
export function unreachable(
  stage: StageModel,
  choice: EnvironmentChoice,
  account: string,
): string | undefined {
  const place = environmentPlace(stage.name, choice);
  if (place.account === account) return undefined;
  return `not reachable with the credentials of account ${account}: ${useCredentialsFor(place.account)}`;
}

/**
 * Reads the stack outputs of the chosen services in one environment (CloudFormation
 * DescribeStacks on `<prefix>-<stack>`, once per stack) into the names of each service's
 * function, alias, deployment group and alarms. Nothing is guessed: a missing stack or output is
 * an error that says what to do.
 */
export async function loadEnvironment(
  clients: Clients,
  stage: StageModel,
  choice: EnvironmentChoice,
  services: readonly ServiceModel[],
): Promise<EnvironmentTarget> {
  const regionClients = clients.region(choice.environment.region);
  const outputs = new Map<string, Promise<Map<string, string>>>();
  const stackOutputs = (stackName: string) => {
    let read = outputs.get(stackName);
    if (!read) {
      read = readOutputs(regionClients.cloudformation, stage, choice, stackName);
      outputs.set(stackName, read);
    }
    return read;
  };
  const targets: ServiceTarget[] = [];
  for (const service of services) {
    const stackName = serviceStackName(stage.prefix, service.stack);
    targets.push(toTarget(service, stackName, await stackOutputs(stackName)));
  }
  return { ...choice, clients: regionClients, services: targets };
}

async function readOutputs(
  cloudformation: CloudFormationClient,
  stage: StageModel,
  choice: EnvironmentChoice,
  stackName: string,
): Promise<Map<string, string>> {
  try {
    const { Stacks } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    return new Map(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      throw new OpsError(
        `stack ${stackName} does not exist in ${describeEnvironment(choice)}: deploy stage ${stage.name} there first`,
      );
    }
    throw error;
  }
}

function toTarget(
  service: ServiceModel,
  stackName: string,
  outputs: Map<string, string>,
): ServiceTarget {
  const output = (name: ServiceOutput): string => {
    const key = serviceOutputKey(service.name, name);
    const value = outputs.get(key);
    if (!value) {
      throw new OpsError(
        `stack ${stackName} has no output ${key}: it was deployed by an older version of this project; let the pipeline deploy it again`,
      );
    }
    return value;
  };
  const aliasArn = output('AliasArn');
  const [application, deploymentGroup] = output('DeploymentGroup').split('/');
  return {
    service,
    stackName,
    functionName: output('FunctionName'),
    aliasArn,
    aliasName: aliasArn.slice(aliasArn.lastIndexOf(':') + 1),
    application,
    deploymentGroup,
    alarms: output('Alarms')
      .split(',')
      .map((a) => a.trim())
      .filter(Boolean),
  };
}

/** An environment loaded, or why it could not be: not reachable, or not deployed. */
export type Reached =
  | { readonly target: EnvironmentTarget; readonly why?: undefined }
  | { readonly target?: undefined; readonly why: string };

/**
 * Loads environments for `selection`'s services, each at most once: the credentials' account
 * must be the environment's, and its stacks must exist. Errors that are not about this one
 * environment (no credentials, no network, throttling) are thrown.
 */
export function environmentLoader(
  selection: Selection,
  clients: Clients,
  account: string,
): (choice: EnvironmentChoice) => Promise<Reached> {
  const loaded = new Map<string, Promise<Reached>>();
  const load = async (choice: EnvironmentChoice): Promise<Reached> => {
    const why = unreachable(selection.stage, choice, account);
    if (why) return { why };
    try {
      return {
        target: await loadEnvironment(clients, selection.stage, choice, selection.services),
      };
    } catch (error) {
      if (error instanceof OpsError) return { why: error.message };
      throw error;
    }
  };
  return (choice) => {
    let reached = loaded.get(choice.environment.name);
    if (!reached) {
      reached = load(choice);
      loaded.set(choice.environment.name, reached);
    }
    return reached;
  };
}

/** A deployment in progress of one service in one environment. */
export interface Running {
  readonly env: EnvironmentTarget;
  readonly svc: ServiceTarget;
  readonly deployment: DeploymentInfo;
}

/** The deployments in progress of the targets' services (ListDeployments, BatchGetDeployments). */
export async function runningDeployments(
  targets: readonly EnvironmentTarget[],
): Promise<Running[]> {
  const running: Running[] = [];
  for (const env of targets) {
    for (const svc of env.services) {
      const deployment = await inProgressDeployment(env.clients.codedeploy, svc);
      if (deployment?.deploymentId) running.push({ env, svc, deployment });
    }
  }
  return running;
}

/** ` --wave 2` for a stage of several waves, else nothing: what names a wave on the command line. */
export function waveOption(stage: StageModel, wave: WaveModel): string {
  return stage.waves.length > 1 ? ` --wave ${wave.index}` : '';
}
