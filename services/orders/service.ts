import { defineService } from '../../lib/config/define';

/** orders: looks up one order by the id in its path, validating the id first. */
export const service = defineService({
  name: 'orders',
  description: 'Looks up an order by id: GET /orders/{orderId}',
  memoryMb: 256,
  timeoutSeconds: 5,
  environment: { POWERTOOLS_LOG_LEVEL: 'INFO' },
  alarms: { maxErrors: 1, p99LatencyMs: 800, maxThrottles: 1 },
  // More detail in dev logs; prod keeps the INFO level set above.
  stageOverrides: { dev: { environment: { POWERTOOLS_LOG_LEVEL: 'DEBUG' } } },
});
