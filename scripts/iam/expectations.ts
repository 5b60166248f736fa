import * as fs from 'fs';
import * as path from 'path';
import type { AwsCall, AwsResourceKind } from '../../runtime/aws-calls';
import { HOOK_ENV } from '../../runtime/hooks/hook-config';
import { VERDICT_NAMESPACE } from '../../runtime/judge/verdict-metric';
import { smokeTargetsPath, type SmokeTargets } from '../../runtime/synthetic/smoke-targets';
import {
  stageEnvironments,
  type AppModel,
  type EnvironmentModel,
  type StageModel,
} from '../../lib/config/model';
import { partitionOf } from '../../lib/pipeline/smoke-targets';
import {
  bakeRoleArns,
  conditionsRoleArn,
  ENTRY_RULE_CALLS,
  entryRuleRoleArns,
} from '../../lib/pipeline/stage-conditions';
import {
  healthGateName,
  hookFunctionName,
  LIVE_ALIAS,
  releaseJudgeName,
  serviceBaseName,
  smokeTestStepName,
  stageHealthAlarmName,
} from '../../lib/resource-names';
import { CODEDEPLOY_CALLS } from '../../lib/service/codedeploy-role';
import { LAMBDA_SERVICE_CALLS } from '../../lib/service/compliant-function';
import type { FunctionInfo, IamApp, RoleInfo, StackInfo, Statement } from './app';
import { callsOf } from './modules';
import { VERSION_NUMBER } from './resolve';

/**
 * What each role of the app must be allowed and must be denied: the calls its code makes (the
 * `AWS_CALLS` of every module its handler imports, see `runtime/aws-calls.ts`) and the calls AWS
 * services make with it (declared in `lib/`), each with the concrete resource it acts on in this
 * deployment; and must-deny probes on what belongs to someone else.
 */

/** The roles this project's code runs with, by what they are for. */
export const ROLE_KINDS = [
  'service function',
  'pre-traffic hook',
  'post-traffic hook',
  'CodeDeploy',
  'release judge',
  'alarm reader',
  'bake function',
  'smoke step',
  'pipeline',
] as const;
export type RoleKind = (typeof ROLE_KINDS)[number];

/** One request to simulate. */
export interface ExpectedCall {
  readonly action: string;
  /** What the call acts on, as declared. @default none: a probe */
  readonly on?: AwsResourceKind;
  /** The concrete resource ARN, or `*` for an action without a resource type. */
  readonly resource: string;
  readonly context?: Readonly<Record<string, string>>;
  /** Who makes it and why: a module of the project, or the AWS service using the role. */
  readonly why: string;
  /**
   * The principal, when not the role itself (a probe from another identity).
   * @default the role's ARN, with its own policies
   */
  readonly principal?: { readonly arn: string; readonly policies: readonly Statement[] };
  /** Only the role's own policies decide (the resource's policy is outside the app). */
  readonly identityOnly?: boolean;
}

export interface RoleExpectation {
  readonly kind: RoleKind;
  /** Where, for messages: `<stage> <environment>: <service> <kind>`. */
  readonly label: string;
  readonly role: RoleInfo;
  /** Must be allowed. */
  readonly calls: readonly ExpectedCall[];
  /** Must be denied. */
  readonly probes: readonly ExpectedCall[];
  /**
   * Whether a statement of the role is this project's, so that an action in it that no call
   * makes is an extra grant. The statements CDK Pipelines gives its CodeBuild and CodePipeline
   * roles for their own work (artifacts, logs, reports) are not.
   */
  readonly owns: (statement: Statement) => boolean;
  /** Modules of the role's bundle its configuration never runs, with why. */
  readonly skipped: readonly { readonly module: string; readonly reason: string }[];
}

/**
 * Why an action some role may call on `"*"` has no narrower resource, for the actions the
 * Service Authorization Reference does list a resource type for.
 */
export const STAR_REASONS: Readonly<Record<string, string>> = {
  'codedeploy:ListDeployments':
    'listing every deployment in progress, without an application and group, needs "*"',
  'cloudwatch:GetMetricData':
    'metrics are no IAM resource (the one type IAM lists, a CloudWatch dataset, is not what it reads)',
  'cloudwatch:PutMetricData':
    "metrics are no IAM resource; the statement's cloudwatch:namespace condition keeps it to the judge's namespace",
  'cloudwatch:DescribeAlarms':
    'DescribeAlarms returns a composite alarm (the health alarm is one) only to a caller allowed it on "*"',
};

