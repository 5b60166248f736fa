import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import type { SyntheticCheck } from '../../runtime/synthetic/types';
import { latticeServiceName, stagePrefix } from '../resource-names';
import { ConfigError } from './config-error';
import { actionableIssue, closest, describeIssue } from './describe-issue';
import {
  MAX_RULES_PER_CONDITION,
  MAX_ACTIONS_PER_STAGE,
  MAX_RESOURCES_PER_STACK,
  MAX_SERVICES_PER_GROUP,
  servicesByStack,
  stackResources,
  maxSingleStacks,
  waveActions,
} from './grouping';
import { handlerProblem } from './handler-check';
import type { AppModel, EnvironmentModel, ServiceModel, StageModel, WaveModel } from './model';
import {
  derivedNames,
  firstClash,
  LATTICE_NAME_PATTERN,
  longestOverLimit,
  NAME_LIMITS,
  type DerivedName,
  type NameOwner,
} from './names';
import {
  DEFAULTS,
  pipelineConfigSchema,
  SERVICE_NETWORK_PATTERN,
  serviceDefinitionSchema,
  stageEntrySchema,
  syntheticChecksSchema,
  type PipelineConfig,
  type StageEntry,
} from './schema';
import { resolveService, type ParsedService } from './resolve-service';
import { isAllAtOnce, type DeploymentStrategy } from './strategy';

/** A file's default or named export, as loaded, with the file it came from (for messages). */
export interface Loaded<T = unknown> {
  /** Path relative to the project root, e.g. `stages/prod.ts`. */
  readonly file: string;
  readonly value: T;
}

/** A service folder as loaded by `readServices()`. */
export interface LoadedService {
  /** Absolute path of `services/<name>/`. */
  readonly dir: string;
  readonly definition: Loaded;
  readonly checks: Loaded;
  /**
   * The handler's source, for a service not written to disk yet (the scaffold validates the
   * project with the new service before it writes anything). @default read from the file
   */
  readonly handlerSource?: string;
}

export interface AppInput {
  readonly config: Loaded;
  /** In pipeline order. */
  readonly stages: readonly Loaded[];
  readonly services: readonly LoadedService[];
  /** The file that lists the stages, for messages. @default 'stages/index.ts' */
  readonly stagesFile?: string;
}

export interface ValidateOptions {
  /**
   * Refuse a stage that would exceed a pipeline limit (actions per pipeline stage, services per
   * shared stack). Only the benchmark's naive baseline turns this off.
   * @default true
   */
  readonly enforceLimits?: boolean;
}

/**
 * Largest JSON size of one synthetic check's event: each is the payload of one synchronous
 * Lambda invocation, which Lambda limits to 6 MB. (The checks ship as a file in the hook's
 * bundle, so their number and total size have no limit of their own.)
 */
export const MAX_CHECK_EVENT_BYTES = 6 * 1024 * 1024;

/**
 * Validates the whole configuration before any construct is built and resolves it into the
 * model the constructs use. Throws one `ConfigError` for the first problem found: the file, the
 * entry, the field and its value, and the fix.
 */
