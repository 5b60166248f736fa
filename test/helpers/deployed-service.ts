import type { CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';

/** A resource of a synthesized template, as loosely typed as tests read it. */
export interface Resource {
  readonly Type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly Properties: any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly UpdatePolicy?: any;
  readonly DependsOn?: string | string[];
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

export type Resources = Record<string, Resource>;

/** Everything a service's deployment is made of in one stack, found from its deployment group. */
export interface DeployedService {
  /** The service's name, from its deployment group's name `<prefix>-<service>`. */
  readonly name: string;
  readonly groupId: string;
  readonly group: Resource;
  readonly aliasId: string;
  readonly alias: Resource;
  readonly versionId: string;
  readonly version: Resource;
  readonly functionId: string;
  readonly function: Resource;
  readonly preHookId: string;
  readonly postHookId: string;
  /** The deployment group's alarms, by logical id. */
  readonly alarms: Record<string, Resource>;
}

export function resourcesOf(stack: CloudFormationStackArtifact): Resources {
  return stack.template.Resources as Resources;
}

export function ofType(resources: Resources, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

/** The services deployed in a stack of the stage with physical-name prefix `prefix`. */
export function deployedServices(resources: Resources, prefix: string): DeployedService[] {
  return ofType(resources, 'AWS::CodeDeploy::DeploymentGroup').map(([groupId, group]) => {
    const [aliasId, alias] = ofType(resources, 'AWS::Lambda::Alias').find(
      ([, a]) => a.UpdatePolicy?.CodeDeployLambdaAliasUpdate?.DeploymentGroupName?.Ref === groupId,
    )!;
    const versionId = alias.Properties.FunctionVersion['Fn::GetAtt'][0] as string;
    const functionId = alias.Properties.FunctionName.Ref as string;
    const update = alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
    const alarms = Object.fromEntries(
      (group.Properties.AlarmConfiguration?.Alarms ?? []).map((a: { Name: { Ref: string } }) => [
        a.Name.Ref,
        resources[a.Name.Ref],
      ]),
    );
    return {
      name: String(group.Properties.DeploymentGroupName).slice(prefix.length + 1),
      groupId,
      group,
      aliasId,
      alias,
      versionId,
      version: resources[versionId],
      functionId,
      function: resources[functionId],
      preHookId: update.BeforeAllowTrafficHook.Ref,
      postHookId: update.AfterAllowTrafficHook.Ref,
      alarms,
    };
  });
}

/** The statements of every policy attached to the role of the function `functionId`. */
export function statementsOf(
  resources: Resources,
  functionId: string,
): { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string }[] {
  const roleId = resources[functionId].Properties.Role['Fn::GetAtt'][0];
  return ofType(resources, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: { Ref: string }) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
}

/**
 * The metrics an alarm reads: its own metric, or every metric of its metric-math expression,
 * each with its period and dimensions.
 */
export function alarmMetrics(
  alarm: Resource,
): { MetricName: string; Period: number; Dimensions: { Name: string; Value: unknown }[] }[] {
  const p = alarm.Properties;
  if (!p.Metrics) return [{ MetricName: p.MetricName, Period: p.Period, Dimensions: p.Dimensions }];
  return p.Metrics.filter((m: { MetricStat?: unknown }) => m.MetricStat).map(
    (m: { MetricStat: { Metric: { MetricName: string; Dimensions: [] }; Period: number } }) => ({
      ...m.MetricStat.Metric,
      Period: m.MetricStat.Period,
    }),
  );
}

/** The expression an alarm's metric math returns, if it has one. */
export function alarmExpression(alarm: Resource): string | undefined {
  return alarm.Properties.Metrics?.find((m: { ReturnData?: boolean }) => m.ReturnData !== false)
    ?.Expression;
}
