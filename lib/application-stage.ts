import { Stage, type StageProps } from 'aws-cdk-lib';
import { AccountPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeReviewedWildcards } from './compliance';
import type { StageModel } from './config/model';
import { MonitoringStack } from './monitoring-stack';
import { MONITORING_ID, monitoringStackName, serviceStackName } from './resource-names';
import { ServiceStack } from './service-stack';

export interface ApplicationStageProps extends StageProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /**
   * The account whose smoke-test step may invoke the `live` aliases of this stage.
   * @default no one outside the stage
   */
  readonly smokeTestAccount?: string;
  /**
   * Addresses told about the stage's alarms and failed deployments.
   * @default none
   */
  readonly notificationEmails?: readonly string[];
}

/**
 * One stage entry turned into stacks, in the stage's account and region: first a monitoring
 * stack (the stage's notification topic and overview dashboard), then a stack per service whose
 * alarms notify that topic.
 */
export class ApplicationStage extends Stage {
  readonly monitoringStack: MonitoringStack;
  readonly serviceStacks: readonly ServiceStack[];

  constructor(scope: Construct, id: string, props: ApplicationStageProps) {
    super(scope, id, { ...props, env: props.stage.env });
    acknowledgeReviewedWildcards(this);
    const { stage } = props;
    const smokeTestPrincipal =
      stage.smokeTests && props.smokeTestAccount
        ? new AccountPrincipal(props.smokeTestAccount)
        : undefined;
    this.monitoringStack = new MonitoringStack(this, MONITORING_ID, {
      stackName: monitoringStackName(stage.name),
      stage,
      notificationEmails: props.notificationEmails,
      description: `${stage.name} monitoring: notification topic, deployment-failure rule and overview dashboard`,
    });
    this.serviceStacks = stage.services.map(
      (service) =>
        new ServiceStack(this, service.name, {
          stackName: serviceStackName(stage.name, service.name),
          stageName: stage.name,
          services: [service],
          smokeTestPrincipal,
          notificationTopic: this.monitoringStack.topic,
          description: `${service.name} in ${stage.name}: function, live alias, alarms, CodeDeploy deployment group and traffic hooks`,
        }),
    );
  }
}