export function validateApp(input: AppInput, options: ValidateOptions = {}): AppModel {
  const configFile = input.config.file;
  const config = parse(pipelineConfigSchema, input.config, 'pipeline configuration');
  const environments = resolveEnvironments(config, configFile);
  const pipelineRegions = [
    ...new Set([config.pipeline.region, ...(config.pipeline.regions ?? [])]),
  ];
  const services = parseServices(input.services);

  const monitoringStages = stageEnvironmentPairs(input.stages);
  const stageFiles = new Map<string, string>();
  const deployedBefore = new Set<string>();
  const stages: StageModel[] = [];
  for (const loaded of input.stages) {
    const entry = parse(stageEntrySchema, loaded, 'stage entry');
    const where = `Stage entry "${entry.name}" (${loaded.file})`;
    const earlier = stageFiles.get(entry.name);
    if (earlier !== undefined) {
      fail(
        `${where}: the stage name "${entry.name}" is used by an earlier stage (${earlier}). Fix: give every stage a unique name`,
      );
    }
    stageFiles.set(entry.name, loaded.file);
    const context: StageContext = {
      where,
      entry,
      config,
      configFile,
      environments,
      pipelineRegions,
      monitoringStages,
    };
    const waves = resolveWaves(context);
    if (entry.requiresApproval && isAllAtOnce(entry.strategy) && !entry.allAtOnceReason) {
      fail(
        `${where}: strategy is ALL_AT_ONCE in a stage that requires approval, so a bad release would reach all traffic at once. Fix: use a canary or linear strategy, or set allAtOnceReason to say why all-at-once is safe here`,
      );
    }
    const { resolved, latticeSources } = resolveStageServices(context, services);
    const untested = checkUntested(context, resolved, deployedBefore, {
      earlier: stages.map((st) => st.name),
      later: input.stages.slice(stages.length + 1),
      stagesFile: input.stagesFile ?? 'stages/index.ts',
    });
    const stage: StageModel = {
      name: entry.name,
      prefix: stagePrefix(config.pipelineName, entry.name),
      waves,
      strategy: entry.strategy,
      requiresApproval: entry.requiresApproval,
      smokeTests: entry.smokeTests,
      bakeMinutes:
        entry.bakeMinutes ?? (entry.requiresApproval ? DEFAULTS.bakeMinutesWithApproval : 0),
      blockWhileAlarming:
        entry.blockWhileAlarming === undefined
          ? entry.requiresApproval
          : entry.blockWhileAlarming !== false,
      blockWaitMinutes:
        typeof entry.blockWhileAlarming === 'object'
          ? entry.blockWhileAlarming.waitMinutes
          : DEFAULTS.blockWaitMinutes,
      ...(entry.deploymentWindow ? { deploymentWindow: entry.deploymentWindow } : {}),
      services: resolved,
      ...(untested && { untested }),
    };
    const indexOf = new Map(
      entry.services.map((s, i) => [typeof s === 'string' ? s : s.name, i] as const),
    );
    checkDerivedNames(context, stage, indexOf);
    checkLattice(context, stage, indexOf, latticeSources);
    if (options.enforceLimits !== false) checkPipelineLimits(where, stage);
    checkConditionRules(where, stage);
    for (const s of resolved) deployedBefore.add(s.name);
    stages.push(stage);
  }
  const monitored = stages.reduce(
    (sum, st) => sum + st.waves.reduce((n, w) => n + w.environments.length, 0),
    0,
  );
  if (monitored > MAX_ACTIONS_PER_STAGE) {
    fail(
      `Stage entries (${input.stagesFile ?? 'stages/index.ts'}): the stages deploy to ${monitored} environments in all; the pipeline deploys one monitoring stack per stage and environment in one CodePipeline stage, which holds at most ${MAX_ACTIONS_PER_STAGE} actions. Fix: use fewer stages or environments (at most ${MAX_ACTIONS_PER_STAGE} stage-environment pairs)`,
    );
  }
  if (stages.length === 0) {
    const file = input.stagesFile ?? 'stages/index.ts';
    fail(
      `Stage entries (${file}): no stages are listed. Fix: export at least one stage in \`stages\``,
    );
  }

  for (const [name, svc] of services) {
    for (const stage of Object.keys(svc.def.stageOverrides ?? {})) {
      if (!stageFiles.has(stage)) {
        fail(
          `Service definition "${name}" (${svc.file}): stageOverrides has "${stage}", which is not a stage. Fix: use one of ${[...stageFiles.keys()].map((s) => `"${s}"`).join(', ')}`,
        );
      }
    }
  }

  return {
    pipelineName: config.pipelineName,
    source: config.source,
    pipelineEnv: { account: config.pipeline.account, region: config.pipeline.region },
    pipelineRegions,
    notificationEmails: config.notifications.emails,
    stages,
  };
}

/**
 * The stage-environment pairs the stage entries list: the Stages of the Monitoring wave, which
 * decide how CDK Pipelines names its actions. Read before the entries are parsed, leniently: an
 * entry that does not parse is refused on its own.
 */
function stageEnvironmentPairs(stages: readonly Loaded[]): number {
  let pairs = 0;
  for (const { value } of stages) {
    const entry = value as { environment?: unknown; waves?: unknown } | undefined;
    if (Array.isArray(entry?.waves)) {
      for (const wave of entry.waves as { environments?: unknown }[]) {
        if (Array.isArray(wave?.environments)) pairs += wave.environments.length;
      }
    } else if (entry?.environment !== undefined) {
      pairs += 1;
    }
  }
  return pairs;
}

