import * as path from 'path';
import type { AppModel, EnvironmentModel, ServiceModel, StageModel } from '../../lib/config/model';
import { Strategy, type DeploymentStrategy } from '../../lib/config/strategy';
import { stagePrefix } from '../../lib/resource-names';

/**
 * Models built by hand for tests that own their configuration: any valid model must do, so
 * these use names, accounts and regions of their own, never the sample's.
 */
export const FIXTURE_PIPELINE = 'fixture-pipeline';

/** A resolved service for tests that build models by hand; `overrides` replace any field. */
export function serviceModel(name: string, overrides: Partial<ServiceModel> = {}): ServiceModel {
  const strategy = overrides.strategy ?? Strategy.predefined('CANARY_10PERCENT_10MINUTES');
  return {
    name,
    stack: name,
    dir: `/nowhere/services/${name}`,
    entry: `/nowhere/services/${name}/handler.ts`,
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: {},
    alarms: { errorRatePercent: 2, minInvocationsPerMinute: 5, p99LatencyMs: 800, maxThrottles: 3 },
    canary: {
      baselineErrorRatePercent: 0.2,
      confidencePercent: 99,
      powerPercent: 90,
      onQuiet: 'fail',
      compareToBaseline: true,
      watchMinutes: 10,
    },
    lattice: false,
    strategy,
    checks: [],
    ...overrides,
  };
}

/** The services under test/fixtures/services/, whose handlers bundle for real. */
export const FIXTURE_SERVICES = ['alpha', 'beta-two'] as const;

/**
 * A fixture service with a real handler (test/fixtures/services/<name>/handler.ts) and
 * synthetic checks of its own; `overrides` replace any field.
 */
export function fixtureService(
  name: (typeof FIXTURE_SERVICES)[number],
  overrides: Partial<ServiceModel> = {},
): ServiceModel {
  const dir = path.join(__dirname, '..', 'fixtures', 'services', name);
  return serviceModel(name, {
    dir,
    entry: path.join(dir, 'handler.ts'),
    checks: [
      { name: `${name} answers`, event: { rawPath: '/' }, expect: { statusCode: 200 } },
      { name: `${name} is quick`, event: { rawPath: '/' }, expect: { maxLatencyMs: 2000 } },
    ],
    ...overrides,
  });
}

/** An environment of `pipeline.config.ts`, with the Lattice defaults. */
export function environmentModel(
  name: string,
  account = '444444444444',
  region = 'eu-west-1',
  overrides: Partial<EnvironmentModel> = {},
): EnvironmentModel {
  return {
    name,
    account,
    region,
    lattice: { vpcIds: [], allowedAccounts: [account] },
    ...overrides,
  };
}

export interface StageOptions {
  readonly requiresApproval?: boolean;
  readonly smokeTests?: boolean;
  readonly account?: string;
  readonly region?: string;
  /** Environments per wave; default one wave of one environment named after the stage. */
  readonly waves?: readonly (readonly EnvironmentModel[])[];
  readonly bakeMinutes?: number;
  readonly blockWhileAlarming?: boolean;
  readonly blockWaitMinutes?: number;
  readonly deploymentWindow?: StageModel['deploymentWindow'];
  readonly pipelineName?: string;
}

export function stageModel(
  name: string,
  strategy: DeploymentStrategy,
  services: readonly ServiceModel[],
  opts: StageOptions = {},
): StageModel {
  const waves = opts.waves ?? [[environmentModel(name, opts.account, opts.region)]];
  return {
    name,
    prefix: stagePrefix(opts.pipelineName ?? FIXTURE_PIPELINE, name),
    waves: waves.map((environments, i) => ({ index: i + 1, environments })),
    strategy,
    requiresApproval: opts.requiresApproval ?? false,
    smokeTests: opts.smokeTests ?? false,
    bakeMinutes: opts.bakeMinutes ?? 0,
    blockWhileAlarming: opts.blockWhileAlarming ?? false,
    blockWaitMinutes: opts.blockWaitMinutes ?? 60,
    deploymentWindow: opts.deploymentWindow,
    services,
  };
}

export function appModel(
  stages: readonly StageModel[],
  opts: { branch?: string; pipelineName?: string; region?: string; regions?: string[] } = {},
): AppModel {
  const region = opts.region ?? 'eu-west-1';
  return {
    pipelineName: opts.pipelineName ?? FIXTURE_PIPELINE,
    source: {
      connectionArn: `arn:aws:codeconnections:${region}:111111111111:connection/00000000-0000-4000-8000-000000000000`,
      repository: 'example-org/fixture-services',
      branch: opts.branch ?? 'main',
    },
    pipelineEnv: { account: '111111111111', region },
    pipelineRegions: opts.regions ?? [region],
    notificationEmails: [],
    stages,
  };
}
