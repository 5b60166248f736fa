import { Stage, type StageProps } from 'aws-cdk-lib';
import { ArnPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeReviewedWildcards } from '../compliance/gate';
import { servicesByStack } from '../config/grouping';
import type { EnvironmentModel, StageModel } from '../config/model';
import type { FunctionCode } from '../service/function-bundles';
import { serviceStackName } from '../resource-names';
import { ServiceStack } from '../service/service-stack';

export interface ApplicationStageProps extends StageProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /** The environment of the stage this Stage deploys to (one of its waves' environments). */
  readonly environment: EnvironmentModel;
  /** The bundled code of every function. */
  readonly code: FunctionCode;
  /**
   * The role of the smoke step that may invoke the `live` aliases of this stage (its wave's).
   * @default no one outside the stage
   */
  readonly smokeTestRoleArn?: string;
}

/**
 * One stage entry's services in one of its environments (account and region): a stack per
 * service, or per shared stack the stage entry names. Their alarms notify the stage's topic,
 * which the stage's monitoring stack (deployed by the pipeline before any stage) holds.
 */
export class ApplicationStage extends Stage {
  readonly serviceStacks: readonly ServiceStack[];

  constructor(scope: Construct, id: string, props: ApplicationStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.environment.account, region: props.environment.region },
    });
    acknowledgeReviewedWildcards(this);
    const { stage } = props;
    const smokeTestPrincipal =
      stage.smokeTests && props.smokeTestRoleArn
        ? new ArnPrincipal(props.smokeTestRoleArn)
        : undefined;
    // One stack per service, or per shared stack the stage entry names, in entry order.
    this.serviceStacks = [...servicesByStack(stage.services)].map(
      ([stackId, services]) =>
        new ServiceStack(this, stackId, {
          stackName: serviceStackName(stage.prefix, stackId),
          stageName: stage.name,
          prefix: stage.prefix,
          environment: props.environment,
          code: props.code,
          services,
          smokeTestPrincipal,
          description: `${services.map((s) => s.name).join(', ')} in ${stage.name}: functions, live aliases, release alarms, CodeDeploy deployment groups and traffic hooks`,
        }),
    );
  }
}
