import { ArnFormat, Duration, RemovalPolicy, Stack, type CfnResource } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { LambdaDeploymentGroup, type ILambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { PolicyStatement, type IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, type CfnAlias, type IFunction, type Version } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EnvironmentModel, ServiceModel } from '../config/model';
import { LatticeFrontDoor } from '../lattice/lattice-front-door';
import { ServiceDashboard } from '../monitoring/service-dashboard';
import { hookFunctionName, LIVE_ALIAS, serviceBaseName } from '../resource-names';
import { CodeDeployRole } from './codedeploy-role';
import { CompliantFunction } from './compliant-function';
import type { FunctionCode } from './function-bundles';
import { releaseJudgement } from './judge-policy';
import { TrafficHook } from './traffic-hook';
import { VerdictAlarm } from './verdict-alarm';

export interface CanaryServiceProps {
  /** The validated service definition, resolved for this stage. */
  readonly service: ServiceModel;
  /** The bundled code of the service and of the traffic hooks. */
  readonly code: FunctionCode;
  /** Name of the stage. */
  readonly stageName: string;
  /** `<pipelineName>-<stage>`: prefixes every physical name (see `resource-names.ts`). */
  readonly prefix: string;
  /** The environment it deploys to (its Lattice network settings, for a front door). */
  readonly environment: EnvironmentModel;
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
   * The topic the release alarms notify when they go into ALARM and when they return to OK.
   * @default alarms notify no one (they still roll deployments back)
   */
  readonly notificationTopic?: ITopic;
}

/**
 * One service, deployed safely: a function whose every version is published and retained, a
 * `live` alias, the alarms that judge a release on the new version alone, and a CodeDeploy
 * deployment group that shifts the alias with the stage's strategy, runs the synthetic checks in
 * a pre- and a post-traffic hook, and rolls back on a failed hook, a stop or one of those alarms.
 * The service's fleet alarm (the whole alias) lives in the stage's monitoring stack: it notifies
 * and blocks a stage from starting, it does not judge a release.
 */
export class CanaryService extends Construct {
  /** The service definition, resolved for the stage. */
  readonly service: ServiceModel;
  readonly function: IFunction;
  readonly version: Version;
  readonly alias: Alias;
  /** The deployment group's alarm: the release judge's verdict on the new version. */
  readonly alarms: readonly Alarm[];
  readonly deploymentGroup: LambdaDeploymentGroup;
  readonly preTrafficHook: TrafficHook;
  readonly postTrafficHook: TrafficHook;
  readonly dashboard: ServiceDashboard;
  /** The VPC Lattice front door, where the service has one in this stage. */
  readonly frontDoor?: LatticeFrontDoor;

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

    // Every change publishes a new version. Versions are kept on update and delete, so a
    // rollback has a target, but a version created by a release that is rolled back goes with
    // it (DeletionPolicy RetainExceptOnCreate): Lambda publishes no version identical to its
    // latest, so a retained one would make the same commit fail to deploy again.
    this.version = fn.currentVersion;
    this.version.applyRemovalPolicy(RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE);
    this.alias = new Alias(this, 'LiveAlias', { aliasName: LIVE_ALIAS, version: this.version });
    if (props.smokeTestPrincipal) this.alias.grantInvoke(props.smokeTestPrincipal);

    const action = props.notificationTopic ? new SnsAction(props.notificationTopic) : undefined;
    this.alarms = [
      new VerdictAlarm(this, 'VerdictAlarm', {
        prefix,
        service: service.name,
        version: this.version,
        action,
      }).alarm,
    ];
    if (service.lattice) {
      this.frontDoor = new LatticeFrontDoor(this, 'FrontDoor', {
        prefix,
        service: service.name,
        alias: this.alias,
        network: props.environment.lattice,
        action,
      });
    }
    this.dashboard = new ServiceDashboard(this, 'Dashboard', {
      stageName,
      prefix,
      service,
      alarms: this.alarms,
      frontDoor: this.frontDoor,
    });