/** What the checks of one stage entry need to know. */
interface StageContext {
  readonly where: string;
  readonly entry: StageEntry;
  /** Stage-environment pairs in the whole app (the Monitoring wave's Stages). */
  readonly monitoringStages: number;
  readonly config: PipelineConfig;
  readonly configFile: string;
  readonly environments: ReadonlyMap<string, EnvironmentModel>;
  readonly pipelineRegions: readonly string[];
}

/** Every environment of the pipeline configuration, with the Lattice defaults applied. */
function resolveEnvironments(
  config: PipelineConfig,
  configFile: string,
): Map<string, EnvironmentModel> {
  const where = `Pipeline configuration (${configFile})`;
  const networks = new Map<string, string>();
  const result = new Map<string, EnvironmentModel>();
  for (const [name, env] of Object.entries(config.environments)) {
    const lattice = env.lattice ?? {};
    if (lattice.serviceNetwork !== undefined && lattice.vpcIds !== undefined) {
      fail(
        `${where}: environments.${name}.lattice.vpcIds is ${JSON.stringify(lattice.vpcIds)}: VPCs are associated only with a service network the stage creates, not with the existing one serviceNetwork names. Fix: associate the VPCs with that network where it is managed and remove vpcIds, or remove serviceNetwork`,
      );
    }
    if (lattice.serviceNetwork !== undefined) {
      const id = lattice.serviceNetwork.slice(lattice.serviceNetwork.lastIndexOf('/') + 1);
      const other = networks.get(id);
      if (other !== undefined) {
        fail(
          `${where}: environments.${name}.lattice.serviceNetwork is "${lattice.serviceNetwork}", the service network that environments.${other}.lattice.serviceNetwork names too. Fix: give each environment its own service network, or leave serviceNetwork out so that each stage creates one`,
        );
      }
      networks.set(id, name);
    }
    result.set(name, {
      name,
      account: env.account,
      region: env.region,
      lattice: {
        ...(lattice.serviceNetwork !== undefined ? { serviceNetwork: lattice.serviceNetwork } : {}),
        vpcIds: lattice.vpcIds ?? [],
        allowedAccounts: lattice.allowedAccounts ?? [env.account],
        ...(lattice.organizationId !== undefined ? { organizationId: lattice.organizationId } : {}),
      },
    });
  }
  return result;
}

/** The stage entry's `environment` or `waves`, checked and resolved into waves. */
function resolveWaves(context: StageContext): WaveModel[] {
  const { where, entry, config, configFile, environments, pipelineRegions } = context;
  if (entry.environment !== undefined && entry.waves !== undefined) {
    fail(
      `${where}: sets both environment ("${entry.environment}") and waves. Fix: keep one: environment for a single environment, or waves to deploy to several in order`,
    );
  }
  const known = [...environments.keys()].map((e) => `"${e}"`).join(', ');
  if (entry.environment === undefined && entry.waves === undefined) {
    fail(
      `${where}: environment is missing: a stage deploys to one environment, or to waves of environments. Fix: add environment: "<name>" (one of ${known}), or waves: [{ environments: [...] }, ...]`,
    );
  }
  const refs =
    entry.environment !== undefined
      ? [[{ at: 'environment', name: entry.environment }]]
      : entry.waves!.map((w, i) =>
          w.environments.map((name, j) => ({ at: `waves[${i}].environments[${j}]`, name })),
        );
  const seen = new Map<string, { at: string; env: EnvironmentModel }>();
  return refs.map((wave, i) => ({
    index: i + 1,
    environments: wave.map(({ at, name }) => {
      const env = environments.get(name);
      if (!env) {
        const guess = closest(name, [...environments.keys()]);
        fail(
          `${where}: ${at} is "${name}", which ${configFile} does not define. Fix: ${guess ? `did you mean "${guess}"? Otherwise use` : 'use'} one of ${known}, or add it to environments`,
        );
      }
      const same = seen.get(name);
      if (same) {
        fail(
          `${where}: ${at} is "${name}", which ${same.at} already names. Fix: deploy to each environment once per stage`,
        );
      }
      for (const [otherName, other] of seen) {
        if (other.env.account === env.account && other.env.region === env.region) {
          fail(
            `${where}: ${at} is "${name}", in the same account and region (${env.account}, ${env.region}) as "${otherName}" (${other.at}), so the stage's resources would get the same names twice. Fix: deploy to one of them, or give "${name}" another account or region in ${configFile}`,
          );
        }
      }
      if (!pipelineRegions.includes(env.region)) {
        fail(
          `${where}: ${at} is "${name}", in region ${env.region}, which pipeline.regions in ${configFile} does not list (${pipelineRegions.join(', ')}): the pipeline needs its bootstrap stack there for cross-region deployments. Fix: add "${env.region}" to pipeline.regions and bootstrap the tools account there: npx cdk bootstrap aws://${config.pipeline.account}/${env.region}`,
        );
      }
      seen.set(name, { at, env });
      return env;
    }),
  }));
}

