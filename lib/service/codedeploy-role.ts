import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Policy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AwsCall } from '../../runtime/aws-calls';

/**
 * What CodeDeploy does with a Lambda deployment group's service role, from the actions of AWS's
 * managed policy for it (AWSCodeDeployRoleForLambdaLimited) that a deployment of this app uses:
 * it reads and shifts the `live` alias (Lambda authorizes GetAlias and UpdateAlias on the
 * function, not on the alias: the Service Authorization Reference and Lambda's "Resources and
 * conditions for Lambda actions" name the function), reads the provisioned concurrency of the
 * alias and of the version it shifts to, invokes the traffic hooks by name, and reads the
 * deployment group's alarms (metric alarms: their ARNs allow it). It reads no S3 object (the
 * app's revisions are the alias's versions) and invokes no `CodeDeployHook_*` function.
 */
export const CODEDEPLOY_CALLS: readonly AwsCall[] = [
  { command: 'CodeDeploy: read the alias', action: 'lambda:GetAlias', on: 'function' },
  { command: 'CodeDeploy: shift the alias', action: 'lambda:UpdateAlias', on: 'function' },
  {
    command: 'CodeDeploy: provisioned concurrency',
    action: 'lambda:GetProvisionedConcurrencyConfig',
    on: 'alias',
  },
  {
    command: 'CodeDeploy: provisioned concurrency',
    action: 'lambda:GetProvisionedConcurrencyConfig',
    on: 'version',
  },
  { command: 'CodeDeploy: run the hooks', action: 'lambda:InvokeFunction', on: 'hooks' },
  { command: 'CodeDeploy: watch the alarms', action: 'cloudwatch:DescribeAlarms', on: 'alarm' },
];

export interface CodeDeployRoleProps {
  /** The service's function, by its unqualified ARN (built from its name). */
  readonly functionArn: string;
  /** The `live` alias's ARN, built from the names (a reference to the alias would close a loop). */
  readonly aliasArn: string;
  /** The version being released (its qualified ARN). */
  readonly versionArn: string;
  /** The traffic hooks' unqualified ARNs, built from their names. */
  readonly hookArns: readonly string[];
  /** The deployment group's alarms. */
  readonly alarms: readonly IAlarm[];
}

/**
 * A deployment group's own CodeDeploy service role, in place of the AWS-managed
 * AWSCodeDeployRoleForLambdaLimited (which allows UpdateAlias and GetAlias on every function of
 * the account, S3 reads and `CodeDeployHook_*` invokes): trusted by CodeDeploy only, and allowed
 * {@link CODEDEPLOY_CALLS} on this service's function, alias, new version, hooks and alarms.
 *
 * The verdict alarm is new with every version, and so is this policy's grant on it: the
 * deployment group, and so the alias whose update starts the deployment, waits for the policy.
 */
export class CodeDeployRole extends Construct {
  readonly role: Role;
  readonly policy: Policy;

  constructor(scope: Construct, id: string, props: CodeDeployRoleProps) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('codedeploy.amazonaws.com'),
      description: 'CodeDeploy service role of one deployment group: shifts its live alias only',
    });
    this.policy = new Policy(this, 'Policy', {
      roles: [this.role],
      statements: [
        new PolicyStatement({
          sid: 'ShiftTheLiveAlias',
          actions: ['lambda:GetAlias', 'lambda:UpdateAlias'],
          resources: [props.functionArn],
        }),
        new PolicyStatement({
          sid: 'ReadProvisionedConcurrency',
          actions: ['lambda:GetProvisionedConcurrencyConfig'],
          resources: [props.aliasArn, props.versionArn],
        }),
        new PolicyStatement({
          sid: 'RunTheHooks',
          actions: ['lambda:InvokeFunction'],
          resources: [...props.hookArns],
        }),
        new PolicyStatement({
          sid: 'WatchTheReleaseAlarms',
          actions: ['cloudwatch:DescribeAlarms'],
          resources: props.alarms.map((a) => a.alarmArn),
        }),
      ],
    });
  }
}
