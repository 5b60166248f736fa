import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient, type DeploymentInfo } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient, type StageState } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type {
  AppModel,
  EnvironmentModel,
  ServiceModel,
  StageModel,
} from '../../../lib/config/model';
import { Strategy } from '../../../lib/config/strategy';
import {
  appModel as buildAppModel,
  environmentModel,
  serviceModel,
  stageModel as buildStageModel,
  type StageOptions,
} from '../../helpers/model';
import {
  LIVE_ALIAS,
  SERVICE_OUTPUTS,
  serviceBaseName,
  serviceOutputKey,
  serviceStackName,
  verdictAlarmName,
  type ServiceOutput,
} from '../../../lib/resource-names';
import { main, type OpsIo } from '../../../scripts/ops/main';
import type {
  Clients,
  CommandDeps,
  RegionClients,
  Selection,
  ServiceTarget,
} from '../../../scripts/ops/types';

// The tests make SDK clients too; the versions are pinned, so the SDK's Node notice is noise.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/**
 * Made-up stages for the ops command tests: the commands read names from stack outputs and the
 * pipeline, thresholds and waves from the model, so any names, accounts and regions do.
 */
export const REGION = 'eu-west-1';
export const ACCOUNT = '333333333333';
export const OTHER_ACCOUNT = '555555555555';
export const PIPELINE = 'ops-test';

export { serviceModel };

/** An environment of the fixture config: in ACCOUNT and REGION unless told. */
export function env(name: string, account = ACCOUNT, region = REGION): EnvironmentModel {
  return environmentModel(name, account, region);
}

/** A canary stage; one wave of one environment named after it unless `opts.waves` says. */
export function stageModel(
  services: readonly ServiceModel[],
  name = 'live1',
  opts: StageOptions = {},
): StageModel {
  return buildStageModel(name, Strategy.predefined('CANARY_10PERCENT_10MINUTES'), services, {
    requiresApproval: true,
    account: ACCOUNT,
    region: REGION,
    pipelineName: PIPELINE,
    ...opts,
  });
}

/** The app, its pipeline in ACCOUNT and REGION unless told. */
export function appModel(
  stages: readonly StageModel[],
  pipelineEnv = { account: ACCOUNT, region: REGION },
): AppModel {
  return { ...buildAppModel(stages, { pipelineName: PIPELINE }), pipelineEnv };
}

/** Every environment and service of the stage, as `select` chooses them without narrowing. */
export function selection(stage: StageModel, app = appModel([stage])): Selection {
  return {
    app,
    stage,
    services: stage.services,
    environments: stage.waves.flatMap((wave) =>
      wave.environments.map((environment) => ({ environment, wave })),
    ),
  };
}

/** What `DescribeStacks` would return for a service's stack in an environment: its outputs. */
export function stackOutputs(
  prefix: string,
  service: string,
  where: { account: string; region: string } = { account: ACCOUNT, region: REGION },
) {
  const t = names(prefix, service, where);
  const values: Record<ServiceOutput, string> = {
    FunctionName: t.functionName,
    AliasArn: t.aliasArn,
    DeploymentGroup: `${t.application}/${t.deploymentGroup}`,
    Alarms: t.alarms.join(','),
  };
  return SERVICE_OUTPUTS.map((o) => ({
    OutputKey: serviceOutputKey(service, o),
    OutputValue: values[o],
  }));
}

function names(prefix: string, service: string, where: { account: string; region: string }) {
  const base = serviceBaseName(prefix, service);
  return {
    functionName: base,
    aliasArn: `arn:aws:lambda:${where.region}:${where.account}:function:${base}:${LIVE_ALIAS}`,
    aliasName: LIVE_ALIAS,
    application: `app-${service}`,
    deploymentGroup: base,
    alarms: [verdictAlarmName(prefix, service, '12')],
  };
}

/** The target `loadEnvironment` resolves from those outputs. */
export function serviceTarget(
  prefix: string,
  service: ServiceModel,
  where?: { account: string; region: string },
): ServiceTarget {
  return {
    service,
    stackName: serviceStackName(prefix, service.stack),
    ...names(prefix, service.name, where ?? { account: ACCOUNT, region: REGION }),
  };
}

