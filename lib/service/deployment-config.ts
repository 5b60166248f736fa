import { Duration } from 'aws-cdk-lib';
import {
  LambdaDeploymentConfig,
  TimeBasedCanaryTrafficRouting,
  TimeBasedLinearTrafficRouting,
  type ILambdaDeploymentConfig,
} from 'aws-cdk-lib/aws-codedeploy';
import type { Construct } from 'constructs';
import { strategyLabel, type DeploymentStrategy } from '../config/strategy';

/**
 * The CodeDeploy config for a strategy: a predefined one by reference, or a custom canary or
 * linear config created once per scope (named after the strategy, so services that share one
 * share the resource).
 */
export function deploymentConfigFor(
  scope: Construct,
  strategy: DeploymentStrategy,
): ILambdaDeploymentConfig {
  if (strategy.kind === 'predefined') return LambdaDeploymentConfig[strategy.name];
  const id = `DeploymentConfig-${strategyLabel(strategy)}`;
  const existing = scope.node.tryFindChild(id);
  if (existing) return existing as LambdaDeploymentConfig;
  const interval = Duration.minutes(strategy.intervalMinutes);
  const trafficRouting =
    strategy.kind === 'canary'
      ? new TimeBasedCanaryTrafficRouting({ interval, percentage: strategy.percentage })
      : new TimeBasedLinearTrafficRouting({ interval, percentage: strategy.percentage });
  return new LambdaDeploymentConfig(scope, id, { trafficRouting });
}
