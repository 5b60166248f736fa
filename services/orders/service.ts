import { defineService } from '../../lib/config/define';

/** orders: looks up one order by the id in its path, validating the id first. */
export const service = defineService({
  name: 'orders',
  description: 'Looks up an order by id: GET /orders/{orderId}',
  memoryMb: 256,
  timeoutSeconds: 5,
  environment: { POWERTOOLS_LOG_LEVEL: 'INFO' },
  alarms: { errorRatePercent: 1, p99LatencyMs: 800, maxThrottles: 1 },
  // The sample gets no real traffic: rather than fail a quiet canary, the post-traffic hook
  // invokes the live alias with the synthetic checks until the new version has enough
  // invocations to judge. A service with real traffic keeps the default, onQuiet: 'fail'.
  canary: { onQuiet: 'generate-traffic' },
  // A VPC Lattice front door in every stage: callers in the environment's allowed accounts
  // reach it over HTTPS through the service network (docs/configuration.md, "lattice").
  lattice: true,
  // More detail in dev logs; prod keeps the INFO level set above.
  stageOverrides: { dev: { environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } } },
});
