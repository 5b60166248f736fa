import {
  applicationStageId,
  conditionsRoleName,
  smokeTestRoleName,
  deployActionName,
  healthGateName,
  hookFunctionName,
  latticeServiceName,
  monitoringDeployActionName,
  monitoringStackName,
  overviewDashboardName,
  releaseJudgeName,
  serviceBaseName,
  serviceDashboardName,
  serviceNetworkName,
  serviceStackName,
  verdictAlarmName,
} from '../resource-names';
import type { StageModel } from './model';

/**
 * The names a person chooses (services, stages, environments, shared stacks) and the physical
 * names the app derives from them. Two questions are answered here: is a chosen name safe to use
 * as a key in code, and does every derived name fit its AWS limit and belong to one owner only.
 */

/** Words JavaScript reserves in any context (strict mode and modules included). */
const RESERVED_WORDS = new Set([
  ...['await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default'],
  ...['delete', 'do', 'else', 'enum', 'export', 'extends', 'false', 'finally', 'for'],
  ...['function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let', 'new'],
  ...['null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super'],
  ...['switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with'],
  ...['yield', 'arguments', 'eval'],
]);

/** Properties every object has: a lookup by one of these finds the property, not an entry. */
const OBJECT_KEYS = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * Why `name` cannot name a service, stage or environment although it may follow the grammar:
 * a JavaScript reserved word or an `Object.prototype` property (`constructor`, `__proto__`,
 * `toString`, ...). Undefined when it can.
 */
export function reservedNameProblem(name: string): string | undefined {
  if (OBJECT_KEYS.has(name)) {
    return 'is a property every JavaScript object has, so a lookup by this name would find that property instead of the entry. Fix: choose another name';
  }
  if (RESERVED_WORDS.has(name)) {
    return 'is a JavaScript reserved word, which code that handles entries by name cannot use safely. Fix: choose another name';
  }
  return undefined;
}

/** `group-N`: the shared stacks `npm run new-service` opens once a stage has enough stacks. */
export const SHARED_STACK_PATTERN = /^group-\d+$/;

/** Kinds of physical names, with the AWS limit on their length. */
export const NAME_LIMITS = {
  function: { max: 64, limit: "Lambda's limit of 64 characters for function names" },
  stack: { max: 128, limit: "CloudFormation's limit of 128 characters for stack names" },
  'deployment group': {
    max: 100,
    limit: "CodeDeploy's limit of 100 characters for deployment group names",
  },
  alarm: { max: 255, limit: "CloudWatch's limit of 255 characters for alarm names" },
  dashboard: { max: 255, limit: "CloudWatch's limit of 255 characters for dashboard names" },
  'pipeline action': {
    max: 100,
    limit:
      "CodePipeline's limit of 100 characters for action names (CDK Pipelines names the deploy action of a stack <stack name>.Deploy, and would shorten a longer one to a hash)",
  },
  'Lattice service': {
    max: 40,
    limit: "VPC Lattice's limit of 40 characters for service names",
  },
  'Lattice service network': {
    max: 63,
    limit: "VPC Lattice's limit of 63 characters for service network names",
  },
  role: { max: 64, limit: "IAM's limit of 64 characters for role names" },
} as const;

export type NameKind = keyof typeof NAME_LIMITS;

/** Who a derived name belongs to, for the message that refuses it. */
export type NameOwner =
  | { readonly kind: 'service'; readonly name: string }
  | { readonly kind: 'stack'; readonly name: string }
  | { readonly kind: 'stage' };

/** One physical name a stage entry makes the app create. */
export interface DerivedName {
  readonly kind: NameKind;
  readonly name: string;
  /** What it names for its owner, e.g. `post-traffic hook function`. */
  readonly what: string;
  readonly owner: NameOwner;
  /** Whether it is the owner's own name with only the stage prefix added. */
  readonly base: boolean;
  /** The chosen names it is made of, each with where it is set, for the fix. */
  readonly parts: readonly string[];
}

/**
 * Every physical name a resolved stage creates whose length or owner a configuration decides:
 * functions, stacks, deployment groups, alarms, dashboards, pipeline deploy actions (one per
 * environment), Lattice services and networks, the role its conditions read alarms with, and
 * the bake's health gate (one function of the pipeline, counted with every stage that bakes).
 */
