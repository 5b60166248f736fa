import { MAX_RULES_PER_CONDITION } from '../config/grouping';
import type { EnvironmentModel, StageModel, WaveModel } from '../config/model';
import { conditionsRoleName, stageHealthAlarmName } from '../resource-names';
import { partitionOf } from './smoke-targets';

/** A rule of a condition, as CloudFormation's `AWS::CodePipeline::Pipeline` declares it. */
export interface RuleJson {
  readonly Name: string;
  readonly RuleTypeId: { Category: 'Rule'; Owner: 'AWS'; Provider: string; Version: '1' };
  readonly Configuration: Record<string, string>;
  readonly Region?: string;
  readonly RoleArn?: string;
}

/** One condition: its rules and what happens when one fails. */
export interface ConditionsJson {
  readonly Conditions: { Result: 'FAIL' | 'ROLLBACK'; Rules: RuleJson[] }[];
}

/** The conditions of the CodePipeline stage that deploys one wave, as CloudFormation JSON. */
export interface WaveConditions {
  readonly BeforeEntry?: ConditionsJson;
  readonly OnSuccess?: ConditionsJson;
}

const ruleType = (provider: string): RuleJson['RuleTypeId'] => ({
  Category: 'Rule',
  Owner: 'AWS',
  Provider: provider,
  Version: '1',
});

/** The role in an environment that a rule assumes to read the stage's health alarm. */
export function conditionsRoleArn(stage: StageModel, env: EnvironmentModel): string {
  return `arn:${partitionOf(env.region)}:iam::${env.account}:role/${conditionsRoleName(stage.prefix, env.region)}`;
}

/** A rule on the stage's health alarm in one environment. */
function healthRule(
  name: string,
  stage: StageModel,
  env: EnvironmentModel,
  waitMinutes?: number,
): RuleJson {
  return {
    Name: `${name}-${env.name}`.slice(0, 100),
    RuleTypeId: ruleType('CloudWatchAlarm'),
    Configuration: {
      AlarmName: stageHealthAlarmName(stage.prefix),
      AlarmStates: 'ALARM',
      ...(waitMinutes !== undefined && { WaitTime: String(waitMinutes) }),
    },
    Region: env.region,
    RoleArn: conditionsRoleArn(stage, env),
  };
}

/**
 * CodePipeline's own release gates for one wave (V2 stage conditions, no poller of ours):
 *
 * - before entry, result FAIL: the stage's deployment window (first wave only; a
 *   `DeploymentWindow` rule, listed first because CodePipeline does not check an alarm rule again
 *   once the window opens), and, when the stage blocks while alarming, the health alarm of each
 *   environment of the wave: a wave does not start while its environments are unhealthy;
 * - on success, result ROLLBACK: the bake. After the wave's deployments reach 100%, the health
 *   alarm of each of its environments is watched for `bakeMinutes`; if one fires, CodePipeline
 *   rolls the wave back to the last successful execution (CloudFormation and CodeDeploy agree
 *   afterwards), and later waves and stages never start.
 *
 * Both can be overridden on purpose (`npm run ops -- override`).
 */
export function waveConditions(stage: StageModel, wave: WaveModel): WaveConditions {
  const entryRules: RuleJson[] = [];
  if (wave.index === 1 && stage.deploymentWindow) {
    entryRules.push({
      Name: 'DeploymentWindow',
      RuleTypeId: ruleType('DeploymentWindow'),
      Configuration: {
        Cron: stage.deploymentWindow.cron,
        TimeZone: stage.deploymentWindow.timeZone,
      },
    });
  }
  if (stage.blockWhileAlarming) {
    entryRules.push(...wave.environments.map((env) => healthRule('Healthy', stage, env)));
  }
  const bakeRules =
    stage.bakeMinutes > 0
      ? wave.environments.map((env) => healthRule('Bake', stage, env, stage.bakeMinutes))
      : [];
  for (const [what, rules] of [
    ['entry', entryRules],
    ['bake', bakeRules],
  ] as const) {
    if (rules.length > MAX_RULES_PER_CONDITION) {
      throw new Error(
        `stage ${stage.name}, wave ${wave.index}: its ${what} condition needs ${rules.length} rules, more than the ${MAX_RULES_PER_CONDITION} CodePipeline allows. Fix: spread the wave's environments over more waves`,
      );
    }
  }
  return {
    BeforeEntry: entryRules.length
      ? { Conditions: [{ Result: 'FAIL', Rules: entryRules }] }
      : undefined,
    OnSuccess: bakeRules.length
      ? { Conditions: [{ Result: 'ROLLBACK', Rules: bakeRules }] }
      : undefined,
  };
}

/** The roles the pipeline assumes for a stage's conditions, one per environment. */
export function conditionRoleArns(stage: StageModel): string[] {
  const needs = stage.blockWhileAlarming || stage.bakeMinutes > 0;
  return needs
    ? stage.waves.flatMap((w) => w.environments.map((e) => conditionsRoleArn(stage, e)))
    : [];
}
