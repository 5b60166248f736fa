import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  PREDEFINED_CONFIGS,
  Strategy,
  type DeploymentStrategy,
} from '../../../lib/config/strategy';
import { CODEDEPLOY_NAMES } from '../../../lib/plan/codedeploy';
import { deploymentConfigFor } from '../../../lib/service/deployment-config';

const cases: [DeploymentStrategy, Record<string, unknown>][] = [
  [Strategy.canary(25, 5), { TimeBasedCanary: { CanaryPercentage: 25, CanaryInterval: 5 } }],
  [Strategy.linear(20, 3), { TimeBasedLinear: { LinearPercentage: 20, LinearInterval: 3 } }],
];

test.each(cases)(
  '%j becomes one custom deployment config, shared by the services that use it',
  (strategy, routing) => {
    const stack = new Stack();
    deploymentConfigFor(stack, strategy);
    deploymentConfigFor(stack, strategy);
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 1);
    t.hasResourceProperties('AWS::CodeDeploy::DeploymentConfig', {
      ComputePlatform: 'Lambda',
      TrafficRoutingConfig: Match.objectLike(routing),
    });
  },
);

test.each(PREDEFINED_CONFIGS.map((name) => [name]))(
  'the predefined %s is referred to by its CodeDeploy name',
  (name) => {
    const stack = new Stack();
    Validations.of(stack).acknowledge({
      id: 'CloudFormation-Validate::F0001',
      reason: 'This stack is empty on purpose: a predefined config adds no resource.',
    });
    const cfg = deploymentConfigFor(stack, Strategy.predefined(name));
    expect(stack.resolve(cfg.deploymentConfigName)).toBe(CODEDEPLOY_NAMES[name]);
    Template.fromStack(stack).resourceCountIs('AWS::CodeDeploy::DeploymentConfig', 0);
  },
);