/** The CodeDeploy group and the alias of a service target, as the commands name them. */
export function namesOf(t: ServiceTarget) {
  return {
    group: { applicationName: t.application, deploymentGroupName: t.deploymentGroup },
    alias: { FunctionName: t.functionName, Name: t.aliasName },
  };
}

function regionMocks(region: string) {
  const clients: RegionClients = {
    cloudformation: new CloudFormationClient({ region }),
    lambda: new LambdaClient({ region }),
    codedeploy: new CodeDeployClient({ region }),
    cloudwatch: new CloudWatchClient({ region }),
  };
  const mocks = {
    cloudformation: mockClient(clients.cloudformation),
    lambda: mockClient(clients.lambda),
    codedeploy: mockClient(clients.codedeploy),
    cloudwatch: mockClient(clients.cloudwatch),
  };
  return { clients, mocks };
}
type RegionMocks = ReturnType<typeof regionMocks>['mocks'];

/**
 * Real SDK clients, each mocked at the client: STS (answering `account`, ACCOUNT by default) and
 * CodePipeline in the pipeline's region, the others per region on first use; and the deps a
 * command gets.
 */
export function harness(
  opts: { yes?: boolean; answer?: boolean; now?: Date; account?: string } = {},
) {
  const account = opts.account ?? ACCOUNT;
  const regions = new Map<string, ReturnType<typeof regionMocks>>();
  const at = (region: string) => {
    let r = regions.get(region);
    if (!r) {
      r = regionMocks(region);
      regions.set(region, r);
    }
    return r;
  };
  const sts = new STSClient({ region: REGION });
  const codepipeline = new CodePipelineClient({ region: REGION });
  const clients: Clients = {
    sts,
    codepipeline,
    region: (region) => at(region).clients,
    destroy: () => undefined,
  };
  const mocks = {
    ...at(REGION).mocks,
    sts: mockClient(sts),
    codepipeline: mockClient(codepipeline),
  };
  mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: account });
  const lines: string[] = [];
  const questions: string[] = [];
  const sleeps: number[] = [];
  let clock = (opts.now ?? NOW).getTime();
  const deps: CommandDeps = {
    clients,
    account,
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
  /** Every call of one client (of REGION unless told), as `[command name, input]`, in order. */
  const calls = (client: keyof RegionMocks | 'sts' | 'codepipeline', region = REGION) => {
    const mock =
      client === 'sts' || client === 'codepipeline' ? mocks[client] : at(region).mocks[client];
    return mock.calls().map((c) => {
      const command = c.args[0] as { constructor: { name: string }; input: unknown };
      return [command.constructor.name.replace(/Command$/, ''), command.input] as const;
    });
  };
  return {
    clients,
    mocks,
    /** The mocks of another region's clients. */
    region: (region: string) => at(region).mocks,
    deps,
    lines,
    questions,
    sleeps,
    calls,
    output: () => lines.join('\n'),
  };
}
export type Harness = ReturnType<typeof harness>;

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

/** Answers DescribeStacks for every stack of the stage's services in one environment. */
export function deployedIn(
  mocks: RegionMocks,
  stage: StageModel,
  where: { account: string; region: string } = { account: ACCOUNT, region: REGION },
) {
  for (const s of stage.services) {
    const StackName = serviceStackName(stage.prefix, s.stack);
    mocks.cloudformation.on(DescribeStacksCommand, { StackName }).resolves({
      Stacks: [
        {
          StackName,
          CreationTime: new Date('2026-11-01T00:00:00Z'),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: stackOutputs(stage.prefix, s.name, where),
        },
      ],
    });
  }
}

/** A stage's state in GetPipelineState. */
export function stageState(stageName: string, fields: Partial<StageState> = {}): StageState {
  return { stageName, ...fields };
}

/** Runs the command line on `model` with the mocked clients of `h`, capturing its output. */
export async function runOps(
  argv: string[],
  h: Harness,
  model: AppModel,
  extra: Partial<OpsIo> = {},
) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main({
    argv,
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    loadModel: () => model,
    createClients: () => h.clients,
    confirm: h.deps.confirm,
    now: h.deps.now,
    sleep: h.deps.sleep,
    ...extra,
  });
  return { code, out, err };
}

/** An AWS service error as the SDK throws it, for errors a client does not model. */
export function awsError(name: string, message: string, fields: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
    ...fields,
  });
}
