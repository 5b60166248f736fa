import { defineService } from '../../lib/config/define';

/** greeter: a small HTTP-style service that says hello. */
export const service = defineService({
  name: 'greeter',
  description: 'Says hello to the caller by name',
  memoryMb: 256,
  timeoutSeconds: 10,
  alarms: { errorRatePercent: 1, p99LatencyMs: 1000, maxThrottles: 1 },
  // The sample gets no real traffic: rather than fail a quiet canary, the post-traffic hook
  // invokes the live alias with the synthetic checks until the new version has enough
  // invocations to judge. A service with real traffic keeps the default, onQuiet: 'fail'.
  canary: { onQuiet: 'generate-traffic' },
});
