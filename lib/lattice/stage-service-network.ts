import { Stack } from 'aws-cdk-lib';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import {
  CfnAuthPolicy,
  CfnServiceNetwork,
  CfnServiceNetworkVpcAssociation,
} from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import type { LatticeNetworkModel } from '../config/model';
import { serviceNetworkName, serviceNetworkParameterName } from '../resource-names';
import { invokePolicy } from './invoke-policy';

export interface StageServiceNetworkProps {
  /** `<pipelineName>-<stage>`: names the network and its parameter. */
  readonly prefix: string;
  /** Who may call through it, and which VPCs reach it. */
  readonly network: LatticeNetworkModel;
}

/**
 * The VPC Lattice service network of a stage in one environment, for the services that have a
 * front door: IAM auth with a policy that lets only the configured callers invoke, and the
 * configured VPCs associated. Its ARN goes to an SSM parameter with a deterministic name, from
 * which each service stack associates its Lattice service, so the stacks stay independent.
 */
export class StageServiceNetwork extends Construct {
  readonly network: CfnServiceNetwork;
  readonly parameter: StringParameter;

  constructor(scope: Construct, id: string, props: StageServiceNetworkProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.network = new CfnServiceNetwork(this, 'Network', {
      name: serviceNetworkName(props.prefix),
      authType: 'AWS_IAM',
    });
    new CfnAuthPolicy(this, 'AuthPolicy', {
      resourceIdentifier: this.network.attrId,
      policy: invokePolicy(props.network, '*', stack.partition),
    });
    props.network.vpcIds.forEach((vpcId, i) => {
      new CfnServiceNetworkVpcAssociation(this, `Vpc${i + 1}`, {
        serviceNetworkIdentifier: this.network.attrId,
        vpcIdentifier: vpcId,
      });
    });
    this.parameter = new StringParameter(this, 'Arn', {
      parameterName: serviceNetworkParameterName(props.prefix),
      stringValue: this.network.attrArn,
      description: `ARN of the VPC Lattice service network of ${props.prefix}`,
    });
  }
}
