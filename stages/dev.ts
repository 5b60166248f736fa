import { defineStage, Strategy } from '../lib/config/define';

/** dev: every push lands here first, all at once, and is smoke-tested before approval. */
export const dev = defineStage({
  name: 'dev',
  environment: 'dev',
  strategy: Strategy.allAtOnce(),
  requiresApproval: false,
  smokeTests: true,
  services: ['greeter', 'orders'],
});
