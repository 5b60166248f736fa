import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Rule, type EventPattern, type RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface NotificationTopicProps {
  /** Physical topic name. */
  readonly topicName: string;
  /** What the e-mails say they come from. */
  readonly displayName: string;
  /**
   * Addresses subscribed by e-mail (each confirms once from the message SNS sends).
   * @default none
   */
  readonly emails?: readonly string[];
}

/**
 * An SNS topic that people are told through: encrypted with its own rotated KMS key (which the
 * publishing services may use), TLS-only, with e-mail subscriptions and EventBridge rules that
 * publish readable messages to it. What cannot be delivered (a rule's event, a subscription's
 * message) lands in one encrypted queue instead of being lost.
 */
export class NotificationTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** Dead-letter queue of the rules' targets and of the subscriptions. */
  readonly undelivered: Queue;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      enableKeyRotation: true,
      description: `Encrypts the messages of the ${props.topicName} topic`,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: props.displayName,
      masterKey: this.key,
      enforceSSL: true,
    });
    this.undelivered = new Queue(this, 'Undelivered', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.undelivered).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        'This queue is itself the dead-letter queue of the notification rules and subscriptions; nothing consumes it, operators inspect it, so a redrive target would never receive a message.',
    });
    Validations.of(this.undelivered).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        "This queue is the dead-letter queue of the topic's EventBridge targets and SNS subscriptions; cdk-nag recognises only queue and Lambda dead-letter configurations, and a dead-letter queue needs no dead-letter queue of its own.",
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(
        new EmailSubscription(email, { deadLetterQueue: this.undelivered }),
      );
    }
  }

  /**
   * Lets CloudWatch alarms of this account and region publish: the topic policy allows the
   * CloudWatch service for those alarms only, and the key lets it encrypt the message.
   */
  allowAlarms(): void {
    const stack = Stack.of(this);
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccount',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: '*',
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    this.key.grant(cloudwatch, 'kms:Decrypt', 'kms:GenerateDataKey');
  }

  /**
   * Publishes `message` to the topic for every event matching `eventPattern`. The target grants
   * EventBridge publishing on the topic and use of its key; an event it cannot deliver after its
   * retries goes to the undelivered queue.
   */
  notifyOn(
    id: string,
    props: { eventPattern: EventPattern; message: RuleTargetInput; description: string },
  ): Rule {
    return new Rule(this, id, {
      description: props.description,
      eventPattern: props.eventPattern,
      targets: [
        new SnsTopic(this.topic, {
          message: props.message,
          deadLetterQueue: this.undelivered,
          retryAttempts: 8,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
