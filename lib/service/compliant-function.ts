import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  Architecture,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
  type Code,
  type IDestination,
} from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AwsCall } from '../../runtime/aws-calls';

/**
 * The calls Lambda makes with every function's role, whatever its code: its logs (to its own log
 * group), its X-Ray traces (no resource type: `"*"`), and failed asynchronous invocations to its
 * dead-letter queue and on-failure destination (both the same queue, `sqs:SendMessage` only).
 */
export const LAMBDA_SERVICE_CALLS: readonly AwsCall[] = [
  { command: 'Lambda: logs', action: 'logs:CreateLogStream', on: 'log-stream' },
  { command: 'Lambda: logs', action: 'logs:PutLogEvents', on: 'log-stream' },
  { command: 'Lambda: tracing', action: 'xray:PutTraceSegments', on: 'none' },
  { command: 'Lambda: tracing', action: 'xray:PutTelemetryRecords', on: 'none' },
  { command: 'Lambda: failed asynchronous invocations', action: 'sqs:SendMessage', on: 'queue' },
];

export interface CompliantFunctionProps {
  /** The bundled code: a folder whose `index.js` exports `handler` (see `FunctionBundles`). */
  readonly code: Code;
  /** Physical function name; also names the log group. */
  readonly functionName: string;
  readonly description?: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Failed asynchronous invocations land here (dead-letter target and on-failure destination). */
  readonly deadLetterQueue: IQueue;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /** @default no reserved concurrency */
  readonly reservedConcurrentExecutions?: number;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /**
   * Physical name of its role, for a role another account's trust policy names.
   * @default a name CloudFormation generates
   */
  readonly roleName?: string;
}

/**
 * A Node.js 24 Lambda function with the defaults every function in this project shares, chosen
 * to pass cdk-nag without acknowledgments where a fix exists: bundled ahead by `FunctionBundles`,
 * its own role that may write only to its own log group (no
 * AWS managed policy), JSON logs with a retention, X-Ray tracing, and a dead-letter queue.
 */
export class CompliantFunction extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: CompliantFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/lambda/${props.functionName}`,
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.functionName}`,
    });
    this.logGroup.grantWrite(role);

    this.function = new LambdaFunction(this, 'Function', {
      code: props.code,
      handler: 'index.handler',
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      role,
      logGroup: this.logGroup,
      loggingFormat: LoggingFormat.JSON,
      tracing: Tracing.ACTIVE,
      deadLetterQueue: props.deadLetterQueue,
      onFailure: sendOnly(props.deadLetterQueue),
      retryAttempts: 2,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment },
    });
  }
}

/**
 * The queue as an on-failure destination, without the grant CDK's `SqsDestination` adds
 * (`sqs:SendMessage`, `GetQueueAttributes` and `GetQueueUrl`): Lambda only sends to it, and the
 * dead-letter configuration already grants `sqs:SendMessage` on the same queue.
 */
function sendOnly(queue: IQueue): IDestination {
  return { bind: () => ({ destination: queue.queueArn }) };
}
