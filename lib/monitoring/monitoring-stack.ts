import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import type { Code } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { EnvironmentModel, StageModel } from '../config/model';
import { conditionsRoleName, serviceBaseName, stageTopicName } from '../resource-names';
import { StageServiceNetwork } from '../lattice/stage-service-network';
import { ConditionsRole } from './conditions-role';
import { FleetHealth } from './fleet-health';
import { NotificationTopic } from './notification-topic';
import { ReleaseJudge } from './release-judge';
import { StageOverviewDashboard } from './stage-overview-dashboard';

export interface MonitoringStackProps extends StackProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /** The environment of the stage this stack watches. */
  readonly environment: EnvironmentModel;
  /** The bake function's role in the tools account: the one identity the alarm reader trusts. */
  readonly bakeRoleArn: string;
  /**
   * Addresses told about the stage's alarms and failed deployments.
   * @default none
   */
  readonly notificationEmails?: readonly string[];
  /** The bundle of the stage's release judge (`FunctionCode.judge`). */
  readonly judgeCode: Code;
}

/**
 * What a stage's people and its pipeline watch, in one environment: the stage's notification
 * topic (every alarm notifies it; a failed or stopped CodeDeploy deployment, which rolls back, is
 * announced on it), every service's fleet alarm and the stage's health alarm, the release judge
 * whose verdicts the deployment groups' alarms watch, the role the pipeline's stage conditions
 * use to read the health alarm, and the overview dashboard.
 *
 * It depends on no service stack (everything is built from the deterministic names), so the
 * pipeline deploys it before the stage's services, even before the stage's first release: the
 * alarm blocker and the bake always have an alarm to read.
 */
export class MonitoringStack extends Stack {
  readonly notifications: NotificationTopic;
  readonly health: FleetHealth;
  readonly overview: StageOverviewDashboard;
  /** Judges the stage's releases in progress every minute. */
  readonly judge: ReleaseJudge;
  /** The stage's VPC Lattice service network here, when it has front doors and creates one. */
  readonly serviceNetwork?: StageServiceNetwork;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { stage, environment } = props;

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

    this.health = new FleetHealth(this, 'Health', {
      stage,
      action: new SnsAction(this.notifications.topic),
    });
    this.judge = new ReleaseJudge(this, 'ReleaseJudge', {
      prefix: stage.prefix,
      code: props.judgeCode,
      action: new SnsAction(this.notifications.topic),
    });
    // Only a stage that bakes has a bake action to assume it.
    if (stage.bakeMinutes > 0) {
      new ConditionsRole(this, 'Conditions', {
        roleName: conditionsRoleName(stage.prefix, environment.region),
        trustedRoleArn: props.bakeRoleArn,
        alarms: [this.health.stageAlarm],
      });
    }

    if (stage.services.some((s) => s.lattice) && !environment.lattice.serviceNetwork) {
      this.serviceNetwork = new StageServiceNetwork(this, 'ServiceNetwork', {
        prefix: stage.prefix,
        network: environment.lattice,
      });
    }

    this.overview = new StageOverviewDashboard(this, 'Overview', {
      stage,
      environment,
      alarms: [this.health.stageAlarm, this.judge.errors, ...this.health.fleetAlarms],
    });

    new CfnOutput(this, 'NotificationTopicArn', {
      value: this.notifications.topic.topicArn,
      description: `Topic of ${stage.name}'s alarms and failed deployments`,
    });
    new CfnOutput(this, 'HealthAlarm', {
      value: this.health.stageAlarm.alarmName,
      description: `Composite alarm: any ${stage.name} service in ALARM on its live alias`,
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