export function derivedNames(
  stage: StageModel,
  pipelineName: string,
  configFile: string,
  /** Stage-environment pairs of the whole app: the Monitoring wave's stages. */
  monitoringStages: number,
): DerivedName[] {
  const common = [
    `the stage name "${stage.name}"`,
    `pipelineName "${pipelineName}" (${configFile})`,
  ];
  const names: DerivedName[] = [];
  const add = (
    kind: NameKind,
    name: string,
    what: string,
    owner: NameOwner,
    base: boolean,
    parts: readonly string[],
  ) => names.push({ kind, name, what, owner, base, parts });

  const stacks = new Map<string, NameOwner>();
  for (const s of stage.services) {
    const owner: NameOwner = { kind: 'service', name: s.name };
    const parts = [`the service name "${s.name}"`, ...common];
    const base = serviceBaseName(stage.prefix, s.name);
    add('function', base, 'function', owner, true, parts);
    for (const phase of ['pre', 'post'] as const) {
      const what = `${phase}-traffic hook function`;
      add('function', hookFunctionName(stage.prefix, s.name, phase), what, owner, false, parts);
    }
    add('deployment group', base, 'deployment group', owner, true, parts);
    // The verdict alarm names the version being released: measured with a 6-digit one.
    add(
      'alarm',
      verdictAlarmName(stage.prefix, s.name, '999999'),
      'canary-verdict alarm',
      owner,
      false,
      parts,
    );
    const dashboard = serviceDashboardName(stage.prefix, s.name);
    add('dashboard', dashboard, 'dashboard', owner, true, parts);
    if (s.lattice) {
      const name = latticeServiceName(stage.prefix, s.name);
      add('Lattice service', name, 'VPC Lattice service', owner, true, parts);
    }
    if (!stacks.has(s.stack)) {
      stacks.set(s.stack, s.stack === s.name ? owner : { kind: 'stack', name: s.stack });
    }
  }
  const monitoring = monitoringStackName(stage.prefix);
  const stageOwner: NameOwner = { kind: 'stage' };
  add('stack', monitoring, 'monitoring stack', stageOwner, false, common);
  const overview = overviewDashboardName(stage.prefix);
  add('dashboard', overview, 'overview dashboard', stageOwner, false, common);
  add(
    'function',
    releaseJudgeName(stage.prefix),
    'release judge function',
    stageOwner,
    false,
    common,
  );
  if (stage.bakeMinutes > 0) {
    const parts = [`pipelineName "${pipelineName}" (${configFile})`];
    const what = "bake's health gate function";
    add('function', healthGateName(pipelineName), what, stageOwner, false, parts);
    const role = "bake's health gate role (the alarm readers trust it by name)";
    add('role', healthGateName(pipelineName), role, stageOwner, false, parts);
  }
  const regions = new Set(stage.waves.flatMap((w) => w.environments.map((e) => e.region)));
  for (const region of stage.bakeMinutes > 0 ? regions : []) {
    const what = `conditions role in ${region}`;
    add('role', conditionsRoleName(stage.prefix, region), what, stageOwner, false, common);
  }
  if (stage.smokeTests) {
    for (const wave of stage.waves) {
      const what = `smoke step's role of wave ${wave.index}`;
      add('role', smokeTestRoleName(stage.prefix, wave), what, stageOwner, false, common);
    }
  }
  const createsNetwork = stage.waves.some((w) =>
    w.environments.some((e) => e.lattice.serviceNetwork === undefined),
  );
  if (stage.services.some((s) => s.lattice) && createsNetwork) {
    const name = serviceNetworkName(stage.prefix);
    add('Lattice service network', name, 'VPC Lattice service network', stageOwner, false, common);
  }

  const stackNames: Array<{ name: string; owner: NameOwner; parts: readonly string[] }> = [];
  for (const [stack, owner] of stacks) {
    const name = serviceStackName(stage.prefix, stack);
    const parts = [
      owner.kind === 'stack' ? `the shared stack name "${stack}"` : `the service name "${stack}"`,
      ...common,
    ];
    add('stack', name, 'stack', owner, true, parts);
    stackNames.push({ name, owner, parts });
  }
  for (const wave of stage.waves) {
    for (const env of wave.environments) {
      const id = applicationStageId(stage, env);
      const envPart = [`the environment name "${env.name}"`];
      const what = `deploy action in environment "${env.name}"`;
      const action = monitoringDeployActionName(stage, env, monitoring, monitoringStages);
      const monitoringParts =
        monitoringStages === 1 || id === stage.name ? common : [...common, ...envPart];
      add('pipeline action', action, `monitoring ${what}`, stageOwner, false, monitoringParts);
      for (const stack of stackNames) {
        const name = deployActionName(stage, env, stack.name);
        const parts = name.startsWith(`${id}.`) ? [...stack.parts, ...envPart] : stack.parts;
        add('pipeline action', name, what, stack.owner, false, parts);
      }
    }
  }
  return names;
}

/** The first derived name over its limit, the one to shorten most. */
export function longestOverLimit(names: readonly DerivedName[]): DerivedName | undefined {
  let worst: { name: DerivedName; over: number } | undefined;
  for (const n of names) {
    const over = n.name.length - NAME_LIMITS[n.kind].max;
    if (over > 0 && (!worst || over > worst.over)) worst = { name: n, over };
  }
  return worst?.name;
}

/**
 * Two derived names of one kind that belong to different owners: the same physical name twice.
 * Compared without case: `Monitoring` and `monitoring` read as one name in a console, and clash
 * on a case-insensitive file system. Returns the pair with the one to rename first.
 */
export function firstClash(
  names: readonly DerivedName[],
): { readonly rename: DerivedName; readonly other: DerivedName } | undefined {
  const seen = new Map<string, DerivedName>();
  for (const n of names) {
    const key = `${n.kind}\0${n.name.toLowerCase()}`;
    const earlier = seen.get(key);
    if (!earlier) {
      seen.set(key, n);
      continue;
    }
    if (sameOwner(earlier.owner, n.owner)) continue;
    // Rename what a person named (a service or shared stack whose own name is the clash),
    // not a name the app derives with a suffix, and never the stage's own resources.
    const renameable = (d: DerivedName) => d.owner.kind !== 'stage' && d.base;
    const rename = renameable(n) || !renameable(earlier) ? n : earlier;
    return { rename, other: rename === n ? earlier : n };
  }
  return undefined;
}

function sameOwner(a: NameOwner, b: NameOwner): boolean {
  return a.kind === b.kind && (a.kind === 'stage' || a.name === (b as { name: string }).name);
}

/** Lower-case letters, digits and single hyphens, not at either end: VPC Lattice's name rule. */
export const LATTICE_NAME_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;
