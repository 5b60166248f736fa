import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Code, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { HOOK_ENV } from '../../runtime/hooks/hook-config';
import type { ReleaseJudgement } from '../../runtime/judge/judge-config';
import { VERDICT_NAMESPACE } from '../../runtime/judge/verdict-metric';
import { CompliantFunction } from './compliant-function';

/** A hook's own time limit: enough for the checks (the service's timeout is at most a minute)
 * plus the reserve it keeps for reporting, far below Lambda's 15-minute maximum. */
export const HOOK_TIMEOUT = Duration.minutes(2);

/**
 * The post-traffic hook's time limit when it judges the release: Lambda's maximum. It watches
 * real traffic for `canary.watchMinutes` (at most 13) after CloudWatch holds a minute at 100%,
 * keeps time for its checks and its report, and reports long before CodeDeploy's one-hour limit.
 */
export const JUDGING_HOOK_TIMEOUT = Duration.minutes(15);

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
   * Post-traffic only: judge the release after the shift to 100% (see
   * `runtime/hooks/release-watch.ts`), calling `versionArn` for synthetic calls when real
   * traffic is too thin.
   * @default not judged: the checks alone decide
   */
  readonly judgement?: { readonly judgement: ReleaseJudgement; readonly versionArn: string };
}

/**
 * A CodeDeploy lifecycle hook that runs a service's synthetic checks against one qualified
 * target and reports the result. It may invoke exactly `invokeArn` and report its result, and
 * nothing else (a judging post-traffic hook also reads its release, see `CanaryService`). The checks ship
 * in the bundle, not in the environment, whose 4 KB they would soon outgrow.
 */
export class TrafficHook extends Construct {
  readonly function: IFunction;

  constructor(scope: Construct, id: string, props: TrafficHookProps) {
    super(scope, id);
    const judging = props.judgement;
    const fn = new CompliantFunction(this, 'Hook', {
      code: props.code,
      functionName: props.functionName,
      description: `${props.phase} hook: ${judging ? 'judges the release, then runs' : 'runs'} the synthetic checks of ${props.targetFunctionName}`,
      memorySize: 256,
      timeout: judging ? JUDGING_HOOK_TIMEOUT : HOOK_TIMEOUT,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        [HOOK_ENV.phase]: props.phase,
        [HOOK_ENV.functionName]: props.targetFunctionName,
        [HOOK_ENV.qualifier]: props.qualifier,
        POWERTOOLS_SERVICE_NAME: 'traffic-hook',
        ...(judging && { [HOOK_ENV.judgement]: JSON.stringify(judging.judgement) }),
      },
    });
    fn.function.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.invokeArn] }),
    );
    // The report. AWS's Service Authorization Reference lists no resource type for
    // PutLifecycleEventHookExecutionStatus, so only "*" is sure to match (a statement on the
    // deployment group's ARN, as CDK's grant makes, is denied by IAM's reading of it); the call
    // needs the deployment and hook execution ids that CodeDeploy passes the hook it invokes.
    fn.function.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReportToCodeDeploy',
        actions: ['codedeploy:PutLifecycleEventHookExecutionStatus'],
        resources: ['*'],
      }),
    );
    if (judging) {
      // Synthetic calls go to the new version itself, so they never mix with real traffic in
      // the alias's metrics the judge reads.
      fn.function.addToRolePolicy(
        new PolicyStatement({
          sid: 'CallTheNewVersion',
          actions: ['lambda:InvokeFunction'],
          resources: [judging.versionArn],
        }),
      );
      // GetMetricData has no resource-level permissions: AWS documents Resource "*" for it.
      fn.function.addToRolePolicy(
        new PolicyStatement({
          sid: 'ReadReleaseMetrics',
          actions: ['cloudwatch:GetMetricData'],
          resources: ['*'],
        }),
      );
      // PutMetricData neither; its namespace condition keeps it to the judge's verdicts.
      fn.function.addToRolePolicy(
        new PolicyStatement({
          sid: 'RecordTheVerdict',
          actions: ['cloudwatch:PutMetricData'],
          resources: ['*'],
          conditions: { StringEquals: { 'cloudwatch:namespace': VERDICT_NAMESPACE } },
        }),
      );
    }
    this.function = fn.function;
  }
}
