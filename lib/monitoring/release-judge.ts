import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction as LambdaTarget } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JUDGE_EVERY_MINUTES, VERDICT_NAMESPACE } from '../../runtime/judge/verdict-metric';
import { releaseJudgeName } from '../resource-names';
import { CompliantFunction } from '../service/compliant-function';

export interface ReleaseJudgeProps {
  /** `<pipelineName>-<stage>`: prefixes every physical name. */
  readonly prefix: string;
  /** The judge's bundle: the handler and the stage's services (`judge.json`). */
  readonly code: Code;
  /**
   * Told when the judge fails (and again when it works again).
   * @default no one
   */
  readonly action?: IAlarmAction;
}

/**
 * The release judge of a stage in one environment (`runtime/judge/scheduled-judge.ts`): every
 * minute it judges each deployment of the stage's services in progress and records its verdict,
 * which the deployment groups' verdict alarms watch. Between the first traffic shift and 100%,
 * that alarm is the only thing that can stop a CodeDeploy canary.
 *
 * It may list deployments, read the stage's deployment groups and Lambda's metrics, and write
 * verdicts in the judge's own metric namespace; nothing else. An alarm on its errors tells the
 * stage's people when it cannot judge (the post-traffic hook then fails the releases it did not
 * see).
 */
export class ReleaseJudge extends Construct {
  readonly function: IFunction;
  readonly errors: Alarm;

  constructor(scope: Construct, id: string, props: ReleaseJudgeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = releaseJudgeName(props.prefix);
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        "This queue is itself the dead-letter queue of the release judge's scheduled invocations; a missed minute is judged again the next minute, so nothing consumes it and a redrive target would never receive a message.",
    });
    const fn = new CompliantFunction(this, 'Judge', {
      code: props.code,
      functionName: name,
      description: `Judges the releases of ${props.prefix} in progress every minute and records the verdicts the deployment groups' alarms watch`,
      memorySize: 256,
      // Done before the next minute's run starts.
      timeout: Duration.seconds(50),
      deadLetterQueue,
      reservedConcurrentExecutions: 1,
    }).function;
    this.function = fn;

    new Rule(this, 'EveryMinute', {
      description: `Runs ${name} every minute`,
      schedule: Schedule.rate(Duration.minutes(JUDGE_EVERY_MINUTES)),
      targets: [
        new LambdaTarget(fn, {
          deadLetterQueue,
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });

    // Listing every deployment in progress has no narrower resource (an unscoped ListDeployments
    // needs "*"); the deployment-target calls have no resource-level permissions at all.
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'FindDeploymentsInProgress',
        actions: [
          'codedeploy:ListDeployments',
          'codedeploy:ListDeploymentTargets',
          'codedeploy:BatchGetDeploymentTargets',
        ],
        resources: ['*'],
      }),
    );
    // The stage's deployment groups are `<prefix>-<service>`; their applications are named by
    // CloudFormation.
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadTheStagesDeployments',
        actions: ['codedeploy:BatchGetDeployments', 'codedeploy:GetDeployment'],
        resources: [
          stack.formatArn({
            service: 'codedeploy',
            resource: 'deploymentgroup',
            resourceName: `*/${props.prefix}-*`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadReleaseMetrics',
        actions: ['cloudwatch:GetMetricData'],
        resources: ['*'],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'RecordVerdicts',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': VERDICT_NAMESPACE } },
      }),
    );

    this.errors = new Alarm(this, 'Errors', {
      alarmName: `${name}-errors`,
      alarmDescription: `${name} failed in 2 of the last 5 minutes: releases of ${props.prefix} may go unjudged until 100% (the post-traffic hook then fails them). See its log group.`,
      metric: fn.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.action) {
      this.errors.addAlarmAction(props.action);
      this.errors.addOkAction(props.action);
    }
  }
}