/** The project root, whose modules declare the calls. */
const ROOT = path.join(__dirname, '..', '..');
const TRAFFIC_HOOK = 'runtime/hooks/traffic-hook.ts';
const JUDGEMENT = 'runtime/hooks/post-traffic-judgement.ts';
const LATTICE_INVOKER = 'runtime/synthetic/lattice-invoker.ts';
const RELEASE_JUDGE = 'runtime/judge/scheduled-judge.ts';
const HEALTH_GATE = 'runtime/gates/health-gate.ts';
const SMOKE_STEP = 'scripts/synthetic.ts';

/** The role expectations of every role this project's code runs with, in the app `model`. */
export function roleExpectations(model: AppModel, app: IamApp): RoleExpectation[] {
  const expectations: RoleExpectation[] = [];
  for (const stage of model.stages) {
    for (const env of stageEnvironments(stage)) {
      expectations.push(...environmentExpectations(stage, env, app));
    }
  }
  expectations.push(...pipelineExpectations(model, app));
  return expectations;
}

/** Looks things up in one account and region of the app. */
class Place {
  readonly partition: string;
  constructor(
    readonly app: IamApp,
    readonly account: string,
    readonly region: string,
  ) {
    this.partition = partitionOf(region);
  }

  arn(service: string, resource: string): string {
    return `arn:${this.partition}:${service}:${this.region}:${this.account}:${resource}`;
  }

  fn(name: string): string {
    return this.arn('lambda', `function:${name}`);
  }

  function(name: string): FunctionInfo {
    const found = this.app.functions.get(this.fn(name));
    if (!found) throw new Error(`no function ${name} in ${this.account}/${this.region}`);
    return found;
  }

  role(arn: string, what: string): RoleInfo {
    const found = this.app.roles.get(arn);
    if (!found) throw new Error(`the role of ${what} (${arn}) is not in the app`);
    return found;
  }

  /** The stacks deployed here. */
  stacks(): StackInfo[] {
    return this.app.stacks.filter((s) => s.account === this.account && s.region === this.region);
  }
}

interface Deployment {
  readonly service: string;
  readonly fn: FunctionInfo;
  readonly alias: string;
  readonly version: string;
  readonly group: string;
  readonly codeDeployRole: RoleInfo;
  readonly alarms: readonly string[];
  readonly pre: FunctionInfo;
  readonly post: FunctionInfo;
}

function deploymentOf(place: Place, prefix: string, service: string): Deployment {
  const base = serviceBaseName(prefix, service);
  for (const stack of place.stacks()) {
    const r = stack.resolver;
    for (const [id, res] of Object.entries(stack.template.Resources)) {
      if (res.Type !== 'AWS::CodeDeploy::DeploymentGroup') continue;
      if (r.value(res.Properties?.DeploymentGroupName) !== base) continue;
      const app = r.value(res.Properties?.ApplicationName);
      const aliasEntry = Object.entries(stack.template.Resources).find(
        ([, a]) =>
          a.Type === 'AWS::Lambda::Alias' &&
          (
            a as {
              UpdatePolicy?: {
                CodeDeployLambdaAliasUpdate?: { DeploymentGroupName?: { Ref?: string } };
              };
            }
          ).UpdatePolicy?.CodeDeployLambdaAliasUpdate?.DeploymentGroupName?.Ref === id,
      );
      if (!aliasEntry) throw new Error(`no alias is deployed by ${base} in ${stack.name}`);
      const [aliasId, alias] = aliasEntry;
      const alarms = (
        (res.Properties?.AlarmConfiguration as { Alarms?: { Name: unknown }[] })?.Alarms ?? []
      ).map((a) => place.arn('cloudwatch', `alarm:${r.value(a.Name)}`));
      return {
        service,
        fn: place.function(base),
        alias: r.value({ Ref: aliasId }),
        version:
          r.value(alias.Properties?.FunctionVersion) === VERSION_NUMBER
            ? `${place.fn(base)}:${VERSION_NUMBER}`
            : `${place.fn(base)}:${r.value(alias.Properties?.FunctionVersion)}`,
        group: place.arn('codedeploy', `deploymentgroup:${app}/${base}`),
        codeDeployRole: place.role(
          r.value(res.Properties?.ServiceRoleArn),
          `deployment group ${base}`,
        ),
        alarms,
        pre: place.function(hookFunctionName(prefix, service, 'pre')),
        post: place.function(hookFunctionName(prefix, service, 'post')),
      };
    }
  }
  throw new Error(`no deployment group ${base} in ${place.account}/${place.region}`);
}

