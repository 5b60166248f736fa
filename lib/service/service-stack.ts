import {
  ArnFormat,
  CfnOutput,
  CfnResource,
  Duration,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import type { IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MAX_RESOURCES_PER_STACK } from '../config/grouping';
import type { EnvironmentModel, ServiceModel } from '../config/model';
import { CanaryService } from './canary-service';
import { deploymentConfigFor } from './deployment-config';
import type { FunctionCode } from './function-bundles';
import { pascal, serviceOutputKey, stageTopicName, type ServiceOutput } from '../resource-names';

export interface ServiceStackProps extends StackProps {
  readonly stageName: string;
  /** `<pipelineName>-<stage>`: prefixes every physical name. */
  readonly prefix: string;
  /** The environment of the stage it deploys to. */
  readonly environment: EnvironmentModel;
  /** The bundled code of every function. */
  readonly code: FunctionCode;
  /** The services this stack deploys (resolved for the stage). */
  readonly services: readonly ServiceModel[];
  /** @default none */
  readonly smokeTestPrincipal?: IPrincipal;
}

/**
 * The stack a service (or a group of services) deploys in. Its outputs are what the smoke
 * tests, the ops command and an operator need: per service the function, the alias ARN, the
 * deployment group and the alarms.
 */
export class ServiceStack extends Stack {
  readonly services: readonly CanaryService[];
  /** Per service name, the output holding the `live` alias ARN. */
  readonly aliasArnOutputs: ReadonlyMap<string, CfnOutput>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(deadLetterQueue).acknowledge({
      id: 'Serverless-SQSRedrivePolicy',
      reason:
        "This queue is itself the dead-letter queue and on-failure destination of the stack's functions; nothing consumes it, operators inspect it, so a redrive target would never receive a message.",
    });

    // The stage's topic, by its name: its monitoring stack is deployed before this one, and a
    // name (not a cross-stack reference) keeps the two stacks independent.
    const notificationTopic = Topic.fromTopicArn(
      this,
      'StageTopic',
      this.formatArn({
        service: 'sns',
        resource: stageTopicName(props.prefix),
        arnFormat: ArnFormat.NO_RESOURCE_NAME,
      }),
    );
    const aliasArnOutputs = new Map<string, CfnOutput>();
    this.services = props.services.map((service) => {
      const canary = new CanaryService(this, pascal(service.name), {
        service,
        code: props.code,
        stageName: props.stageName,
        prefix: props.prefix,
        environment: props.environment,
        deploymentConfig: deploymentConfigFor(this, service.strategy),
        deadLetterQueue,
        smokeTestPrincipal: props.smokeTestPrincipal,
        notificationTopic,
      });
      const output = (name: ServiceOutput, value: string, description: string) =>
        new CfnOutput(this, serviceOutputKey(service.name, name), { value, description });
      output('FunctionName', canary.function.functionName, `${service.name}: function name`);
      aliasArnOutputs.set(
        service.name,
        output('AliasArn', canary.alias.functionArn, `${service.name}: ARN of the live alias`),
      );
      output(
        'DeploymentGroup',
        `${canary.deploymentGroup.application.applicationName}/${canary.deploymentGroup.deploymentGroupName}`,
        `${service.name}: CodeDeploy application/deployment group`,
      );
      output(
        'Alarms',
        canary.alarms.map((a) => a.alarmName).join(','),
        `${service.name}: alarms that roll a deployment back`,
      );
      if (canary.frontDoor) {
        new CfnOutput(this, `${pascal(service.name)}LatticeUrl`, {
          value: canary.frontDoor.url,
          description: `${service.name}: URL of its VPC Lattice front door (callers in the service network, SigV4-signed)`,
        });
      }
      return canary;
    });
    this.aliasArnOutputs = aliasArnOutputs;
    this.node.addValidation({
      validate: () => {
        const count = this.node.findAll().filter((c) => CfnResource.isCfnResource(c)).length;
        return count > MAX_RESOURCES_PER_STACK
          ? [
              `stack ${this.stackName} has ${count} resources, more than the ${MAX_RESOURCES_PER_STACK} this project allows (CloudFormation's limit is 500). Fix: move some of its services (${props.services.map((s) => s.name).join(', ')}) into another shared stack in the stage entry`,
            ]
          : [];
      },
    });
  }
}
