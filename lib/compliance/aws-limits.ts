import { renderText, type CfnResourceJson, type CfnTemplate } from './template-text';

/**
 * AWS limits that CloudFormation meets only at deploy time, measured on a synthesized template.
 * Each measurement is a count or a size against its limit; the gate fails on any over its limit
 * and names the nearest ones, and `npm run bench` prints them as the service count grows.
 */
export interface LimitRule {
  /** Rule id in the validation report, e.g. `aws-limit-cfn-resources`. */
  readonly id: string;
  /** What is counted, e.g. `resources in a CloudFormation stack`. */
  readonly what: string;
  readonly max: number;
  /** How to get back under the limit. */
  readonly fix: string;
}

const rule = (id: string, what: string, max: number, fix: string): LimitRule => ({
  id: `aws-limit-${id}`,
  what,
  max,
  fix,
});

/** Every limit measured, by short key. */
export const LIMITS = {
  resources: rule(
    'cfn-resources',
    'resources in a CloudFormation stack',
    500,
    'move services into another stack: give some of them another shared stack in the stage entry ({ name, stack: "group-N" })',
  ),
  outputs: rule(
    'cfn-outputs',
    'outputs of a CloudFormation stack',
    200,
    'move services into another stack (each service adds four outputs)',
  ),
  parameters: rule(
    'cfn-parameters',
    'parameters of a CloudFormation stack',
    200,
    'move services into another stack (each asset may add parameters)',
  ),
  templateBytes: rule(
    'cfn-template-size',
    'bytes of a CloudFormation template',
    1_048_576,
    'move services into another stack',
  ),
  lambdaEnvironment: rule(
    'lambda-environment',
    'bytes of a Lambda function’s environment variables (names and values)',
    4096,
    'move large values out of the environment: into the bundle, a file beside the handler, or SSM Parameter Store',
  ),
  functionName: rule(
    'lambda-function-name',
    'characters of a Lambda function name',
    64,
    'shorten pipelineName, the stage name or the service name',
  ),
  actionsPerStage: rule(
    'codepipeline-actions-per-stage',
    'actions in one CodePipeline stage',
    50,
    'place services in shared stacks ({ name, stack: "group-N" }) or split the environments of a wave over two waves',
  ),
  stagesPerPipeline: rule(
    'codepipeline-stages',
    'stages of a CodePipeline pipeline',
    50,
    'use fewer stage entries or waves',
  ),
  actionConfiguration: rule(
    'codepipeline-action-configuration',
    'characters of one CodePipeline action configuration value',
    1000,
    'pass large or growing data as a file in an input artifact instead of the action configuration (e.g. environment variables)',
  ),
  actionName: rule(
    'codepipeline-action-name',
    'characters of a CodePipeline action name',
    100,
    'shorten pipelineName, the stage name or the stack names',
  ),
  namespaces: rule(
    'codepipeline-namespaces',
    'actions sharing one CodePipeline variable namespace',
    1,
    'give every action that exports variables a namespace of its own',
  ),
  alarmWidget: rule(
    'cloudwatch-alarm-widget',
    'alarms in one CloudWatch alarm-status widget',
    100,
    'split the alarms over several widgets or summarize them with composite alarms',
  ),
  widgetMetrics: rule(
    'cloudwatch-widget-metrics',
    'metrics in one CloudWatch dashboard widget',
    500,
    'chart fewer series per widget, e.g. one SEARCH expression instead of a line per service',
  ),
  dashboardMetrics: rule(
    'cloudwatch-dashboard-metrics',
    'metrics on one CloudWatch dashboard',
    2500,
    'split the dashboard or chart with SEARCH expressions',
  ),
  rolePolicy: rule(
    'iam-role-inline-policy',
    'characters of the inline policies of one IAM role (whitespace excluded)',
    10_240,
    'grant with fewer, broader-but-scoped ARN patterns (e.g. a name prefix) instead of one ARN per resource',
  ),
} as const;

/** One measured value against its limit. */
export interface Measurement {
  readonly rule: LimitRule;
  readonly value: number;
  /** The resource measured (absent for the template as a whole). */
  readonly logicalId?: string;
  /** Where in the resource, e.g. `Properties/Stages/4`. */
  readonly location?: string;
  /** A short name of what was measured, for messages: a stage name, a widget title, ... */
  readonly subject?: string;
}

/** Every measurement of a template: the stack-wide ones and those of each resource. */
export function measureTemplate(template: CfnTemplate, templateBytes: number): Measurement[] {
  const resources = template.Resources ?? {};
  const out: Measurement[] = [
    { rule: LIMITS.resources, value: Object.keys(resources).length },
    { rule: LIMITS.outputs, value: Object.keys(template.Outputs ?? {}).length },
    { rule: LIMITS.parameters, value: Object.keys(template.Parameters ?? {}).length },
    { rule: LIMITS.templateBytes, value: templateBytes },
  ];
  const policyChars = new Map<string, number>();
  for (const [id, resource] of Object.entries(resources)) {
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
        out.push(...measureFunction(id, resource));
        break;
      case 'AWS::CodePipeline::Pipeline':
        out.push(...measurePipeline(id, resource));
        break;
      case 'AWS::CloudWatch::Dashboard':
        out.push(...measureDashboard(id, resource));
        break;
      case 'AWS::IAM::Policy':
        for (const role of [resource.Properties?.Roles ?? []].flat()) {
          const key = JSON.stringify(role);
          policyChars.set(key, (policyChars.get(key) ?? 0) + policyLength(resource));
        }
        break;
    }
  }
  for (const [role, chars] of policyChars) {
    const ref = (JSON.parse(role) as { Ref?: string }).Ref;
    out.push({ rule: LIMITS.rolePolicy, value: chars, logicalId: ref, subject: ref ?? role });
  }
  return out;
}