/** The calls of a list bound to resources; a kind the binding lacks is an error naming it. */
function bind(
  label: string,
  calls: readonly (AwsCall & { module?: string })[],
  resources: Partial<Record<AwsResourceKind, readonly string[]>>,
): ExpectedCall[] {
  return calls.flatMap((call) => {
    const bound = call.on === 'none' ? ['*'] : resources[call.on];
    if (bound === undefined) {
      throw new Error(
        `${label}: ${call.module ?? call.command} calls ${call.action} on a ${call.on}, for which the IAM check knows no resource of this role. Fix: add it to the role's resources in scripts/iam/expectations.ts`,
      );
    }
    return bound.map((resource) => ({
      action: call.action,
      on: call.on,
      resource,
      ...(call.context && { context: call.context }),
      why: call.module ?? call.command,
    }));
  });
}

const ownsAll = () => true;

/** A stream of a function's own log group, as Lambda names them. */
function logStream(place: Place, fn: FunctionInfo): string {
  return place.arn(
    'logs',
    `log-group:/aws/lambda/${fn.name}:log-stream:2026/01/01/[$LATEST]0123456789abcdef`,
  );
}

function functionCalls(place: Place, fn: FunctionInfo, label: string): ExpectedCall[] {
  return bind(label, LAMBDA_SERVICE_CALLS, {
    'log-stream': [logStream(place, fn)],
    queue: fn.queues,
  });
}

/** Probes every function role gets: another function's logs. */
function functionProbes(place: Place, fn: FunctionInfo): ExpectedCall[] {
  return [
    {
      action: 'logs:PutLogEvents',
      resource: logStream(place, { ...fn, name: `${fn.name}-another-function` }),
      why: "another function's log group",
    },
  ];
}

