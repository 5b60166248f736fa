import { Stage, type StageProps } from 'aws-cdk-lib';
import { ArnPrincipal } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledgeReviewedWildcards } from '../compliance/gate';
import { servicesByStack } from '../config/grouping';
import type { EnvironmentModel, ServiceModel, StageModel } from '../config/model';
import { releaseExceptions, type ReleaseException } from '../config/release-exceptions';
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
    const exceptions = releaseExceptions(stage);
    // One stack per service, or per shared stack the stage entry names, in entry order.
    this.serviceStacks = [...servicesByStack(stage.services)].map(([stackId, services]) =>
      withExceptions(
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
        { stage: stage.name, services, exceptions },
      ),
    );
  }
}

/** The template metadata key that lists a stack's exceptions to the release rules. */
export const RELEASE_EXCEPTIONS_METADATA = 'ReleaseExceptions';

/**
 * Writes the exceptions the stage entry declares that cover the stack's services (deployed
 * untested, all at once) into its template's `Metadata`, with their reasons, so that whoever
 * reviews the template or the change set sees them. A stack without any gets no entry.
 */
function withExceptions(
  stack: ServiceStack,
  of: {
    readonly stage: string;
    readonly services: readonly ServiceModel[];
    readonly exceptions: readonly ReleaseException[];
  },
): ServiceStack {
  const { stage, exceptions } = of;
  const held = new Set(of.services.map((s) => s.name));
  const entries = exceptions
    .map((e) => ({ ...e, services: e.services.filter((s) => held.has(s)) }))
    .filter((e) => e.services.length > 0)
    .map((e) => ({
      Rule: e.rule,
      Stage: stage,
      Services: e.services,
      Exception: e.what,
      Reason: e.reason,
    }));
  if (entries.length > 0) {
    stack.templateOptions.metadata = {
      ...stack.templateOptions.metadata,
      [RELEASE_EXCEPTIONS_METADATA]: entries,
    };
  }
  return stack;
}
