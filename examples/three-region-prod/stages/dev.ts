import { defineStage, projectServices, Strategy } from '../../../lib/config/define';

/** dev: one region, all at once, smoke-tested; every service of the project. */
export const dev = defineStage({
  name: 'dev',
  environment: 'dev',
  strategy: Strategy.allAtOnce(),
  smokeTests: true,
  services: projectServices(),
});
