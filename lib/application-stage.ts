import { Stage, type StageProps } from 'aws-cdk-lib';
import { AccountPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeReviewedWildcards } from './compliance';
import type { StageModel } from './config/model';
import { ServiceStack } from './service-stack';

export interface ApplicationStageProps extends StageProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /**
   * The account whose smoke-test step may invoke the `live` aliases of this stage.
   * @default no one outside the stage
   */
  readonly smokeTestAccount?: string;
}

/** One stage entry turned into stacks: a stack per service, in the stage's account and region. */
export class ApplicationStage extends Stage {
  readonly serviceStacks: readonly ServiceStack[];

  constructor(scope: Construct, id: string, props: ApplicationStageProps) {
    super(scope, id, { ...props, env: props.stage.env });
    acknowledgeReviewedWildcards(this);
    const { stage } = props;
    const smokeTestPrincipal =
      stage.smokeTests && props.smokeTestAccount
        ? new AccountPrincipal(props.smokeTestAccount)
        : undefined;
    this.serviceStacks = stage.services.map(
      (service) =>
        new ServiceStack(this, service.name, {
          stageName: stage.name,
          services: [service],
          smokeTestPrincipal,
          description: `${service.name} in ${stage.name}: function, live alias, alarms, CodeDeploy deployment group and traffic hooks`,
        }),
    );
  }
}
