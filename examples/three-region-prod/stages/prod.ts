import { defineStage, projectServices, Strategy } from '../../../lib/config/define';

/**
 * prod in two waves: after the approval, wave 1 deploys to one region (the "one-box" region)
 * with a canary per service, then bakes for 15 minutes watching its alarms; only then does
 * wave 2 deploy to the other two regions in parallel, each with its own canaries, and bake.
 * An alarm during a bake, or a rollback in wave 1, stops the later wave. In the pipeline, wave 1
 * is the stage prod-us (a wave of one environment is named after it) and wave 2 is prod-wave2,
 * deploying prod-eu and prod-ap.
 */
export const prod = defineStage({
  name: 'prod',
  waves: [{ environments: ['us'] }, { environments: ['eu', 'ap'] }],
  strategy: Strategy.predefined('CANARY_10PERCENT_10MINUTES'),
  requiresApproval: true,
  bakeMinutes: 15,
  blockWhileAlarming: true,
  smokeTests: true,
  services: projectServices(),
});
