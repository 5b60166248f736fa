import type { DeploymentStrategy, PredefinedConfigName } from '../config/strategy';

/**
 * What CodeDeploy receives for a strategy: a predefined config by its `CodeDeployDefault.*`
 * name, or a custom config with a time-based traffic routing (as CloudFormation's
 * `AWS::CodeDeploy::DeploymentConfig` `TrafficRoutingConfig` spells it).
 */
export type CodeDeployConfig =
  | { readonly name: string }
  | {
      readonly trafficRouting:
        | {
            readonly Type: 'TimeBasedCanary';
            readonly TimeBasedCanary: { CanaryPercentage: number; CanaryInterval: number };
          }
        | {
            readonly Type: 'TimeBasedLinear';
            readonly TimeBasedLinear: { LinearPercentage: number; LinearInterval: number };
          };
    };

/** The predefined Lambda configs by the names CodeDeploy knows them under. */
export const CODEDEPLOY_NAMES: Readonly<Record<PredefinedConfigName, string>> = {
  ALL_AT_ONCE: 'CodeDeployDefault.LambdaAllAtOnce',
  CANARY_10PERCENT_5MINUTES: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
  CANARY_10PERCENT_10MINUTES: 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
  CANARY_10PERCENT_15MINUTES: 'CodeDeployDefault.LambdaCanary10Percent15Minutes',
  CANARY_10PERCENT_30MINUTES: 'CodeDeployDefault.LambdaCanary10Percent30Minutes',
  LINEAR_10PERCENT_EVERY_1MINUTE: 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute',
  LINEAR_10PERCENT_EVERY_2MINUTES: 'CodeDeployDefault.LambdaLinear10PercentEvery2Minutes',
  LINEAR_10PERCENT_EVERY_3MINUTES: 'CodeDeployDefault.LambdaLinear10PercentEvery3Minutes',
  LINEAR_10PERCENT_EVERY_10MINUTES: 'CodeDeployDefault.LambdaLinear10PercentEvery10Minutes',
};

export function codeDeployConfig(strategy: DeploymentStrategy): CodeDeployConfig {
  switch (strategy.kind) {
    case 'predefined':
      return { name: CODEDEPLOY_NAMES[strategy.name] };
    case 'canary':
      return {
        trafficRouting: {
          Type: 'TimeBasedCanary',
          TimeBasedCanary: {
            CanaryPercentage: strategy.percentage,
            CanaryInterval: strategy.intervalMinutes,
          },
        },
      };
    case 'linear':
      return {
        trafficRouting: {
          Type: 'TimeBasedLinear',
          TimeBasedLinear: {
            LinearPercentage: strategy.percentage,
            LinearInterval: strategy.intervalMinutes,
          },
        },
      };
  }
}

/** `CodeDeployDefault.LambdaAllAtOnce`, or `custom: 25% for 5 min, then 100%` for a custom one. */
export function describeCodeDeployConfig(config: CodeDeployConfig): string {
  if ('name' in config) return config.name;
  const routing = config.trafficRouting;
  return routing.Type === 'TimeBasedCanary'
    ? `custom: ${routing.TimeBasedCanary.CanaryPercentage}% for ${routing.TimeBasedCanary.CanaryInterval} min, then 100%`
    : `custom: +${routing.TimeBasedLinear.LinearPercentage}% every ${routing.TimeBasedLinear.LinearInterval} min`;
}