function measureFunction(id: string, fn: CfnResourceJson): Measurement[] {
  const props = fn.Properties ?? {};
  const variables = ((props.Environment as { Variables?: Record<string, unknown> } | undefined)
    ?.Variables ?? {}) as Record<string, unknown>;
  const envBytes = Object.entries(variables).reduce(
    (sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(renderText(v)),
    0,
  );
  const out: Measurement[] = [
    {
      rule: LIMITS.lambdaEnvironment,
      value: envBytes,
      logicalId: id,
      location: 'Properties/Environment/Variables',
    },
  ];
  if (typeof props.FunctionName === 'string') {
    out.push({
      rule: LIMITS.functionName,
      value: props.FunctionName.length,
      logicalId: id,
      location: 'Properties/FunctionName',
      subject: props.FunctionName,
    });
  }
  return out;
}

interface PipelineAction {
  readonly Name: string;
  readonly Namespace?: string;
  readonly Configuration?: Record<string, unknown>;
}

function measurePipeline(id: string, pipeline: CfnResourceJson): Measurement[] {
  const stages = (pipeline.Properties?.Stages ?? []) as {
    Name: string;
    Actions: PipelineAction[];
  }[];
  const out: Measurement[] = [
    {
      rule: LIMITS.stagesPerPipeline,
      value: stages.length,
      logicalId: id,
      location: 'Properties/Stages',
    },
  ];
  const namespaces = new Map<string, number>();
  stages.forEach((stage, s) => {
    out.push({
      rule: LIMITS.actionsPerStage,
      value: stage.Actions.length,
      logicalId: id,
      location: `Properties/Stages/${s}/Actions`,
      subject: `stage ${stage.Name}`,
    });
    stage.Actions.forEach((action, a) => {
      const where = `Properties/Stages/${s}/Actions/${a}`;
      out.push({
        rule: LIMITS.actionName,
        value: action.Name.length,
        logicalId: id,
        location: `${where}/Name`,
        subject: action.Name,
      });
      if (action.Namespace) {
        namespaces.set(action.Namespace, (namespaces.get(action.Namespace) ?? 0) + 1);
      }
      for (const [key, value] of Object.entries(action.Configuration ?? {})) {
        out.push({
          rule: LIMITS.actionConfiguration,
          value: renderText(value).length,
          logicalId: id,
          location: `${where}/Configuration/${key}`,
          subject: `${stage.Name}/${action.Name} ${key}`,
        });
      }
    });
  });
  for (const [namespace, count] of namespaces) {
    out.push({
      rule: LIMITS.namespaces,
      value: count,
      logicalId: id,
      subject: `namespace ${namespace}`,
    });
  }
  return out;
}

interface Widget {
  readonly type: string;
  readonly properties?: { title?: string; alarms?: unknown[]; metrics?: unknown[] };
}

function measureDashboard(id: string, dashboard: CfnResourceJson): Measurement[] {
  const name = String(dashboard.Properties?.DashboardName ?? id);
  let body: { widgets?: Widget[] };
  try {
    body = JSON.parse(renderText(dashboard.Properties?.DashboardBody ?? '{}'));
  } catch {
    return [];
  }
  const out: Measurement[] = [];
  let total = 0;
  (body.widgets ?? []).forEach((widget, w) => {
    const title = widget.properties?.title ?? `widget ${w + 1}`;
    const location = `Properties/DashboardBody (widget ${w + 1})`;
    if (widget.type === 'alarm') {
      const alarms = widget.properties?.alarms?.length ?? 0;
      out.push({
        rule: LIMITS.alarmWidget,
        value: alarms,
        logicalId: id,
        location,
        subject: `${name}: ${title}`,
      });
    }
    const metrics = widget.properties?.metrics?.length ?? 0;
    total += metrics;
    out.push({
      rule: LIMITS.widgetMetrics,
      value: metrics,
      logicalId: id,
      location,
      subject: `${name}: ${title}`,
    });
  });
  out.push({ rule: LIMITS.dashboardMetrics, value: total, logicalId: id, subject: name });
  return out;
}

function policyLength(policy: CfnResourceJson): number {
  return renderText(policy.Properties?.PolicyDocument ?? {}).replace(/\s/g, '').length;
}

/** `12 / 500 (2%)`. */
export function describeMeasurement(m: Measurement): string {
  return `${m.value.toLocaleString('en-US')} / ${m.rule.max.toLocaleString('en-US')} (${Math.round((100 * m.value) / m.rule.max)}%)`;
}
