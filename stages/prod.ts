import { defineStage, Strategy } from '../lib/config/define';

/** prod: after a manual approval, each service shifts 10% of traffic for 10 minutes, then 100%. */
export const prod = defineStage({
  name: 'prod',
  environment: 'prod',
  strategy: Strategy.predefined('CANARY_10PERCENT_10MINUTES'),
  requiresApproval: true,
  smokeTests: false,
  services: ['greeter', 'orders'],
});
