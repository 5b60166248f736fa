import type { AppModel, ServiceModel, StageModel } from '../../../lib/config/model';
import { Strategy, type DeploymentStrategy } from '../../../lib/config/strategy';
import {
  appModel as buildAppModel,
  serviceModel,
  stageModel,
  type StageOptions,
} from '../../helpers/model';

/** A service resolved for a stage, with `checks` placeholder synthetic checks. */
export function service(
  name: string,
  strategy: DeploymentStrategy,
  checks = 2,
  alarms: ServiceModel['alarms'] = {
    errorRatePercent: 1,
    minInvocationsPerMinute: 10,
    p99LatencyMs: 800,
    maxThrottles: 2,
  },
): ServiceModel {
  return serviceModel(name, {
    alarms,
    strategy,
    checks: Array.from({ length: checks }, (_, i) => ({
      name: `check ${i + 1}`,
      event: {},
      expect: { statusCode: 200 },
    })),
  });
}

export function stage(
  name: string,
  strategy: DeploymentStrategy,
  services: readonly ServiceModel[],
  opts: StageOptions = {},
): StageModel {
  return stageModel(name, strategy, services, opts);
}

export function appModel(stages: readonly StageModel[], branch = 'main'): AppModel {
  return buildAppModel(stages, { branch });
}

/**
 * What the real configuration does not have (yet): three stages, hyphenated service names,
 * custom canary and linear strategies, a per-service override, a branch with characters that
 * Markdown and Mermaid treat specially.
 */
export function stressModel(): AppModel {
  const canary = Strategy.canary(25, 5);
  return appModel(
    [
      stage(
        'dev',
        Strategy.allAtOnce(),
        [
          service('order-history', Strategy.allAtOnce(), 3),
          service('payments', Strategy.allAtOnce(), 1),
        ],
        { smokeTests: true },
      ),
      stage(
        'staging',
        canary,
        [service('order-history', canary), service('payments', Strategy.linear(20, 3))],
        { requiresApproval: true, smokeTests: true },
      ),
      stage(
        'prod',
        Strategy.predefined('LINEAR_10PERCENT_EVERY_10MINUTES'),
        [
          service('order-history', Strategy.predefined('LINEAR_10PERCENT_EVERY_10MINUTES')),
          service('payments', Strategy.predefined('CANARY_10PERCENT_30MINUTES'), 1, {
            errorRatePercent: 5,
            minInvocationsPerMinute: 20,
            p99LatencyMs: 2500,
            maxThrottles: 10,
          }),
        ],
        { requiresApproval: true },
      ),
    ],
    'release/2.0|"hotfix" #1 <b>',
  );
}