/** Where a service's front door was turned on, for messages about it. */
type LatticeSources = Map<string, string>;

function resolveStageServices(
  context: StageContext,
  services: ReadonlyMap<string, ParsedService>,
): { resolved: ServiceModel[]; latticeSources: LatticeSources } {
  const { where, entry } = context;
  const seen = new Set<string>();
  const resolved: ServiceModel[] = [];
  const latticeSources: LatticeSources = new Map();
  entry.services.forEach((item, index) => {
    const ref = typeof item === 'string' ? { name: item } : item;
    const at = `${where}: services[${index}]`;
    if (seen.has(ref.name)) {
      fail(`${at} lists "${ref.name}" a second time. Fix: list each service once per stage`);
    }
    seen.add(ref.name);
    const svc = services.get(ref.name);
    if (!svc) {
      const known = [...services.keys()].sort();
      const guess = closest(ref.name, known);
      fail(
        `${at} is "${ref.name}", which is not a service. Known services: ${known.join(', ') || '(none)'}. Fix: ${guess ? `did you mean "${guess}"? Correct the name` : 'correct the name'}, or create it with npm run new-service -- ${ref.name}`,
      );
    }
    if ('stack' in ref && ref.stack !== undefined && ref.stack !== ref.name) {
      const owner = services.get(ref.stack);
      if (owner) {
        fail(
          `${at}.stack is "${ref.stack}", the name of a service (${owner.file}), whose own stack has that name. Fix: give the shared stack another name, e.g. "group-N", or the service`,
        );
      }
    }
    const strategy: DeploymentStrategy = ('strategy' in ref && ref.strategy) || entry.strategy;
    const reason = ('allAtOnceReason' in ref && ref.allAtOnceReason) || entry.allAtOnceReason;
    if (entry.requiresApproval && isAllAtOnce(strategy) && !reason) {
      fail(
        `${at} ("${ref.name}"): strategy is ALL_AT_ONCE in a stage that requires approval. Fix: use a canary or linear strategy, or set allAtOnceReason on the entry`,
      );
    }
    const entryLattice = 'lattice' in ref ? ref.lattice : undefined;
    const requests = 'requestsPerMinute' in ref ? ref.requestsPerMinute : undefined;
    const service = resolveService(svc, entry, strategy, entryLattice, requests);
    resolved.push({
      ...service.model,
      stack: ('stack' in ref && ref.stack) || ref.name,
      ...(entry.requiresApproval && isAllAtOnce(strategy) && reason && { allAtOnceReason: reason }),
    });
    if (service.model.lattice) {
      latticeSources.set(
        ref.name,
        entryLattice !== undefined ? `lattice: true in services[${index}]` : service.latticeSource,
      );
    }
  });
  return { resolved, latticeSources };
}

/**
 * A stage that requires approval deploys only services an earlier stage deployed first, so that
 * no code reaches it untested; or its entry says why not (`untestedReason`), and that reason is
 * shown wherever the stage is (plan, docs/pipeline.md, its templates). Also when it comes first.
 * Returns the services it deploys untested, with the reason; refuses a reason that excuses
 * nothing.
 */
