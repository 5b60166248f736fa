import { AccountPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

export interface ConditionsRoleProps {
  /** Physical role name, known to the pipeline before the role exists. */
  readonly roleName: string;
  /** The tools account, whose pipeline evaluates the stage conditions. */
  readonly pipelineAccount: string;
  /** The alarms the conditions read. */
  readonly alarms: readonly IAlarm[];
}

/**
 * The role the pipeline's bake action assumes in a stage's account to read its health alarm and
 * the alarm's history: trusted by the pipeline's account only, allowed those reads and nothing
 * else.
 */
export class ConditionsRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ConditionsRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new AccountPrincipal(props.pipelineAccount),
      description:
        "Assumed by the delivery pipeline's bake action to read this stage's health alarm and its history",
    });
    this.role.addToPolicy(
      new PolicyStatement({
        actions: ['cloudwatch:DescribeAlarmHistory'],
        resources: props.alarms.map((a) => a.alarmArn),
      }),
    );
    // DescribeAlarms returns a composite alarm only to a caller allowed it on "*" (CloudWatch
    // API reference, DescribeAlarms); the health alarm is a composite.
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'DescribeCompositeAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: ['*'],
      }),
    );
  }
}
