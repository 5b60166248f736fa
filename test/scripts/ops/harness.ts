import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { AppModel, ServiceModel, StageModel } from '../../../lib/config/model';
import { Strategy } from '../../../lib/config/strategy';
import {
  appModel as buildAppModel,
  serviceModel,
  stageModel as buildStageModel,
} from '../../helpers/model';
import {
  ALARM_KINDS,
  alarmName,
  LIVE_ALIAS,
  SERVICE_OUTPUTS,
  serviceBaseName,
  serviceOutputKey,
  serviceStackName,
  type ServiceOutput,
} from '../../../lib/resource-names';
import type { Clients, CommandDeps, ServiceTarget, Target } from '../../../scripts/ops/types';

/**
 * A made-up stage for the ops command tests: the commands read names from stack outputs and
 * thresholds from the model, so any stage and service names do.
 */
export const REGION = 'eu-west-1';
export const ACCOUNT = '333333333333';
export const PIPELINE = 'ops-test';

export { serviceModel };

export function stageModel(services: readonly ServiceModel[], name = 'live1'): StageModel {
  return buildStageModel(name, Strategy.predefined('CANARY_10PERCENT_10MINUTES'), services, {
    requiresApproval: true,
    account: ACCOUNT,
    region: REGION,
    pipelineName: PIPELINE,
  });
}

export function appModel(stages: readonly StageModel[]): AppModel {
  return buildAppModel(stages, { pipelineName: PIPELINE, region: REGION });
}

/** What `DescribeStacks` would return for a service's stack: its outputs. */
export function stackOutputs(prefix: string, service: string, application = `app-${service}`) {
  const base = serviceBaseName(prefix, service);
  const values: Record<ServiceOutput, string> = {
    FunctionName: base,
    AliasArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${base}:${LIVE_ALIAS}`,
    DeploymentGroup: `${application}/${base}`,
    Alarms: ALARM_KINDS.map((k) => alarmName(prefix, service, k)).join(','),
  };
  return SERVICE_OUTPUTS.map((o) => ({
    OutputKey: serviceOutputKey(service, o),
    OutputValue: values[o],
  }));
}

/** The target `loadTarget` resolves from those outputs. */
export function serviceTarget(prefix: string, service: ServiceModel): ServiceTarget {
  const base = serviceBaseName(prefix, service.name);
  return {
    service,
    stackName: serviceStackName(prefix, service.stack),
    functionName: base,
    aliasArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${base}:${LIVE_ALIAS}`,
    aliasName: LIVE_ALIAS,
    application: `app-${service.name}`,
    deploymentGroup: base,
    alarms: ALARM_KINDS.map((k) => alarmName(prefix, service.name, k)),
  };
}

export function target(stage: StageModel): Target {
  return { stage, services: stage.services.map((s) => serviceTarget(stage.prefix, s)) };
}

/** Real SDK clients, each mocked at the client, and the deps a command gets. */
export function harness(opts: { yes?: boolean; answer?: boolean; now?: Date } = {}) {
  const clients: Clients = {
    cloudformation: new CloudFormationClient({ region: REGION }),
    lambda: new LambdaClient({ region: REGION }),
    codedeploy: new CodeDeployClient({ region: REGION }),
    cloudwatch: new CloudWatchClient({ region: REGION }),
  };
  const mocks = {
    cloudformation: mockClient(clients.cloudformation),
    lambda: mockClient(clients.lambda),
    codedeploy: mockClient(clients.codedeploy),
    cloudwatch: mockClient(clients.cloudwatch),
  };
  const lines: string[] = [];
  const questions: string[] = [];
  const sleeps: number[] = [];
  let clock = (opts.now ?? NOW).getTime();
  const deps: CommandDeps = {
    clients,
    out: (line) => lines.push(line),
    yes: opts.yes ?? false,
    confirm: async (question) => {
      questions.push(question);
      return opts.answer ?? true;
    },
    now: () => new Date(clock),
    // The poll interval passes instantly: the test's clock moves instead.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    pollMs: 30_000,
    windowMinutes: 15,
  };
  /** Every call of one client, as `[command name, input]`, in order. */
  const calls = (client: keyof typeof mocks) =>
    mocks[client].calls().map((c) => {
      const command = c.args[0] as { constructor: { name: string }; input: unknown };
      return [command.constructor.name.replace(/Command$/, ''), command.input] as const;
    });
  return { clients, mocks, deps, lines, questions, sleeps, calls, output: () => lines.join('\n') };
}

export const NOW = new Date('2026-11-21T10:07:30Z');

/** A deployment as BatchGetDeployments/GetDeployment return it. */
export function deployment(id: string, fields: Partial<DeploymentInfo> = {}): DeploymentInfo {
  return {
    deploymentId: id,
    status: 'InProgress',
    deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
    createTime: new Date('2026-11-21T10:00:00Z'),
    creator: 'CloudFormation',
    ...fields,
  };
}

/** A Lambda deployment target as BatchGetDeploymentTargets returns it. */
export function lambdaTarget(
  current: string,
  next: string,
  allowTrafficStart?: Date,
  allowTrafficEnd?: Date,
) {
  return {
    deploymentTargetType: 'LambdaTarget' as const,
    lambdaTarget: {
      lambdaFunctionInfo: { currentVersion: current, targetVersion: next },
      lifecycleEvents: [
        { lifecycleEventName: 'BeforeAllowTraffic', status: 'Succeeded' as const },
        {
          lifecycleEventName: 'AllowTraffic',
          status: allowTrafficEnd ? ('Succeeded' as const) : ('InProgress' as const),
          startTime: allowTrafficStart,
          endTime: allowTrafficEnd,
        },
        { lifecycleEventName: 'AfterAllowTraffic', status: 'Pending' as const },
      ],
    },
  };
}

/** A GetAlias answer: `version` takes the traffic `extra` does not. */
export function aliasAt(version: string, extra: Record<string, number> = {}) {
  return { FunctionVersion: version, RoutingConfig: { AdditionalVersionWeights: extra } };
}

/** The CodeDeploy group and the alias of a service target, as the commands name them. */
export function namesOf(t: ServiceTarget) {
  return {
    group: { applicationName: t.application, deploymentGroupName: t.deploymentGroup },
    alias: { FunctionName: t.functionName, Name: t.aliasName },
  };
}