function checkUntested(
  context: StageContext,
  resolved: readonly ServiceModel[],
  deployedBefore: ReadonlySet<string>,
  order: { earlier: readonly string[]; later: readonly Loaded[]; stagesFile: string },
): StageModel['untested'] {
  const { where, entry } = context;
  const reason = entry.untestedReason;
  const untested = entry.requiresApproval
    ? resolved.filter((s) => !deployedBefore.has(s.name)).map((s) => s.name)
    : [];
  if (untested.length > 0 && reason) return { services: untested, reason };
  if (untested.length === 0 && reason) {
    fail(
      entry.requiresApproval
        ? `${where}: untestedReason is set, but every service of "${entry.name}" is deployed by an earlier stage first, so there is nothing for it to excuse. Fix: remove untestedReason`
        : `${where}: untestedReason is set, but "${entry.name}" does not require approval: the rule it excuses (a stage that requires approval deploys only services an earlier stage deployed) does not apply. Fix: remove untestedReason`,
    );
  }
  if (untested.length === 0) return undefined;
  const name = untested[0];
  const index = resolved.findIndex((s) => s.name === name);
  const at = `${where}: services[${index}] is "${name}"`;
  const excuse = `or set untestedReason on "${entry.name}" to say why it may go untested`;
  if (order.earlier.length > 0) {
    fail(
      `${at}, which no earlier stage deploys, so it would reach "${entry.name}" untested. Fix: add "${name}" to an earlier stage (e.g. "${order.earlier[0]}") too, ${excuse}`,
    );
  }
  const later = order.later
    .map((l) => l.value as { name?: unknown; services?: unknown })
    .find(
      (v) =>
        Array.isArray(v?.services) &&
        v.services.some(
          (x) => (typeof x === 'string' ? x : (x as { name?: unknown })?.name) === name,
        ),
    );
  const move =
    typeof later?.name === 'string'
      ? `list "${later.name}" before "${entry.name}" in ${order.stagesFile} (it deploys "${name}")`
      : `put a stage that deploys "${name}" before "${entry.name}" in ${order.stagesFile}`;
  fail(
    `${at}, but "${entry.name}" requires approval and comes first in ${order.stagesFile}: no earlier stage deploys "${name}", so it would reach "${entry.name}" untested. Fix: ${move}, ${excuse}`,
  );
}

/**
 * Every physical name the stage creates belongs to one owner and fits its AWS limit, and the
 * names of Lattice services follow Lattice's rule.
 */
function checkDerivedNames(
  context: StageContext,
  stage: StageModel,
  indexOf: ReadonlyMap<string, number>,
): void {
  const { where, config, configFile } = context;
  const names = derivedNames(stage, config.pipelineName, configFile, context.monitoringStages);
  const subject = (owner: NameOwner): string => {
    if (owner.kind === 'stage') return `name is "${stage.name}"`;
    const entryIndex =
      owner.kind === 'service'
        ? indexOf.get(owner.name)
        : stage.services.findIndex((s) => s.stack === owner.name);
    return owner.kind === 'service'
      ? `services[${entryIndex}] is "${owner.name}"`
      : `services[${entryIndex}].stack is "${owner.name}"`;
  };
  const label = (n: DerivedName): string =>
    n.owner.kind === 'stage'
      ? `the ${n.what} of the stage`
      : `the ${n.what} of ${n.owner.kind === 'stack' ? 'shared stack ' : ''}"${n.owner.name}"`;

  const clash = firstClash(names);
  if (clash) {
    const { rename, other } = clash;
    const apart = rename.name === other.name ? '' : ` ("${other.name}", apart from case)`;
    const fix =
      rename.owner.kind === 'stack'
        ? `give the shared stack another name, e.g. "group-N"`
        : `give "${(rename.owner as { name: string }).name}" another name`;
    fail(
      `${where}: ${subject(rename.owner)}: its ${rename.what} would be named "${rename.name}", which is the name of ${label(other)}${apart}${other.owner.kind === 'stage' ? '' : ' in this stage'}. Fix: ${fix}`,
    );
  }

  const long = longestOverLimit(names);
  if (long) {
    const over = long.name.length - NAME_LIMITS[long.kind].max;
    fail(
      `${where}: ${subject(long.owner)}: its ${long.what} would be named "${long.name}", ${long.name.length} characters, over ${NAME_LIMITS[long.kind].limit}. Fix: shorten ${orList(long.parts)} by ${over} character${over === 1 ? '' : 's'} or more between them`,
    );
  }

  for (const s of stage.services) {
    const name = latticeServiceName(stage.prefix, s.name);
    if (s.lattice && !LATTICE_NAME_PATTERN.test(name)) {
      fail(
        `${where}: ${subject({ kind: 'service', name: s.name })}: its VPC Lattice service would be named "${name}", but Lattice names take only lower-case letters, digits and single hyphens. Fix: write pipelineName in lower case with single hyphens (${configFile}), or turn lattice off for "${s.name}"`,
      );
    }
  }
}

/**
 * A service with a Lattice front door needs a network config that can work in every environment
 * of the stage: an existing service network in the environment's own region (Lattice is
 * regional), and at least one principal the auth policy lets in.
 */
