import { defineStage, Strategy } from '../lib/config/define';

/**
 * prod: after a manual approval, each service shifts 10% of traffic for 10 minutes, then 100%;
 * the stage then bakes for 15 minutes watching the alarms, and does not start while one fires.
 */
export const prod = defineStage({
  name: 'prod',
  environment: 'prod',
  strategy: Strategy.predefined('CANARY_10PERCENT_10MINUTES'),
  requiresApproval: true,
  bakeMinutes: 15,
  blockWhileAlarming: true,
  smokeTests: true,
  // Only on weekdays from 9:00 to 16:59 in a time zone of your choice (optional):
  // deploymentWindow: { cron: '* 0-59 9-16 ? * MON-FRI', timeZone: 'Europe/Berlin' },
  // The calls a minute each service expects (optional): npm run plan says what its canary can
  // judge at that traffic, and a canary that would judge more.
  services: [
    { name: 'greeter', requestsPerMinute: 1000 },
    { name: 'orders', requestsPerMinute: 50 },
  ],
});
