import { Duration, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code, IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CompliantFunction } from '../service/compliant-function';

export interface HealthGateProps {
  /** Physical function name. */
  readonly functionName: string;
  /** Its bundle (`FunctionCode.gate`). */
  readonly code: Code;
  /** The roles it may assume to read the stages' health alarms, one per stage and environment. */
  readonly roleArns: readonly string[];
}

/**
 * The function behind every wave's bake action (`runtime/gates/health-gate.ts`), in the
 * pipeline's account: CodePipeline invokes it and it reports back with CodePipeline's job API.
 * It may assume the alarm-reading role the Monitoring stage creates in each environment, and
 * nothing else.
 */
export class HealthGate extends Construct {
  readonly function: IFunction;

  constructor(scope: Construct, id: string, props: HealthGateProps) {
    super(scope, id);
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter queue of the bake function; CodePipeline invokes it synchronously, so nothing ever lands here and a redrive target would never receive a message.',
    });
    const fn = new CompliantFunction(this, 'Gate', {
      code: props.code,
      functionName: props.functionName,
      // Named, so that the alarm readers' trust policies can name it (healthGateRoleArn).
      roleName: props.functionName,
      description:
        "Bakes the pipeline's waves: watches each wave's health alarms for the stage's bakeMinutes after it reached 100%",
      memorySize: 256,
      // One look, a wait of 50 seconds, another look, the report.
      timeout: Duration.seconds(90),
      deadLetterQueue,
    }).function;
    if (props.roleArns.length > 0) {
      fn.addToRolePolicy(
        new PolicyStatement({
          sid: 'ReadTheHealthAlarms',
          actions: ['sts:AssumeRole'],
          resources: [...new Set(props.roleArns)],
        }),
      );
    }
    this.function = fn;
  }
}
