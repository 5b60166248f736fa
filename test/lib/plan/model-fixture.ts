import type { AppModel, ServiceModel, StageModel } from '../../../lib/config/model';
import { Strategy, type DeploymentStrategy } from '../../../lib/config/strategy';
import {
  appModel as buildAppModel,
  environmentModel,
  serviceModel,
  stageModel,
  type StageOptions,
} from '../../helpers/model';

/** A service resolved for a stage, with `checks` placeholder synthetic checks. */
export function service(
  name: string,
  strategy: DeploymentStrategy,
  checks = 2,
  overrides: Partial<ServiceModel> = {},
): ServiceModel {
  return serviceModel(name, {
    strategy,
    checks: Array.from({ length: checks }, (_, i) => ({
      name: `check ${i + 1}`,
      event: {},
      expect: { statusCode: 200 },
    })),
    ...overrides,
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
  return buildAppModel(stages, { branch, regions: [...new Set(stages.flatMap(regionsOf))] });
}

const regionsOf = (s: StageModel) => s.waves.flatMap((w) => w.environments.map((e) => e.region));

/** The regions of the fixture's waves: the first wave's one region, then the other two. */
export const WAVE_REGIONS = [['eu-west-1'], ['us-east-1', 'ap-southeast-2']] as const;

/** The deployment window of the fixture's last stage. */
export const WINDOW = { cron: '* 0-59 9-16 ? * MON-FRI', timeZone: 'Europe/Berlin' } as const;

/**
 * What the sample configuration does not have (yet), with names, accounts and regions of its
 * own: a last stage in two waves over three regions and two accounts (one region, then two in
 * parallel), a deployment window, the alarm blocker and a bake; custom canary and linear
 * strategies with a per-service override; a service with a VPC Lattice front door and one
 * without; the baseline comparison on for one service and off for the other; a minimum of
 * invocations that fails, one that generates traffic, and none; hyphenated service names; and
 * a branch with characters that Markdown and Mermaid treat specially.
 */
export function stressModel(branch = 'release/2.0|"hotfix" #1 <b>'): AppModel {
  const canary = Strategy.canary(25, 5);
  const judged = (
    watchMinutes: number,
    onQuiet: 'fail' | 'generate-traffic',
    compareToBaseline = true,
  ) => ({
    baselineErrorRatePercent: 0.2,
    confidencePercent: 99,
    powerPercent: 90,
    onQuiet,
    compareToBaseline,
    watchMinutes,
  });
  return appModel(
    [
      stage(
        'qa',
        Strategy.allAtOnce(),
        [
          service('order-history', Strategy.allAtOnce(), 3, {
            lattice: true,
            canary: judged(10, 'fail'),
          }),
          service('payments', Strategy.allAtOnce(), 1, { canary: judged(10, 'fail') }),
        ],
        { account: '444444444444', region: WAVE_REGIONS[0][0] },
      ),
      stage(
        'live',
        canary,
        [
          service('order-history', Strategy.linear(20, 3), 2, {
            lattice: true,
            canary: judged(8, 'generate-traffic', false),
          }),
          service('payments', canary, 1, {
            alarms: {
              errorRatePercent: 5,
              minInvocationsPerMinute: 20,
              p99LatencyMs: 2500,
              maxThrottles: 10,
            },
            canary: judged(12, 'fail'),
          }),
        ],
        {
          requiresApproval: true,
          smokeTests: true,
          bakeMinutes: 20,
          blockWhileAlarming: true,
          deploymentWindow: WINDOW,
          waves: [
            [environmentModel('live-eu', '555555555555', WAVE_REGIONS[0][0])],
            [
              environmentModel('live-us', '555555555555', WAVE_REGIONS[1][0]),
              environmentModel('live-ap', '666666666666', WAVE_REGIONS[1][1]),
            ],
          ],
        },
      ),
    ],
    branch,
  );
}

/** A stage of `count` services that share every setting but their name. */
export function manyServices(count: number, opts: { lattice?: boolean } = {}): AppModel {
  const env = (name: string, region: string) => environmentModel(name, '555555555555', region);
  return appModel([
    stage(
      'bulk',
      Strategy.predefined('CANARY_10PERCENT_5MINUTES'),
      Array.from({ length: count }, (_, i) =>
        service(`service-${i}`, Strategy.predefined('CANARY_10PERCENT_5MINUTES'), 2, {
          lattice: opts.lattice ?? false,
        }),
      ),
      {
        requiresApproval: true,
        smokeTests: true,
        bakeMinutes: 10,
        blockWhileAlarming: true,
        waves: [[env('bulk-eu', 'eu-west-1')], [env('bulk-us', 'us-east-1')]],
      },
    ),
  ]);
}
