import type { ServiceModel } from '../../lib/config/model';
import { Strategy } from '../../lib/config/strategy';

/** A resolved service for tests that build models by hand; `overrides` replace any field. */
export function serviceModel(name: string, overrides: Partial<ServiceModel> = {}): ServiceModel {
  return {
    name,
    stack: name,
    dir: `/nowhere/services/${name}`,
    entry: `/nowhere/services/${name}/handler.ts`,
    memoryMb: 256,
    timeoutSeconds: 10,
    environment: {},
    alarms: { maxErrors: 2, p99LatencyMs: 800, maxThrottles: 3 },
    strategy: Strategy.predefined('CANARY_10PERCENT_10MINUTES'),
    checks: [],
    ...overrides,
  };
}
