import { Stage, type StageProps } from 'aws-cdk-lib';
import { AccountPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeReviewedWildcards } from '../compliance/gate';
import type { EnvironmentModel, ServiceModel, StageModel } from '../config/model';
import type { FunctionCode } from '../service/function-bundles';
import { MonitoringStack } from '../monitoring/monitoring-stack';
import { MONITORING_ID, monitoringStackName, serviceStackName } from '../resource-names';
import { ServiceStack } from '../service/service-stack';

export interface ApplicationStageProps extends StageProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /** The environment of the stage this Stage deploys to (one of its waves' environments). */
  readonly environment: EnvironmentModel;
  /** The bundled code of every function. */
  readonly code: FunctionCode;
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
 * One stage entry turned into stacks in one of its environments (account and region): first a monitoring
 * stack (the stage's notification topic and overview dashboard), then a stack per service whose
 * alarms notify that topic.
 */
export class ApplicationStage extends Stage {
  readonly monitoringStack: MonitoringStack;
  readonly serviceStacks: readonly ServiceStack[];

  constructor(scope: Construct, id: string, props: ApplicationStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.environment.account, region: props.environment.region },
    });
    acknowledgeReviewedWildcards(this);
    const { stage } = props;
    const smokeTestPrincipal =
      stage.smokeTests && props.smokeTestAccount
        ? new AccountPrincipal(props.smokeTestAccount)
        : undefined;
    this.monitoringStack = new MonitoringStack(this, MONITORING_ID, {
      stackName: monitoringStackName(stage.prefix),
      stage,
      notificationEmails: props.notificationEmails,
      description: `${stage.name} monitoring: notification topic, deployment-failure rule and overview dashboard`,
    });
    // One stack per service, or per shared stack the stage entry names, in entry order.
    const stacks = new Map<string, ServiceModel[]>();
    for (const s of stage.services) stacks.set(s.stack, [...(stacks.get(s.stack) ?? []), s]);
    this.serviceStacks = [...stacks].map(
      ([stackId, services]) =>
        new ServiceStack(this, stackId, {
          stackName: serviceStackName(stage.prefix, stackId),
          stageName: stage.name,
          prefix: stage.prefix,
          code: props.code,
          services,
          smokeTestPrincipal,
          notificationTopic: this.monitoringStack.topic,
          description: `${services.map((s) => s.name).join(', ')} in ${stage.name}: functions, live aliases, alarms, CodeDeploy deployment groups and traffic hooks`,
        }),
    );
  }
}
