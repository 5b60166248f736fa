import { Arn, ArnFormat } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

export interface ConditionsRoleProps {
  /** Physical role name, known to the pipeline before the role exists. */
  readonly roleName: string;
  /** The one role that may assume this one: the bake function's, in the pipeline's account. */
  readonly trustedRoleArn: string;
  /** The alarms the conditions read. */
  readonly alarms: readonly IAlarm[];
}

/**
 * The role the pipeline's bake action assumes in a stage's account to read its health alarm and
 * the alarm's history, allowed those reads and nothing else. Its trust policy names the pipeline's
 * account with a condition on the caller's role (`aws:PrincipalArn`), so that no other identity
 * of that account may assume it; a condition, not the role as principal, because IAM would
 * replace a principal role by its unique id, which a recreated role does not keep.
 */
export class ConditionsRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ConditionsRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      assumedBy: new AccountPrincipal(
        Arn.split(props.trustedRoleArn, ArnFormat.SLASH_RESOURCE_NAME).account,
      ).withConditions({
        ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArn },
      }),
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