function environmentExpectations(
  stage: StageModel,
  env: EnvironmentModel,
  app: IamApp,
): RoleExpectation[] {
  const place = new Place(app, env.account, env.region);
  const prefix = stage.prefix;
  const where = `${stage.name} ${env.name}`;
  const out: RoleExpectation[] = [];
  const deployments = stage.services.map((s) => deploymentOf(place, prefix, s.name));
  const other = (d: Deployment): Deployment | undefined => deployments.find((x) => x !== d);
  const otherAccount = env.account === '999999999999' ? '888888888888' : '999999999999';

  for (const d of deployments) {
    const label = (kind: string) => `${where}: ${d.service} ${kind}`;
    const neighbour = other(d);
    const otherAlias =
      neighbour?.alias ?? `${place.fn(serviceBaseName(prefix, 'another-service'))}:${LIVE_ALIAS}`;
    const otherVersion = `${d.fn.arn}:${Number(VERSION_NUMBER) + 1}`;
    const inAnotherAccount = (arn: string) => arn.replace(`:${env.account}:`, `:${otherAccount}:`);

    // The service's own function: Lambda's calls only (its code makes none this app grants).
    const serviceCalls = callsOf(
      ROOT,
      path.relative(ROOT, stage.services.find((s) => s.name === d.service)!.entry),
    );
    out.push({
      kind: 'service function',
      label: label('function'),
      role: place.role(d.fn.roleArn, `function ${d.fn.name}`),
      calls: [
        ...functionCalls(place, d.fn, label('function')),
        ...bind(label('function'), serviceCalls, {}),
      ],
      probes: [
        ...functionProbes(place, d.fn),
        { action: 'lambda:InvokeFunction', resource: otherAlias, why: "another service's alias" },
      ],
      owns: ownsAll,
      skipped: [],
    });

    // The traffic hooks: one bundle, whose modules each hook runs as its configuration says.
    for (const phase of ['pre', 'post'] as const) {
      const hook = phase === 'pre' ? d.pre : d.post;
      const judging = hook.environment[HOOK_ENV.judgement] !== undefined;
      const lattice = hook.environment[HOOK_ENV.targetUrl] !== undefined;
      const skipped = [
        ...(judging
          ? []
          : [
              {
                module: JUDGEMENT,
                reason: `${HOOK_ENV.judgement} is not set: it does not judge the release`,
              },
            ]),
        ...(lattice
          ? []
          : [
              {
                module: LATTICE_INVOKER,
                reason: `${HOOK_ENV.targetUrl} is not set: it invokes the function, not its Lattice front door`,
              },
            ]),
      ];
      const kind = phase === 'pre' ? 'pre-traffic hook' : 'post-traffic hook';
      const qualifier = hook.environment[HOOK_ENV.qualifier];
      const target = `${place.fn(hook.environment[HOOK_ENV.functionName])}:${qualifier}`;
      const calls = callsOf(
        ROOT,
        TRAFFIC_HOOK,
        skipped.map((s) => s.module),
      );
      out.push({
        kind,
        label: label(kind),
        role: place.role(hook.roleArn, `function ${hook.name}`),
        calls: [
          ...functionCalls(place, hook, label(kind)),
          ...bind(label(kind), calls, {
            'invoke-target': [...new Set([target, ...(judging ? [d.version] : [])])],
            'deployment-group': [d.group],
            'lattice-service': lattice ? [latticeServiceArn(place, prefix, d.service)] : [],
          }),
        ],
        probes: [
          ...functionProbes(place, hook),
          ...(phase === 'pre'
            ? [
                {
                  action: 'lambda:InvokeFunction',
                  resource: d.alias,
                  why: 'the alias: before traffic moves it only calls the new version',
                },
              ]
            : []),
          {
            action: 'lambda:InvokeFunction',
            resource: otherVersion,
            why: 'another version of its function',
          },
          {
            action: 'lambda:InvokeFunction',
            resource: d.fn.arn,
            why: 'its function, unqualified ($LATEST)',
          },
          { action: 'lambda:InvokeFunction', resource: otherAlias, why: "another service's alias" },
          {
            action: 'lambda:InvokeFunction',
            resource: inAnotherAccount(target),
            why: 'the same name in another account',
          },
          ...(neighbour
            ? [
                {
                  action: 'codedeploy:GetDeployment',
                  resource: neighbour.group,
                  why: "another service's deployment group",
                },
              ]
            : []),
          {
            action: 'cloudwatch:PutMetricData',
            resource: '*',
            context: { 'cloudwatch:namespace': `${VERDICT_NAMESPACE}-other` },
            why: "another metric namespace than the judge's",
          },
        ],
        owns: ownsAll,
        skipped,
      });
    }

    // CodeDeploy's service role of the deployment group.
    out.push({
      kind: 'CodeDeploy',
      label: label('CodeDeploy'),
      role: d.codeDeployRole,
      calls: [
        ...bind(label('CodeDeploy'), CODEDEPLOY_CALLS, {
          function: [d.fn.arn],
          alias: [d.alias],
          version: [d.version],
          hooks: [d.pre.arn, d.post.arn],
          alarm: d.alarms,
        }),
      ],
      probes: [
        ...(neighbour
          ? [
              {
                action: 'lambda:UpdateAlias',
                resource: neighbour.fn.arn,
                why: "another service's function",
              },
              {
                action: 'lambda:InvokeFunction',
                resource: neighbour.pre.arn,
                why: "another service's hook",
              },
              ...neighbour.alarms.map((a) => ({
                action: 'cloudwatch:DescribeAlarms',
                resource: a,
                why: "another service's alarm",
              })),
            ]
          : []),
        {
          action: 'lambda:UpdateAlias',
          resource: inAnotherAccount(d.fn.arn),
          why: 'the same name in another account',
        },
        { action: 'lambda:InvokeFunction', resource: d.alias, why: 'the service itself' },
        {
          action: 'lambda:InvokeFunction',
          resource: place.fn('CodeDeployHook_any'),
          why: 'a CodeDeployHook_ function',
        },
        {
          action: 's3:GetObject',
          resource: `arn:${place.partition}:s3:::any-bucket/CodeDeploy/revision.zip`,
          why: 'S3 revisions',
        },
      ],
      owns: ownsAll,
      skipped: [],
    });
  }

  // The stage's release judge in this environment.
  const judge = place.function(releaseJudgeName(prefix));
  const judgeLabel = `${where}: release judge`;
  out.push({
    kind: 'release judge',
    label: judgeLabel,
    role: place.role(judge.roleArn, `function ${judge.name}`),
    calls: [
      ...functionCalls(place, judge, judgeLabel),
      ...bind(judgeLabel, callsOf(ROOT, RELEASE_JUDGE), {
        'deployment-group': deployments.map((d) => d.group),
      }),
    ],
    probes: [
      ...functionProbes(place, judge),
      {
        action: 'codedeploy:BatchGetDeployments',
        resource: place.arn(
          'codedeploy',
          `deploymentgroup:app/another-pipeline-${stage.name}-${stage.services[0].name}`,
        ),
        why: "another pipeline's deployment group",
      },
      {
        action: 'cloudwatch:PutMetricData',
        resource: '*',
        context: { 'cloudwatch:namespace': `${VERDICT_NAMESPACE}-other` },
        why: "another metric namespace than the judge's",
      },
      ...deployments.map((d) => ({
        action: 'lambda:InvokeFunction',
        resource: d.alias,
        why: 'a service',
      })),
    ],
    owns: ownsAll,
    skipped: [],
  });
  return out;
}

