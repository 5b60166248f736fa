import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Alias } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { StringParameter } from 'aws-cdk-lib/aws-ssm';
import {
  CfnAccessLogSubscription,
  CfnAuthPolicy,
  CfnListener,
  CfnService,
  CfnServiceNetworkServiceAssociation,
  CfnTargetGroup,
} from 'aws-cdk-lib/aws-vpclattice';
import { Construct } from 'constructs';
import type { LatticeNetworkModel } from '../config/model';
import {
  latticeLogGroupName,
  latticeServiceName,
  serviceNetworkParameterName,
} from '../resource-names';
import { invokePolicy } from './invoke-policy';

/** One minute, like every other alarm of the project. */
const PERIOD = Duration.minutes(1);

export interface LatticeFrontDoorProps {
  /** `<pipelineName>-<stage>`: prefixes every physical name. */
  readonly prefix: string;
  /** The service's name. */
  readonly service: string;
  /** The `live` alias: the front door's only target. */
  readonly alias: Alias;
  /** The environment's network settings: which network, who may call. */
  readonly network: LatticeNetworkModel;
  /**
   * Told when the front door answers with 5xx.
   * @default no one
   */
  readonly action?: IAlarmAction;
}

/**
 * A VPC Lattice front door for a service: a Lattice service (IAM auth) with an HTTPS listener
 * whose only target group is of type LAMBDA and targets the service's `live` alias. CodeDeploy's
 * traffic shift on the alias is therefore exactly the split Lattice callers see: one traffic
 * engine, one set of weights, nothing for a second controller to rewrite behind
 * CloudFormation's back. Only the configured callers may invoke (auth policy), every request is
 * logged (access logs with a retention), Lattice may invoke the alias and nothing else, and the
 * service joins the stage's service network (or the one the environment names).
 *
 * A Lattice 5xx alarm notifies; the version-scoped alarms of the deployment group still decide
 * a rollback.
 */
export class LatticeFrontDoor extends Construct {
  readonly service: CfnService;
  readonly targetGroup: CfnTargetGroup;
  /** `https://<service DNS name>`. */
  readonly url: string;
  readonly serverErrors: Alarm;

  constructor(scope: Construct, id: string, props: LatticeFrontDoorProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const name = latticeServiceName(props.prefix, props.service).toLowerCase();

    this.service = new CfnService(this, 'Service', { name, authType: 'AWS_IAM' });
    this.targetGroup = new CfnTargetGroup(this, 'TargetGroup', {
      name,
      type: 'LAMBDA',
      config: { lambdaEventStructureVersion: 'V2' },
      targets: [{ id: props.alias.functionArn }],
    });
    props.alias.addPermission('LatticeInvoke', {
      principal: new ServicePrincipal('vpc-lattice.amazonaws.com'),
      sourceArn: this.targetGroup.attrArn,
    });
    new CfnListener(this, 'Listener', {
      serviceIdentifier: this.service.attrId,
      protocol: 'HTTPS',
      port: 443,
      defaultAction: {
        forward: {
          targetGroups: [{ targetGroupIdentifier: this.targetGroup.attrId, weight: 100 }],
        },
      },
    });
    new CfnAuthPolicy(this, 'AuthPolicy', {
      resourceIdentifier: this.service.attrId,
      policy: invokePolicy(props.network, `${this.service.attrArn}/*`, stack.partition),
    });
    const logs = new LogGroup(this, 'AccessLogs', {
      logGroupName: latticeLogGroupName(props.prefix, props.service),
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    new CfnAccessLogSubscription(this, 'AccessLogSubscription', {
      resourceIdentifier: this.service.attrId,
      destinationArn: logs.logGroupArn,
    });
    new CfnServiceNetworkServiceAssociation(this, 'NetworkAssociation', {
      serviceIdentifier: this.service.attrId,
      serviceNetworkIdentifier:
        props.network.serviceNetwork ??
        StringParameter.valueForStringParameter(this, serviceNetworkParameterName(props.prefix)),
    });
    this.url = `https://${this.service.attrDnsEntryDomainName}`;

    this.serverErrors = new Alarm(this, 'ServerErrors', {
      alarmName: `${latticeServiceName(props.prefix, props.service)}-lattice-5xx`,
      alarmDescription: `${props.service}'s VPC Lattice front door answered with 5xx. Notifies; the release alarms of the deployment group decide a rollback.`,
      metric: this.metric('HTTPCode_5XX_Count', 'Sum'),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.action) {
      this.serverErrors.addAlarmAction(props.action);
      this.serverErrors.addOkAction(props.action);
    }
  }

  /** A metric of the Lattice service, e.g. `TotalRequestCount`, `HTTPCode_5XX_Count`, `RequestTime`. */
  metric(metricName: string, statistic: string): Metric {
    return new Metric({
      namespace: 'AWS/VpcLattice',
      metricName,
      dimensionsMap: { Service: this.service.attrId },
      statistic,
      period: PERIOD,
    });
  }

  /** A metric of the target group, the alias behind the front door. */
  targetGroupMetric(metricName: string, statistic: string): Metric {
    return new Metric({
      namespace: 'AWS/VpcLattice',
      metricName,
      dimensionsMap: { TargetGroup: this.targetGroup.attrId },
      statistic,
      period: PERIOD,
    });
  }
}
