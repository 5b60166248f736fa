import type { AwsCall } from '../../runtime/aws-calls';
import { MAX_RULES_PER_CONDITION } from '../config/grouping';
import type { EnvironmentModel, StageModel, WaveModel } from '../config/model';
import type { GateParameters } from '../../runtime/gates/health-gate';
import {
  bootstrapLookupRoleName,
  conditionsRoleName,
  healthGateName,
  stageHealthAlarmName,
} from '../resource-names';
import { partitionOf } from './smoke-targets';

/**
 * What the pipeline's role does for the entry rules (`CloudWatchAlarm` rules with a `RoleArn`):
 * CodePipeline assumes each environment's read-only bootstrap lookup role with it.
 */
export const ENTRY_RULE_CALLS: readonly AwsCall[] = [
  { command: 'CodePipeline: CloudWatchAlarm rule', action: 'sts:AssumeRole', on: 'role' },
];

/** A rule of a condition, as CloudFormation's `AWS::CodePipeline::Pipeline` declares it. */
export interface RuleJson {
  readonly Name: string;
  readonly RuleTypeId: { Category: 'Rule'; Owner: 'AWS'; Provider: string; Version: '1' };
  readonly Configuration: Record<string, string>;
  readonly Region?: string;
  readonly RoleArn?: string;
}

/** The entry condition of a CodePipeline stage: its rules, and FAIL when one fails. */
export interface EntryConditionJson {
  readonly Conditions: { Result: 'FAIL'; Rules: RuleJson[] }[];
}

/** The conditions of a CodePipeline stage, as CloudFormation JSON. */
export interface StageConditions {
  readonly BeforeEntry?: EntryConditionJson;
  /** The stage failed (a deployment rolled back, a smoke test or the bake failed): roll it back. */
  readonly OnFailure?: { readonly Result: 'ROLLBACK' };
}

const ruleType = (provider: string): RuleJson['RuleTypeId'] => ({
  Category: 'Rule',
  Owner: 'AWS',
  Provider: provider,
  Version: '1',
});

/**
 * The role the entry rules assume in an environment to read its health alarm: the CDK bootstrap's
 * read-only lookup role, which exists from the moment the environment is bootstrapped with
 * `--trust <tools account>` (a step the README names). CodePipeline may check a rule's role
 * when the pipeline is created or changed, before the Monitoring stage has run, so a role a stack
 * of this app creates would not exist yet at the pipeline's first deploy, or when a region is
 * added.
 */
export function entryRuleRoleArn(env: EnvironmentModel): string {
  return `arn:${partitionOf(env.region)}:iam::${env.account}:role/${bootstrapLookupRoleName(env.account, env.region)}`;
}

/**
 * The role the bake action assumes in an environment to read the health alarm and its history:
 * the one the stage's Monitoring stack creates there, allowed nothing else. The Monitoring stage
 * runs before any stage in every execution, so the role exists when a bake first runs.
 */
export function conditionsRoleArn(stage: StageModel, env: EnvironmentModel): string {
  return `arn:${partitionOf(env.region)}:iam::${env.account}:role/${conditionsRoleName(stage.prefix, env.region)}`;
}

/**
 * The role of the bake function (`<pipeline>-health-gate`, named like the function) in the
 * pipeline's account: the only identity the alarm readers trust.
 */
export function healthGateRoleArn(
  pipelineName: string,
  pipelineEnv: { account: string; region: string },
): string {
  return `arn:${partitionOf(pipelineEnv.region)}:iam::${pipelineEnv.account}:role/${healthGateName(pipelineName)}`;
}

/** The deployment window as a rule. */
function windowRule(stage: StageModel): RuleJson[] {
  if (!stage.deploymentWindow) return [];
  return [
    {
      Name: 'DeploymentWindow',
      RuleTypeId: ruleType('DeploymentWindow'),
      Configuration: {
        Cron: stage.deploymentWindow.cron,
        TimeZone: stage.deploymentWindow.timeZone,
      },
    },
  ];
}

/**
 * The conditions of the CodePipeline stage that deploys one wave:
 *
 * - before entry, result FAIL: the deployment window (every wave), and, when the stage blocks
 *   while alarming, the health alarm of each environment of the wave, with a `WaitTime` of
 *   `blockWaitMinutes`: CodePipeline holds a release whose alarm is in ALARM when it arrives
 *   for up to that long, lets it in as soon as the alarm clears, and fails it naming the alarm
 *   only after that. The approval, where the stage asks for one, is a stage of its own before
 *   the first wave, so these are checked after a person said yes, just before deploying.
 * - on failure, result ROLLBACK, where the stage bakes: a failed bake, smoke test or deployment
 *   rolls the wave back to its last successful execution; later waves never start.
 *
 * `npm run ops -- override` lets a held release in.
 */
export function waveConditions(stage: StageModel, wave: WaveModel): StageConditions {
  const rules = [
    ...windowRule(stage),
    ...(stage.blockWhileAlarming
      ? wave.environments.map((env): RuleJson => ({
          Name: `Healthy-${env.name}`.slice(0, 100),
          RuleTypeId: ruleType('CloudWatchAlarm'),
          Configuration: {
            AlarmName: stageHealthAlarmName(stage.prefix),
            AlarmStates: 'ALARM',
            WaitTime: String(stage.blockWaitMinutes),
          },
          Region: env.region,
          RoleArn: entryRuleRoleArn(env),
        }))
      : []),
  ];
  if (rules.length > MAX_RULES_PER_CONDITION) {
    throw new Error(
      `stage ${stage.name}, wave ${wave.index}: its entry condition needs ${rules.length} rules, more than the ${MAX_RULES_PER_CONDITION} CodePipeline allows. Fix: spread the wave's environments over more waves`,
    );
  }
  return {
    ...(rules.length > 0 && { BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: rules }] } }),
    ...(stage.bakeMinutes > 0 && { OnFailure: { Result: 'ROLLBACK' } }),
  };
}

/**
 * The conditions of a stage's approval stage: its deployment window, so that the approval is
 * asked for while the window is open (and the window is open again when the first wave checks
 * it right after a prompt approval; CodePipeline does not check an alarm rule again once a
 * window rule in the same condition opens).
 */
export function approvalConditions(stage: StageModel): StageConditions {
  const rules = windowRule(stage);
  return rules.length > 0
    ? { BeforeEntry: { Conditions: [{ Result: 'FAIL', Rules: rules }] } }
    : {};
}

/** What the bake action of a wave watches. */
export function bakeParameters(stage: StageModel, wave: WaveModel): GateParameters {
  return {
    minutes: stage.bakeMinutes,
    alarm: stageHealthAlarmName(stage.prefix),
    environments: wave.environments.map((env) => ({
      name: env.name,
      region: env.region,
      roleArn: conditionsRoleArn(stage, env),
    })),
  };
}

/** The roles the pipeline assumes for a stage's entry rules, one per environment. */
export function entryRuleRoleArns(stage: StageModel): string[] {
  return stage.blockWhileAlarming
    ? stage.waves.flatMap((w) => w.environments.map(entryRuleRoleArn))
    : [];
}

/** The roles the bake action assumes for a stage, one per environment. */
export function bakeRoleArns(stage: StageModel): string[] {
  return stage.bakeMinutes > 0
    ? stage.waves.flatMap((w) => w.environments.map((e) => conditionsRoleArn(stage, e)))
    : [];
}
