import { defineService } from '../../lib/config/define';

/** greeter: a small HTTP-style service that says hello. */
export const service = defineService({
  name: 'greeter',
  description: 'Says hello to the caller by name',
  memoryMb: 256,
  timeoutSeconds: 10,
  alarms: { maxErrors: 1, p99LatencyMs: 1000, maxThrottles: 1 },
});
