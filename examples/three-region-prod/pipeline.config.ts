import { definePipelineConfig } from '../../lib/config/define';

/**
 * Prod in three regions: the same pipeline and services as the project's own configuration,
 * with prod deployed in two waves (see stages/prod.ts). Placeholder accounts; it synthesizes
 * offline like the default configuration, with its stages and the project's services, where it
 * is, without copying:
 *
 *   npx cdk synth -c config=examples/three-region-prod
 *   npm run plan -- --config examples/three-region-prod
 *
 * Every region a stage deploys to is in pipeline.regions: bootstrap the tools account in each
 * (npx cdk bootstrap aws://111111111111/eu-west-1 ...) and each target account and region with
 * trust in the tools account (README, "Deploy it for real").
 */
export const config = definePipelineConfig({
  pipelineName: 'lambda-services',
  source: {
    connectionArn:
      'arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000000',
    repository: 'my-org/lambda-services',
    branch: 'main',
  },
  pipeline: {
    account: '111111111111',
    region: 'us-east-1',
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
  },
  environments: {
    dev: { account: '222222222222', region: 'us-east-1' },
    // One prod account in three regions; each environment could be its own account too. Named
    // by region: prod deploys to them as prod-us, prod-eu and prod-ap (<stage>-<environment>).
    us: { account: '333333333333', region: 'us-east-1' },
    eu: { account: '333333333333', region: 'eu-west-1' },
    ap: { account: '333333333333', region: 'ap-southeast-2' },
  },
  notifications: { emails: [] },
});
