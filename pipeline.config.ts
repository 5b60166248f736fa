import { definePipelineConfig } from './lib/config/define';

/**
 * The one file to edit before deploying for real. The placeholder values below synthesize
 * offline; replace every account id, region and the connection ARN with your own (see README,
 * "Deploy it for real"). Validated at synth: a malformed value fails with a message naming it.
 * docs/configuration.md describes every field.
 */
export const config = definePipelineConfig({
  pipelineName: 'lambda-services',
  source: {
    /** A CodeConnections (formerly CodeStar Connections) connection to your Git host. */
    connectionArn:
      'arn:aws:codeconnections:us-east-1:111111111111:connection/00000000-0000-4000-8000-000000000000',
    /** The repository holding this project, as "owner/repo". */
    repository: 'my-org/lambda-services',
    branch: 'main',
  },
  /**
   * Where the pipeline itself runs (the "tools" account). A stage may deploy only to regions
   * the tools account is bootstrapped in: `region`, and any listed in `regions`, e.g.
   * regions: ['us-east-1', 'eu-west-1'] (examples/three-region-prod shows prod in three).
   */
  pipeline: { account: '111111111111', region: 'us-east-1' },
  /**
   * Accounts and regions that stage entries (stages/*.ts) deploy to, by name. Services with a
   * VPC Lattice front door get a service network per stage, callable from the environment's
   * own account; `lattice: { serviceNetwork, vpcIds, allowedAccounts, organizationId }`
   * changes that.
   */
  environments: {
    dev: { account: '222222222222', region: 'us-east-1' },
    prod: { account: '333333333333', region: 'us-east-1' },
  },
  /** Who is told about alarms, failed deployments and pending approvals. */
  notifications: { emails: [] },
});
