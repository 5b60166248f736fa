import { Stack, Validations, type IAspect } from 'aws-cdk-lib';
import { CfnPolicy } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
// cdk-nag's own renderer, so the ids computed here are the ids its IAM5 rule reports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { flattenCfnReference } = require('cdk-nag/lib/utils/flatten-cfn-reference') as {
  flattenCfnReference: (reference: unknown) => string;
};

/**
 * One reviewed kind of wildcard that the CDK itself generates and that cannot be narrowed from
 * this project. A finding is acknowledged only when EVERY statement that produces it matches
 * the rule (its actions are all allowed and the wildcard matches); anything else stays a finding.
 */
export interface ReviewedWildcard {
  /** `Action` or `Resource`: which part of the statement holds the wildcard. */
  readonly part: 'Action' | 'Resource';
  /** The flattened wildcard (as cdk-nag prints it after `Action::`/`Resource::`). */
  readonly pattern: RegExp;
  /** Every action of the statement must match one of these. */
  readonly actions: RegExp;
  readonly reason: string;
}

/** Statement-level review of the wildcards CDK Pipelines, Lambda and CodeDeploy generate. */
export const REVIEWED_WILDCARDS: readonly ReviewedWildcard[] = [
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^xray:(PutTraceSegments|PutTelemetryRecords)$/,
    reason:
      'X-Ray tracing: PutTraceSegments and PutTelemetryRecords do not support resource-level permissions, so AWS documents Resource "*" for them.',
  },
  {
    part: 'Resource',
    pattern: /^<ArtifactBucket[0-9A-F]{8}\.Arn>\/\*$/,
    actions: /^(s3:[A-Za-z*]+|kms:[A-Za-z*]+)$/,
    reason:
      "Objects of the pipeline's own artifact bucket: CodePipeline names artifact objects per execution, so no narrower ARN exists; the bucket is KMS-encrypted and TLS-only.",
  },
  {
    part: 'Resource',
    pattern: /^arn:[a-z-]+:s3:::[a-z0-9.-]+eplicationbucket[a-z0-9]+\/\*$/,
    actions: /^(s3:[A-Za-z*]+|kms:[A-Za-z*]+)$/,
    reason:
      "Objects of the pipeline's cross-region replication bucket (CDK Pipelines creates one per region a stage deploys to): CodePipeline names artifact objects per execution, so no narrower ARN exists; the bucket is KMS-encrypted, TLS-only and access-logged.",
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^kms:(Decrypt|DescribeKey|Encrypt|GenerateDataKey\*|ReEncrypt\*)$/,
    reason:
      "Cross-region replication keys: CDK Pipelines encrypts the artifacts it copies to each region with that region's replication key, which CDK creates in the region's support stack and addresses by alias; IAM cannot name a key by alias in Resource, so CDK grants these data-key actions (no key administration) on \"*\". Each key's own policy admits only the tools account and the stage accounts' deploy roles.",
  },
  {
    part: 'Action',
    pattern:
      /^s3:(GetObject|GetBucket|List|DeleteObject|Abort|PutObject(Legal|Retention|Tagging|VersionTagging)?)\*$/,
    actions: /^s3:[A-Za-z*]+$/,
    reason:
      "CDK bucket grant on the pipeline's artifact bucket and its cross-region replication buckets only: the action wildcards cover object versions, tagging and multipart-upload cleanup on those buckets.",
  },
  {
    part: 'Action',
    pattern: /^kms:(GenerateDataKey|ReEncrypt)\*$/,
    actions: /^kms:[A-Za-z*]+$/,
    reason:
      'CDK key grant on the pipeline artifact key only: the wildcards are the GenerateDataKey and ReEncrypt variants S3 uses for SSE-KMS objects.',
  },
  {
    part: 'Resource',
    pattern:
      /^arn:[a-z-]+:logs:[a-z0-9-]+:\d{12}:log-group:\/aws\/codebuild\/(<[A-Za-z0-9]+>:)?\*$/,
    actions: /^logs:(CreateLogGroup|CreateLogStream|PutLogEvents)$/,
    reason:
      "CodeBuild build logs: CodeBuild names a new log stream per build under the project's /aws/codebuild/ log group; the shared asset-publishing role covers the asset projects CDK Pipelines creates.",
  },
  {
    part: 'Resource',
    pattern: /^arn:[a-z-]+:codebuild:[a-z0-9-]+:\d{12}:report-group\/(<[A-Za-z0-9]+>-)?\*$/,
    actions:
      /^codebuild:(CreateReportGroup|CreateReport|UpdateReport|BatchPutTestCases|BatchPutCodeCoverages)$/,
    reason:
      'CodeBuild test reports: CodeBuild creates report groups named after the project at build time.',
  },
  {
    part: 'Resource',
    pattern: /^arn:\*:iam::\d{12}:role\/\*$/,
    actions: /^sts:AssumeRole$/,
    reason:
      'CDK Pipelines assumes only the CDK bootstrap roles (the statement is conditioned on the aws-cdk:bootstrap-role tag); their names carry a qualifier chosen at bootstrap.',
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^cloudwatch:GetMetricData$/,
    reason:
      'Release judge and post-traffic hook: read the Lambda metrics of the release they judge (calls, errors, duration rank and throttles of the new version); CloudWatch GetMetricData does not support resource-level permissions, so AWS documents Resource "*" for it. Read-only.',
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^cloudwatch:PutMetricData$/,
    reason:
      'Release judge and post-traffic hook: record their verdicts as custom metrics; PutMetricData has no resource-level permissions (AWS documents Resource "*"), and the statement\'s cloudwatch:namespace condition keeps it to the judge\'s own namespace.',
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions:
      /^codedeploy:(ListDeployments|ListDeploymentTargets|BatchGetDeploymentTargets|PutLifecycleEventHookExecutionStatus)$/,
    reason:
      'Release judge and traffic hooks: find the deployments in progress (an unscoped ListDeployments needs Resource "*") and read which version each shifts to and since when (read-only); a hook reports its result (PutLifecycleEventHookExecutionStatus, which needs the hook execution id CodeDeploy passes the hook it invokes). The deployment-target calls and the report have no resource-level permissions in the Service Authorization Reference, so only Resource "*" allows them.',
  },
  {
    part: 'Resource',
    pattern: /^arn:[a-z-]+:codedeploy:[a-z0-9-]+:\d{12}:deploymentgroup:\*\/[a-z0-9-]+-\*$/,
    actions: /^codedeploy:(BatchGetDeployments|GetDeployment)$/,
    reason:
      "Release judge: reads the deployments of its own stage's deployment groups, all named <pipeline>-<stage>-<service>; CloudFormation names their applications, so the application part is a wildcard. Read-only.",
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions:
      /^(codepipeline:(PutJobSuccessResult|PutJobFailureResult)|xray:(PutTraceSegments|PutTelemetryRecords))$/,
    reason:
      'Bake action: reports its result to CodePipeline (the CDK grant for a Lambda invoke action) and traces with X-Ray; CodePipeline\'s job-result calls and X-Ray\'s trace calls have no resource-level permissions, so AWS documents Resource "*" for them.',
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^lambda:ListFunctions$/,
    reason:
      'CodePipeline Lambda invoke action (the CDK grant for the bake action): CodePipeline lists functions to find the one it invokes; ListFunctions has no resource-level permissions. It reads names and settings, never code.',
  },
  {
    part: 'Resource',
    pattern: /^<HealthGateFunction[0-9A-F]{8}\.Arn>:\*$/,
    actions: /^lambda:InvokeFunction$/,
    reason:
      "The bake action invokes the pipeline's own health-gate function; the CDK grant adds the version-qualified form of that one function.",
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^cloudwatch:DescribeAlarms$/,
    reason:
      'Bake action\'s alarm reader: DescribeAlarms returns a composite alarm (the stage\'s health alarm) only to a caller allowed it on "*" (CloudWatch API reference, DescribeAlarms). Read-only; the alarm history, which names the alarm, stays scoped to it.',
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^(cloudformation:DescribeStacks|s3:ListBucket)$/,
    reason:
      'CDK Pipelines self-mutation: the CDK CLI reads bootstrap stacks and buckets whose names it discovers at run time; read-only.',
  },
  {
    part: 'Resource',
    pattern: /^\*$/,
    actions: /^codebuild:(BatchGetBuilds|StartBuild|StopBuild)$/,
    reason:
      'CDK Pipelines asset publishing: the shared publishing role starts and polls the asset CodeBuild projects CDK Pipelines generates; it offers no way to scope this statement.',
  },
  {
    part: 'Resource',
    pattern: /^<[A-Za-z0-9]+(PreTrafficHook|PostTrafficHook)[A-Za-z0-9]*\.Arn>:\*$/,
    actions: /^lambda:InvokeFunction$/,
    reason:
      "CodeDeploy invokes this deployment group's own traffic hook; the CDK grant adds the version-qualified form of that one function.",
  },
  {
    part: 'Resource',
    pattern: /^arn:[a-z-]+:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9-]+-\*:live$/,
    actions: /^lambda:InvokeFunction$/,
    reason:
      "Smoke-test step: invokes the live alias of this stage's functions, whose names all start with the stage's prefix (<pipeline>-<stage>-); one pattern per environment keeps the role's policy within IAM's size limit at any number of services, and it matches no other alias or version.",
  },
];