    // The alias's UpdatePolicy names both hooks, so neither hook may refer to the alias resource
    // (a Ref or GetAtt would close a dependency cycle CloudFormation refuses): the post-traffic
    // hook's grant is the alias ARN built from the names, which are known at synth. CodeDeploy's
    // role, which the deployment group (and so the alias) waits for, names the function, the
    // alias and the hooks the same way.
    const stack = Stack.of(this);
    const functionArn = (name: string) =>
      stack.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: name,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
    const aliasArn = functionArn(`${baseName}:${LIVE_ALIAS}`);
    const judgement = releaseJudgement(service);
    const preHookName = hookFunctionName(prefix, service.name, 'pre');
    const postHookName = hookFunctionName(prefix, service.name, 'post');
    this.preTrafficHook = new TrafficHook(this, 'PreTrafficHook', {
      phase: 'pre-traffic',
      functionName: preHookName,
      targetFunctionName: baseName,
      qualifier: this.version.version,
      invokeArn: this.version.functionArn,
      code: props.code.hook(service.name),
      deadLetterQueue: props.deadLetterQueue,
    });
    this.postTrafficHook = new TrafficHook(this, 'PostTrafficHook', {
      phase: 'post-traffic',
      functionName: postHookName,
      targetFunctionName: baseName,
      qualifier: LIVE_ALIAS,
      invokeArn: aliasArn,
      code: props.code.hook(service.name),
      deadLetterQueue: props.deadLetterQueue,
      ...(judgement && { judgement: { judgement, versionArn: this.version.functionArn } }),
    });

    const codeDeploy = new CodeDeployRole(this, 'CodeDeploy', {
      functionArn: functionArn(baseName),
      aliasArn,
      versionArn: this.version.functionArn,
      hookArns: [functionArn(preHookName), functionArn(postHookName)],
      alarms: this.alarms,
    });
    // The group takes the role as it is: no AWS-managed policy, no grants added behind it.
    this.deploymentGroup = new LambdaDeploymentGroup(this, 'DeploymentGroup', {
      deploymentGroupName: baseName,
      alias: this.alias,
      deploymentConfig: props.deploymentConfig,
      alarms: [...this.alarms],
      role: codeDeploy.role.withoutPolicyUpdates(),
      autoRollback: { failedDeployment: true, stoppedDeployment: true, deploymentInAlarm: true },
    });
    (this.deploymentGroup.node.defaultChild as CfnResource).addResourceDependency(
      codeDeploy.policy.node.defaultChild as CfnResource,
    );
    // The hooks, named in the alias's UpdatePolicy here rather than through the group, which
    // would grant CodeDeploy's role invokes of every version of them and each hook a report on
    // the deployment group's ARN (see TrafficHook for the report's grant).
    const aliasResource = this.alias.node.defaultChild as CfnAlias;
    const update = aliasResource.cfnOptions.updatePolicy?.codeDeployLambdaAliasUpdate;
    if (!update) throw new Error('LambdaDeploymentGroup set no CodeDeploy update policy');
    aliasResource.cfnOptions.updatePolicy = {
      codeDeployLambdaAliasUpdate: {
        ...update,
        beforeAllowTrafficHook: this.preTrafficHook.function.functionName,
        afterAllowTrafficHook: this.postTrafficHook.function.functionName,
      },
    };
    // The post-traffic hook reads which version its deployment shifts to, and since when, to
    // judge everything the new version served.
    if (judgement) {
      const hook = this.postTrafficHook.function;
      hook.addToRolePolicy(
        new PolicyStatement({
          actions: ['codedeploy:GetDeployment'],
          resources: [this.deploymentGroup.deploymentGroupArn],
        }),
      );
      // The deployment-target calls have no resource-level permissions: AWS lists no resource
      // type for them, so an ARN here would deny them.
      hook.addToRolePolicy(
        new PolicyStatement({
          sid: 'ReadDeploymentTargets',
          actions: ['codedeploy:ListDeploymentTargets', 'codedeploy:BatchGetDeploymentTargets'],
          resources: ['*'],
        }),
      );
    }
  }
}
