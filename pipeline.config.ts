import { definePipelineConfig } from './lib/config/define';

/**
 * The one file to edit before deploying for real. The placeholder values below synthesize
 * offline; replace every account id, region and the connection ARN with your own (see README,
 * "Deploy it for real"). Validated at synth: a malformed value fails with a message naming it.
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
  /** Where the pipeline itself runs (the "tools" account). */
  pipeline: { account: '111111111111', region: 'us-east-1' },
  /** Accounts and regions that stage entries (stages/*.ts) deploy to, by name. */
  environments: {
    dev: { account: '222222222222', region: 'us-east-1' },
    prod: { account: '333333333333', region: 'us-east-1' },
  },
  /** Who is told about alarms, failed deployments and pending approvals. */
  notifications: { emails: [] },
});