interface Statement {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

/**
 * Acknowledges, on each IAM policy, exactly the `AwsSolutions-IAM5[...]` findings whose every
 * source statement matches a reviewed wildcard, with that wildcard's reason. Applied to the App.
 */
export class AcknowledgeReviewedWildcards implements IAspect {
  constructor(private readonly reviewed: readonly ReviewedWildcard[] = REVIEWED_WILDCARDS) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnPolicy)) return;
    const doc = Stack.of(node).resolve(node.policyDocument) as { Statement?: Statement[] };
    const verdicts = new Map<string, string | false>();
    for (const statement of doc.Statement ?? []) {
      if (statement.Effect !== 'Allow') continue;
      const actions = ([] as string[]).concat(statement.Action ?? []);
      const resources = ([] as unknown[]).concat(statement.Resource ?? []).map(flattenCfnReference);
      const wildcards = [
        ...actions.filter((a) => a.includes('*')).map((a) => ['Action', a] as const),
        ...resources.filter((r) => r.includes('*')).map((r) => ['Resource', r] as const),
      ];
      for (const [part, value] of wildcards) {
        const id = `AwsSolutions-IAM5[${part}::${value}]`;
        const rule = this.reviewed.find(
          (r) =>
            r.part === part && r.pattern.test(value) && actions.every((a) => r.actions.test(a)),
        );
        const previous = verdicts.get(id);
        verdicts.set(id, rule && previous !== false ? rule.reason : false);
      }
    }
    for (const [id, reason] of verdicts) {
      if (reason) Validations.of(node).acknowledge({ id, reason });
    }
  }
}
