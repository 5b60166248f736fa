import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { EventField, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { StageModel } from '../config/model';
import { NotificationTopic } from './notification-topic';
import { serviceBaseName, stageTopicName } from '../resource-names';
import { StageOverviewDashboard } from './stage-overview-dashboard';

export interface MonitoringStackProps extends StackProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /**
   * Addresses told about the stage's alarms and failed deployments.
   * @default none
   */
  readonly notificationEmails?: readonly string[];
}

/**
 * What a stage's people watch, deployed before its services: the stage's notification topic
 * (every alarm notifies it on ALARM and OK; a failed or stopped CodeDeploy deployment, which
 * rolls back, is announced on it) and the overview dashboard of all its services. It depends on
 * no service stack: the dashboard and the deployment rule use the deterministic names only.
 */
export class MonitoringStack extends Stack {
  readonly notifications: NotificationTopic;
  readonly overview: StageOverviewDashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.notifications = new NotificationTopic(this, 'Notifications', {
      topicName: stageTopicName(stage.prefix),
      displayName: `Lambda services: ${stage.name}`,
      emails: props.notificationEmails,
    });
    this.notifications.allowAlarms();

    const detail = (field: string) => EventField.fromPath(`$.detail.${field}`);
    this.notifications.notifyOn('DeploymentFailed', {
      description: `A CodeDeploy deployment of a ${stage.name} service failed or was stopped, and rolls back`,
      eventPattern: {
        source: ['aws.codedeploy'],
        detailType: ['CodeDeploy Deployment State-change Notification'],
        detail: {
          state: ['FAILURE', 'STOP'],
          deploymentGroup: stage.services.map((s) => serviceBaseName(stage.prefix, s.name)),
        },
      },
      message: RuleTargetInput.fromText(
        `[${stage.name}] CodeDeploy deployment ${detail('deploymentId')} of ${detail('deploymentGroup')} ended in ${detail('state')}. ` +
          'The deployment group rolls back automatically on failure, stop and alarm: the live alias returns to the previous version. ' +
          `See why: npm run ops -- status --stage ${stage.name}`,
      ),
    });

    this.overview = new StageOverviewDashboard(this, 'Overview', { stage });

    new CfnOutput(this, 'NotificationTopicArn', {
      value: this.notifications.topic.topicArn,
      description: `Topic of ${stage.name}'s alarms and failed deployments`,
    });
    new CfnOutput(this, 'OverviewDashboard', {
      value: this.overview.dashboard.dashboardName,
      description: `CloudWatch dashboard of all ${stage.name} services`,
    });
  }

  /** The topic every alarm of the stage notifies. */
  get topic(): ITopic {
    return this.notifications.topic;
  }
}
