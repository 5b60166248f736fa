import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

/**
 * The destination of a pipeline bucket's S3 server access logs: TLS-only, private, kept a year,
 * retained when the stack goes. It does not log access to itself (cdk-nag AwsSolutions-S1), which
 * is acknowledged with the reason: that would need another log bucket without end.
 */
export class AccessLogBucket extends Bucket {
  constructor(scope: Construct, id: string, props: { logsOf: string }) {
    super(scope, id, {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-S1',
      reason: `This bucket is the server access log destination of ${props.logsOf}; logging access to it would need another log bucket without end.`,
    });
  }
}
