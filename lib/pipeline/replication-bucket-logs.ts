import type { Pipeline } from 'aws-cdk-lib/aws-codepipeline';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import { AccessLogBucket } from './access-log-bucket';

/**
 * Server access logs for the replication buckets of a cross-region pipeline. CodePipeline copies
 * artifacts into a bucket in every region a stage deploys to; CDK creates those buckets
 * (KMS-encrypted, TLS-only) in a support stack per region but without access logs. This adds, in
 * each support stack, a log bucket like the artifact bucket's own, and points the replication
 * bucket's logging at it. Call it after the pipeline is built, when the support stacks exist.
 */
export function logReplicationBuckets(pipeline: Pipeline): void {
  for (const [region, support] of Object.entries(pipeline.crossRegionSupport)) {
    const logs = new AccessLogBucket(support.stack, 'ReplicationAccessLogs', {
      logsOf: `the pipeline's replication bucket in ${region}`,
    });
    logs.addToResourcePolicy(
      new PolicyStatement({
        sid: 'S3ServerAccessLogsFromTheReplicationBucket',
        principals: [new ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [logs.arnForObjects('replication/*')],
        conditions: {
          ArnLike: { 'aws:SourceArn': support.replicationBucket.bucketArn },
          StringEquals: { 'aws:SourceAccount': support.stack.account },
        },
      }),
    );
    const bucket = support.replicationBucket.node.defaultChild as CfnBucket;
    bucket.loggingConfiguration = {
      destinationBucketName: logs.bucketName,
      logFilePrefix: 'replication/',
    };
  }
}
