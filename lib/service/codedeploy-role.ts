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
