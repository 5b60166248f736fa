import { stageEnvironments } from '../../lib/config/model';
import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { AppModel, ServiceModel, StageModel } from '../../lib/config/model';
import { serviceOutputKey, serviceStackName, type ServiceOutput } from '../../lib/resource-names';
import { list } from './format';
import { OpsError, type ServiceTarget, type Target } from './types';

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

/**
 * Reads each service's stack outputs (CloudFormation DescribeStacks on `<stage>-<service>`) into
 * the names of its function, alias, deployment group and alarms. Nothing is guessed: a missing
 * stack or output is an error that says what to do.
 */
export async function loadTarget(
  cloudformation: CloudFormationClient,
  stage: StageModel,
  services: readonly ServiceModel[],
): Promise<Target> {
  const targets = await Promise.all(
    services.map((service) => loadService(cloudformation, stage, service)),
  );
  return { stage, services: targets };
}

async function loadService(
  cloudformation: CloudFormationClient,
  stage: StageModel,
  service: ServiceModel,
): Promise<ServiceTarget> {
  const stackName = serviceStackName(stage.prefix, service.stack);
  const where = `account ${stageEnvironments(stage)[0].account}, region ${stageEnvironments(stage)[0].region}`;
  let outputs: Map<string, string>;
  try {
    const { Stacks } = await cloudformation.send(
      new DescribeStacksCommand({ StackName: stackName }),
    );
    outputs = new Map(
      (Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
    );
  } catch (error) {
    if (error instanceof Error && /does not exist/.test(error.message)) {
      throw new OpsError(
        `stack ${stackName} does not exist in ${where}: deploy stage ${stage.name} first, or use credentials for account ${stageEnvironments(stage)[0].account}`,
      );
    }
    throw error;
  }
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