function latticeServiceArn(place: Place, prefix: string, service: string): string {
  for (const stack of place.stacks()) {
    for (const [id, res] of Object.entries(stack.template.Resources)) {
      if (
        res.Type === 'AWS::VpcLattice::Service' &&
        stack.resolver.value(res.Properties?.Name) === serviceBaseName(prefix, service)
      ) {
        return `${stack.resolver.value({ 'Fn::GetAtt': [id, 'Arn'] })}/checks`;
      }
    }
  }
  throw new Error(
    `${service} calls its Lattice front door, which it does not have in ${place.account}/${place.region}`,
  );
}

function pipelineExpectations(model: AppModel, app: IamApp): RoleExpectation[] {
  const tools = new Place(app, model.pipelineEnv.account, model.pipelineEnv.region);
  const stack = app.stacks.find((s) => s.name === `${model.pipelineName}-pipeline`);
  if (!stack) throw new Error(`no stack ${model.pipelineName}-pipeline in ${app.outdir}`);
  const out: RoleExpectation[] = [];
  const pipelineEntry = Object.entries(stack.template.Resources).find(
    ([, r]) => r.Type === 'AWS::CodePipeline::Pipeline',
  );
  if (!pipelineEntry) throw new Error(`no pipeline in ${stack.name}`);
  const [, pipeline] = pipelineEntry;
  const stranger = (account: string) => `arn:${tools.partition}:iam::${account}:role/not-this-app`;

  // The pipeline's own role: the entry rules assume each environment's lookup role.
  const entryRoles = [...new Set(model.stages.flatMap(entryRuleRoleArns))];
  const pipelineRole = tools.role(
    stack.resolver.value(pipeline.Properties?.RoleArn),
    'the pipeline',
  );
  out.push({
    kind: 'pipeline',
    label: 'pipeline',
    role: pipelineRole,
    calls: bind('pipeline', ENTRY_RULE_CALLS, { role: entryRoles }).map((c) => ({
      ...c,
      identityOnly: true,
    })),
    probes: stageEnvAccounts(model).map((account) => ({
      action: 'sts:AssumeRole',
      resource: stranger(account),
      why: 'another role of an environment account',
      identityOnly: true,
    })),
    owns: (s) => s.Sid === 'ReadHealthAlarmsAtEntry',
    skipped: [],
  });

  // The bake function, and the alarm reader it assumes in each environment.
  const bakes = [...new Set(model.stages.flatMap(bakeRoleArns))];
  if (bakes.length > 0) {
    const gate = tools.function(healthGateName(model.pipelineName));
    const gateRole = tools.role(gate.roleArn, `function ${gate.name}`);
    const calls = callsOf(ROOT, HEALTH_GATE);
    const own = calls.filter((c) => c.as !== 'assumed-role');
    const assumed = calls.filter((c) => c.as === 'assumed-role');
    out.push({
      kind: 'bake function',
      label: 'bake function',
      role: gateRole,
      calls: [
        ...functionCalls(tools, gate, 'bake function'),
        ...bind('bake function', own, { role: bakes }),
      ],
      probes: [
        ...functionProbes(tools, gate),
        ...stageEnvAccounts(model).map((account) => ({
          action: 'sts:AssumeRole',
          resource: stranger(account),
          why: 'another role of an environment account',
          identityOnly: true,
        })),
      ],
      owns: ownsAll,
      skipped: [],
    });
    for (const stage of model.stages) {
      if (stage.bakeMinutes <= 0) continue;
      for (const env of stageEnvironments(stage)) {
        const place = new Place(app, env.account, env.region);
        const roleArn = conditionsRoleArn(stage, env);
        const label = `${stage.name} ${env.name}: alarm reader`;
        const health = place.arn('cloudwatch', `alarm:${stageHealthAlarmName(stage.prefix)}`);
        out.push({
          kind: 'alarm reader',
          label,
          role: place.role(roleArn, label),
          calls: bind(label, assumed, { alarm: [health] }),
          probes: [
            {
              action: 'cloudwatch:DescribeAlarmHistory',
              resource: place.arn('cloudwatch', `alarm:${stage.prefix}-another-alarm`),
              why: 'another alarm',
            },
            { action: 'cloudwatch:PutMetricAlarm', resource: health, why: 'changing the alarm' },
            {
              action: 'sts:AssumeRole',
              resource: roleArn,
              why: `assuming the alarm reader as another identity of the pipeline's account (${model.pipelineEnv.account}) allowed sts:AssumeRole on "*"`,
              principal: {
                arn: stranger(model.pipelineEnv.account),
                policies: [{ Effect: 'Allow' as const, Action: 'sts:AssumeRole', Resource: '*' }],
              },
            },
          ],
          owns: ownsAll,
          skipped: [],
        });
      }
    }
  }

  // Each wave's smoke step: its targets file says what it calls.
  for (const stage of model.stages) {
    if (!stage.smokeTests) continue;
    for (const wave of stage.waves) {
      const file = path.join(app.outdir, smokeTargetsPath(stage.name, wave.index));
      const targets = (JSON.parse(fs.readFileSync(file, 'utf8')) as SmokeTargets).targets;
      const label = `${stage.name} wave ${wave.index}: smoke step`;
      const lattice = targets.some((t) => t.url !== undefined);
      const skipped = lattice
        ? []
        : [
            {
              module: LATTICE_INVOKER,
              reason: 'no target of its file has a Lattice url: it invokes the aliases',
            },
          ];
      if (lattice) {
        throw new Error(
          `${file} has a Lattice url, which the IAM check cannot map to a Lattice service ARN`,
        );
      }
      const role = smokeStepRole(tools, stack, smokeTestStepName(stage, wave));
      const calls = callsOf(
        ROOT,
        SMOKE_STEP,
        skipped.map((s) => s.module),
      );
      const aliases = targets.map((t) => t.aliasArn);
      out.push({
        kind: 'smoke step',
        label,
        role,
        calls: bind(label, calls, { 'invoke-target': aliases }),
        probes: aliases.flatMap((alias) => {
          const account = alias.split(':')[4];
          const fn = alias.slice(0, alias.lastIndexOf(':'));
          return [
            {
              action: 'lambda:InvokeFunction',
              resource: `${fn}:${VERSION_NUMBER}`,
              why: 'a version of the function (not its alias)',
            },
            {
              action: 'lambda:InvokeFunction',
              resource: fn,
              why: 'the function unqualified ($LATEST)',
            },
            ...(account !== model.pipelineEnv.account
              ? [
                  {
                    action: 'lambda:InvokeFunction',
                    resource: alias,
                    why: `another identity of the pipeline's account (${model.pipelineEnv.account}) allowed lambda:InvokeFunction on "*"`,
                    principal: {
                      arn: stranger(model.pipelineEnv.account),
                      policies: [
                        {
                          Effect: 'Allow' as const,
                          Action: 'lambda:InvokeFunction',
                          Resource: '*',
                        },
                      ],
                    },
                  },
                ]
              : []),
          ];
        }),
        owns: (s) =>
          ([] as string[])
            .concat(s.Action ?? [])
            .every((a) => !/^(s3|kms|logs|codebuild):/.test(a)),
        skipped,
      });
    }
  }
  return out;
}

/** The CodeBuild role of the smoke step named `step`, found through its pipeline action. */
function smokeStepRole(tools: Place, stack: StackInfo, step: string): RoleInfo {
  const r = stack.resolver;
  const pipeline = Object.values(stack.template.Resources).find(
    (x) => x.Type === 'AWS::CodePipeline::Pipeline',
  )!;
  const stages = (pipeline.Properties?.Stages ?? []) as {
    Actions: { Name: string; Configuration?: { ProjectName?: { Ref?: string } } }[];
  }[];
  for (const s of stages) {
    for (const action of s.Actions) {
      if (action.Name !== step) continue;
      const projectId = action.Configuration?.ProjectName?.Ref;
      if (!projectId) break;
      const project = r.resource(projectId);
      return tools.role(r.value(project.Properties?.ServiceRole), `smoke step ${step}`);
    }
  }
  throw new Error(`no CodeBuild action ${step} in the pipeline`);
}

function stageEnvAccounts(model: AppModel): string[] {
  return [...new Set(model.stages.flatMap((s) => stageEnvironments(s).map((e) => e.account)))];
}