function checkLattice(
  context: StageContext,
  stage: StageModel,
  indexOf: ReadonlyMap<string, number>,
  sources: LatticeSources,
): void {
  const { where, configFile } = context;
  for (const s of stage.services.filter((x) => x.lattice)) {
    const front = `${where}: services[${indexOf.get(s.name)}] is "${s.name}", which has a VPC Lattice front door here (${sources.get(s.name)})`;
    for (const wave of stage.waves) {
      for (const env of wave.environments) {
        const field = `environments.${env.name}.lattice`;
        const network = env.lattice.serviceNetwork;
        const networkRegion = network ? SERVICE_NETWORK_PATTERN.exec(network)?.[1] : undefined;
        if (networkRegion !== undefined && networkRegion !== env.region) {
          fail(
            `${front}, but ${field}.serviceNetwork in ${configFile} is "${network}", a network in ${networkRegion}, while environment "${env.name}" is in ${env.region}: a service can only join a service network in its own region. Fix: name a service network in ${env.region}, or leave serviceNetwork out so that the stage creates one`,
          );
        }
        if (env.lattice.allowedAccounts.length === 0 && env.lattice.organizationId === undefined) {
          fail(
            `${front}, but ${field} in ${configFile} lets no one call it: allowedAccounts is [] and organizationId is not set, so its auth policy would refuse every request. Fix: list the calling accounts in ${field}.allowedAccounts, or set ${field}.organizationId`,
          );
        }
      }
    }
  }
}

/**
 * CodePipeline holds at most 5 rules in one stage condition. A wave's entry condition has a rule
 * per environment when the stage blocks while alarming (plus the deployment window in wave 1),
 * and its bake a rule per environment: refuses a wave that would need more.
 */
function checkConditionRules(where: string, stage: StageModel): void {
  for (const wave of stage.waves) {
    const width = wave.environments.length;
    // Every wave obeys the window; the bake is an action, not a condition.
    const window = stage.deploymentWindow ? 1 : 0;
    const entry = stage.blockWhileAlarming ? width + window : window;
    if (entry <= MAX_RULES_PER_CONDITION) continue;
    const what = `its entry condition needs ${entry} rules (the alarm blocker: one per environment${window ? ', and the deployment window' : ''})`;
    fail(
      `${where}: wave ${wave.index} (${wave.environments.map((e) => e.name).join(', ')}) deploys to ${width} environments, and ${what}, more than the ${MAX_RULES_PER_CONDITION} rules CodePipeline allows in one condition. Fix: spread these environments over more waves (at most ${MAX_RULES_PER_CONDITION - window} in this wave)`,
    );
  }
}

/**
 * Refuses a stage whose waves would not fit one CodePipeline stage each (CDK Pipelines would
 * split a wave into sequential stages: another canary window each) or a shared stack too large
 * for CloudFormation.
 */
function checkPipelineLimits(where: string, stage: StageModel): void {
  const stacks = servicesByStack(stage.services);
  for (const [stack, services] of stacks) {
    if (services.length > MAX_SERVICES_PER_GROUP) {
      const moved = services.slice(MAX_SERVICES_PER_GROUP).map((s) => s.name);
      fail(
        `${where}: stack "${stack}" holds ${services.length} services, more than the ${MAX_SERVICES_PER_GROUP} that fit under CloudFormation's resource limit. Fix: give ${moved.map((m) => `"${m}"`).join(', ')} another stack, e.g. { name: "${moved[0]}", stack: "${stack}-2" }`,
      );
    }
    const resources = stackResources(services);
    if (resources > MAX_RESOURCES_PER_STACK) {
      const fronted = services.filter((s) => s.lattice).map((s) => `"${s.name}"`);
      fail(
        `${where}: stack "${stack}" would hold about ${resources} resources (${services.length} services, ${fronted.length} with a VPC Lattice front door: ${fronted.join(', ')}), more than the ${MAX_RESOURCES_PER_STACK} this project allows under CloudFormation's 500. Fix: move some of these services to another shared stack, e.g. { name: "${services.at(-1)!.name}", stack: "${stack}-2" }`,
      );
    }
  }
  for (const wave of stage.waves) {
    const width = wave.environments.length;
    const actions = waveActions(stacks.size, width, stage);
    if (actions <= MAX_ACTIONS_PER_STAGE) continue;
    const extras = [
      ...(stage.smokeTests ? ['1 smoke test'] : []),
      ...(stage.bakeMinutes > 0 ? ['1 bake'] : []),
    ];
    const perEnvironment = `${stacks.size} service stacks`;
    const breakdown = [
      width === 1 ? perEnvironment : `${width} environments × ${perEnvironment}`,
      ...extras,
    ].join(' + ');
    const subject =
      stage.waves.length === 1 && width === 1
        ? `its ${stage.services.length} services in ${stacks.size} stacks need`
        : `wave ${wave.index} (${wave.environments.map((e) => e.name).join(', ')}) with ${stage.services.length} services in ${stacks.size} stacks needs`;
    fail(
      `${where}: ${subject} ${actions} pipeline actions (${breakdown}), more than the ${MAX_ACTIONS_PER_STAGE} one CodePipeline stage holds, so the stage would be split and deploy in sequence (another canary window each). Fix: place the services added last into shared stacks with { name, stack: "group-N" } (npm run new-service does this once a stage has ${maxSingleStacks(width)} single-service stacks)${width > 1 ? ', or deploy to fewer environments in this wave' : ''}`,
    );
  }
}

