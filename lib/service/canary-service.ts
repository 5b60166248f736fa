import { ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { LambdaDeploymentGroup, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import type { IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, type IFunction, type Version } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ServiceModel } from '../config/model';
import { CompliantFunction } from './compliant-function';
import type { FunctionCode } from './function-bundles';
import { alarmName, hookFunctionName, LIVE_ALIAS, serviceBaseName } from '../resource-names';
import { ServiceDashboard } from '../monitoring/service-dashboard';
import { TrafficHook } from './traffic-hook';

export interface CanaryServiceProps {
  /** The validated service definition, resolved for this stage. */
  readonly service: ServiceModel;
  /** The bundled code of the service and of the traffic hooks. */
  readonly code: FunctionCode;
  /** Name of the stage. */
  readonly stageName: string;
  /** `<pipelineName>-<stage>`: prefixes every physical name (see `resource-names.ts`). */
  readonly prefix: string;
  /** How CodeDeploy shifts traffic to a new version. */
  readonly deploymentConfig: ILambdaDeploymentConfig;
  /** Where failed asynchronous invocations of the function and its hooks go. */
  readonly deadLetterQueue: IQueue;
  /**
   * A principal outside the stage allowed to invoke the `live` alias, e.g. the pipeline's
   * smoke-test step.
   * @default none
   */
  readonly smokeTestPrincipal?: IPrincipal;
  /**
   * The topic every alarm notifies when it goes into ALARM and when it returns to OK.
   * @default alarms notify no one (they still roll deployments back)
   */
  readonly notificationTopic?: ITopic;
}

/**
 * One service, deployed safely: a function whose every version is published and retained, a
 * `live` alias, alarms on the alias (errors, p99 duration, throttles), and a CodeDeploy
 * deployment group that shifts the alias with the stage's strategy, runs the synthetic checks
 * in a pre- and a post-traffic hook, and rolls back on a failed hook, a stop or an alarm. The
 * alarms notify the stage's topic, and the service has its own dashboard.
 */
export class CanaryService extends Construct {
  /** The service definition, resolved for the stage. */
  readonly service: ServiceModel;
  readonly function: IFunction;
  readonly version: Version;
  readonly alias: Alias;
  readonly alarms: readonly Alarm[];
  readonly deploymentGroup: LambdaDeploymentGroup;
  readonly preTrafficHook: TrafficHook;
  readonly postTrafficHook: TrafficHook;
  readonly dashboard: ServiceDashboard;

  constructor(scope: Construct, id: string, props: CanaryServiceProps) {
    super(scope, id);
    this.service = props.service;
    const { service, stageName, prefix } = props;
    const baseName = serviceBaseName(prefix, service.name);

    const fn = new CompliantFunction(this, 'Service', {
      code: props.code.service(service.name),
      functionName: baseName,
      description: service.description,
      memorySize: service.memoryMb,
      timeout: Duration.seconds(service.timeoutSeconds),
      reservedConcurrentExecutions: service.reservedConcurrency,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        POWERTOOLS_SERVICE_NAME: service.name,
        STAGE: stageName,
        ...service.environment,
      },
    }).function;
    this.function = fn;

    // Every change publishes a new version; old ones stay so a rollback has a target.
    this.version = fn.currentVersion;
    this.version.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.alias = new Alias(this, 'LiveAlias', { aliasName: LIVE_ALIAS, version: this.version });
    if (props.smokeTestPrincipal) this.alias.grantInvoke(props.smokeTestPrincipal);

    this.alarms = this.createAlarms(prefix, service);
    if (props.notificationTopic) {
      const action = new SnsAction(props.notificationTopic);
      for (const alarm of this.alarms) {
        alarm.addAlarmAction(action);
        alarm.addOkAction(action);
      }
    }
    this.dashboard = new ServiceDashboard(this, 'Dashboard', {
      stageName,
      prefix,
      service,
      alarms: this.alarms,
    });

    // The alias's UpdatePolicy names both hooks, so neither hook may refer to the alias resource
    // (a Ref or GetAtt would close a dependency cycle CloudFormation refuses): the post-traffic
    // hook's grant is the alias ARN built from the names, which are known at synth.
    const aliasArn = Stack.of(this).formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: `${baseName}:${LIVE_ALIAS}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.preTrafficHook = new TrafficHook(this, 'PreTrafficHook', {
      phase: 'pre-traffic',
      functionName: hookFunctionName(prefix, service.name, 'pre'),
      targetFunctionName: baseName,
      qualifier: this.version.version,
      invokeArn: this.version.functionArn,
      code: props.code.hook(service.name),
      deadLetterQueue: props.deadLetterQueue,
    });
    this.postTrafficHook = new TrafficHook(this, 'PostTrafficHook', {
      phase: 'post-traffic',
      functionName: hookFunctionName(prefix, service.name, 'post'),
      targetFunctionName: baseName,
      qualifier: LIVE_ALIAS,
      invokeArn: aliasArn,
      code: props.code.hook(service.name),
      deadLetterQueue: props.deadLetterQueue,
    });

    this.deploymentGroup = new LambdaDeploymentGroup(this, 'DeploymentGroup', {
      deploymentGroupName: baseName,
      alias: this.alias,
      deploymentConfig: props.deploymentConfig,
      alarms: [...this.alarms],
      preHook: this.preTrafficHook.function,
      postHook: this.postTrafficHook.function,
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    Validations.of(this.deploymentGroup.role).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSCodeDeployRoleForLambdaLimited]',
      reason:
        'LambdaDeploymentGroup always attaches this AWS-managed service-role policy; it is the narrowest one AWS publishes for CodeDeploy on Lambda (read alarms, update aliases), and AWS keeps it in step with the service.',
    });
  }

  private createAlarms(prefix: string, service: ServiceModel): Alarm[] {
    const period = Duration.minutes(1);
    // No data means no traffic, not a failure: a quiet canary window must not roll back.
    const treatMissingData = TreatMissingData.NOT_BREACHING;
    return [
      new Alarm(this, 'ErrorsAlarm', {
        alarmName: alarmName(prefix, service.name, 'errors'),
        alarmDescription: `${service.name}: error rate above ${service.alarms.errorRatePercent}% in a minute of ${service.alarms.minInvocationsPerMinute} or more invocations on the ${LIVE_ALIAS} alias; rolls back a deployment in progress`,
        metric: new MathExpression({
          expression: `IF(inv >= ${service.alarms.minInvocationsPerMinute}, 100 * err / inv, 0)`,
          usingMetrics: {
            inv: this.alias.metricInvocations({ period, statistic: 'Sum' }),
            err: this.alias.metricErrors({ period, statistic: 'Sum' }),
          },
          period,
        }),
        threshold: service.alarms.errorRatePercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData,
      }),
      new Alarm(this, 'LatencyAlarm', {
        alarmName: alarmName(prefix, service.name, 'p99-latency'),
        alarmDescription: `${service.name}: p99 duration above ${service.alarms.p99LatencyMs} ms for 2 of 3 minutes; rolls back a deployment in progress`,
        metric: this.alias.metricDuration({ period, statistic: 'p99' }),
        threshold: service.alarms.p99LatencyMs,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        treatMissingData,
      }),
      new Alarm(this, 'ThrottlesAlarm', {
        alarmName: alarmName(prefix, service.name, 'throttles'),
        alarmDescription: `${service.name}: ${service.alarms.maxThrottles} or more throttles in a minute; rolls back a deployment in progress`,
        metric: this.alias.metricThrottles({ period, statistic: 'Sum' }),
        threshold: service.alarms.maxThrottles,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData,
      }),
    ];
  }
}
