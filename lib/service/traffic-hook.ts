import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { CanaryJudgement } from '../config/model';
import { CompliantFunction } from './compliant-function';

/** A hook's own time limit: enough for the checks (the service's timeout is at most a minute)
 * plus the reserve it keeps for reporting, far below Lambda's 15-minute maximum. */
export const HOOK_TIMEOUT = Duration.minutes(2);

export type HookPhase = 'pre-traffic' | 'post-traffic';

export interface TrafficHookProps {
  readonly phase: HookPhase;
  /** Physical name of the hook function. */
  readonly functionName: string;
  /** Physical name of the service function whose synthetic checks the hook runs. */
  readonly targetFunctionName: string;
  /**
   * The qualifier the hook invokes: the new version number before traffic moves, `live` after.
   */
  readonly qualifier: string;
  /**
   * The only ARN the hook may invoke: the qualified ARN of that version or alias. It must not
   * refer to the alias resource (see `CanaryService`).
   */
  readonly invokeArn: string;
  /**
   * The service's traffic-hook bundle: the handler (`runtime/hooks/traffic-hook.ts`) and the
   * service's synthetic checks beside it as `checks.json` (see `FunctionBundles`).
   */
  readonly code: Code;
  readonly deadLetterQueue: IQueue;
  /**
   * Post-traffic only: the invocations of the new version the canary window must have seen,
   * and what to do when it saw fewer (see `CanaryJudgement`).
   * @default no minimum
   */
  readonly evidence?: Pick<CanaryJudgement, 'minInvocations' | 'onQuiet'>;
}

/**
 * A CodeDeploy lifecycle hook that runs a service's synthetic checks against one qualified
 * target and reports the result. The deployment group grants it the right to report; this
 * construct grants it the right to invoke exactly `invokeArn` and nothing else. The checks ship
 * in the bundle, not in the environment, whose 4 KB they would soon outgrow.
 */
export class TrafficHook extends Construct {
  readonly function: IFunction;

  constructor(scope: Construct, id: string, props: TrafficHookProps) {
    super(scope, id);
    const fn = new CompliantFunction(this, 'Hook', {
      code: props.code,
      functionName: props.functionName,
      description: `${props.phase} hook: runs the synthetic checks of ${props.targetFunctionName}`,
      memorySize: 256,
      timeout: HOOK_TIMEOUT,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        HOOK_PHASE: props.phase,
        TARGET_FUNCTION_NAME: props.targetFunctionName,
        TARGET_QUALIFIER: props.qualifier,
        POWERTOOLS_SERVICE_NAME: 'traffic-hook',
        ...(props.evidence && props.evidence.minInvocations > 0
          ? {
              MIN_INVOCATIONS: String(props.evidence.minInvocations),
              ON_QUIET: props.evidence.onQuiet,
            }
          : {}),
      },
    });
    fn.function.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.invokeArn] }),
    );
    if (props.evidence && props.evidence.minInvocations > 0) {
      // GetMetricData has no resource-level permissions: AWS documents Resource "*" for it.
      fn.function.addToRolePolicy(
        new PolicyStatement({
          sid: 'ReadInvocationMetrics',
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
        }),
      );
    }
    this.function = fn.function;
  }
}