/** Every service folder, parsed and checked: definition, handler and synthetic checks. */
function parseServices(loadedServices: readonly LoadedService[]): Map<string, ParsedService> {
  const services = new Map<string, ParsedService>();
  for (const loaded of loadedServices) {
    const def = parse(serviceDefinitionSchema, loaded.definition, 'service definition');
    const where = `Service definition "${def.name}" (${loaded.definition.file})`;
    const folder = path.basename(loaded.dir);
    const shownDir = path.posix.dirname(loaded.definition.file);
    if (def.name !== folder) {
      fail(
        `${where}: name is "${def.name}" but the folder is ${shownDir}/. Fix: make the name match the folder, or rename the folder`,
      );
    }
    const handlerFile = def.handler ?? DEFAULTS.handler;
    const entry = path.join(loaded.dir, handlerFile);
    const shown = path.posix.join(shownDir, handlerFile);
    if (loaded.handlerSource === undefined && !fs.existsSync(entry)) {
      fail(
        `${where}: handler is "${handlerFile}" but ${shown} does not exist. Fix: create the file, or point handler at the file that exports \`handler\``,
      );
    }
    const problem = handlerProblem({ entry, shown, source: loaded.handlerSource });
    if (problem) fail(`${where}: handler is "${handlerFile}", but ${problem}`);
    const checks = parse(syntheticChecksSchema, loaded.checks, 'synthetic checks', 'checks');
    const names = checks.map((c) => c.name);
    const dupCheck = names.find((n, i) => names.indexOf(n) !== i);
    if (dupCheck) {
      fail(
        `Synthetic checks (${loaded.checks.file}): the check name "${dupCheck}" is used twice. Fix: give every check a unique name`,
      );
    }
    checks.forEach((check, i) => {
      const size = Buffer.byteLength(JSON.stringify(check.event));
      if (size > MAX_CHECK_EVENT_BYTES) {
        fail(
          `Synthetic checks (${loaded.checks.file}): checks[${i}] ("${check.name}") has an event of ${size} bytes as JSON, more than the ${MAX_CHECK_EVENT_BYTES} bytes (6 MB) Lambda takes as the payload of a synchronous invocation. Fix: make the event smaller`,
        );
      }
    });
    services.set(def.name, {
      def,
      dir: loaded.dir,
      entry,
      file: loaded.definition.file,
      checks: checks as SyntheticCheck[],
    });
  }
  return services;
}

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

function parse<T extends z.ZodType>(
  schema: T,
  loaded: Loaded,
  what: string,
  root?: string,
): z.output<T> {
  const result = schema.safeParse(loaded.value, { reportInput: true });
  if (result.success) return result.data;
  const name = nameOf(loaded.value);
  const where = `${capitalise(what)}${name ? ` "${name}"` : ''} (${loaded.file})`;
  fail(`${where}: ${describeIssue(schema, actionableIssue(result.error.issues), root)}`);
}

function nameOf(value: unknown): string | undefined {
  if (value && typeof value === 'object' && 'name' in value && typeof value.name === 'string')
    return value.name;
  return undefined;
}

function capitalise(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

function fail(message: string): never {
  throw new ConfigError(message);
}
