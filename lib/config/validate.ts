import * as fs from 'fs';
import * as path from 'path';
import type { z } from 'zod';
import type { SyntheticCheck } from '../../runtime/synthetic/types';
import { ConfigError } from './config-error';
import { closest, describeIssue } from './describe-issue';
import type { AlarmThresholds, AppModel, ServiceModel, StageModel } from './model';
import {
  pipelineConfigSchema,
  serviceDefinitionSchema,
  stageEntrySchema,
  syntheticChecksSchema,
} from './schema';
import {
  MAX_ACTIONS_PER_STAGE,
  MAX_SERVICES_PER_GROUP,
  MAX_SINGLE_STACKS,
  stackActions,
} from './grouping';
import { isAllAtOnce, type DeploymentStrategy } from './strategy';
import { stagePrefix } from '../resource-names';

/** A file's default or named export, as loaded, with the file it came from (for messages). */
export interface Loaded<T = unknown> {
  /** Path relative to the project root, e.g. `stages/prod.ts`. */
  readonly file: string;
  readonly value: T;
}

/** A service folder as loaded by `loadServices()`. */
export interface LoadedService {
  /** Absolute path of `services/<name>/`. */
  readonly dir: string;
  readonly definition: Loaded;
  readonly checks: Loaded;
}

export interface AppInput {
  readonly config: Loaded;
  /** In pipeline order. */
  readonly stages: readonly Loaded[];
  readonly services: readonly LoadedService[];
}

export interface ValidateOptions {
  /**
   * Refuse a stage that would exceed a pipeline limit (actions per pipeline stage, services per
   * shared stack). Only the benchmark's naive baseline turns this off.
   * @default true
   */
  readonly enforceLimits?: boolean;
}

/** Largest JSON size of a service's synthetic checks: they travel in the hooks' environment. */
export const MAX_CHECKS_BYTES = 3000;

/**
 * Validates the whole configuration before any construct is built and resolves it into the
 * model the constructs use. Throws one `ConfigError` for the first problem found.
 */
export function validateApp(input: AppInput, options: ValidateOptions = {}): AppModel {
  const config = parse(pipelineConfigSchema, input.config, 'pipeline configuration');

  const services = new Map<
    string,
    {
      def: z.output<typeof serviceDefinitionSchema>;
      dir: string;
      file: string;
      checks: SyntheticCheck[];
    }
  >();
  for (const loaded of input.services) {
    const def = parse(serviceDefinitionSchema, loaded.definition, 'service definition');
    const where = `Service definition "${def.name}" (${loaded.definition.file})`;
    const folder = path.basename(loaded.dir);
    if (def.name !== folder) {
      fail(
        `${where}: name is "${def.name}" but the folder is services/${folder}/. Fix: make the name match the folder, or rename the folder`,
      );
    }
    const handlerFile = def.handler ?? 'handler.ts';
    const entry = path.join(loaded.dir, handlerFile);
    if (!fs.existsSync(entry)) {
      fail(
        `${where}: handler is "${handlerFile}" but services/${folder}/${handlerFile} does not exist. Fix: create the file, or point handler at the file that exports \`handler\``,
      );
    }
    const checks = parse(
      syntheticChecksSchema,
      loaded.checks,
      'synthetic checks',
    ) as SyntheticCheck[];
    const names = checks.map((c) => c.name);
    const dupCheck = names.find((n, i) => names.indexOf(n) !== i);
    if (dupCheck) {
      fail(
        `Synthetic checks (${loaded.checks.file}): the check name "${dupCheck}" is used twice. Fix: give every check a unique name`,
      );
    }
    const size = Buffer.byteLength(JSON.stringify(checks));
    if (size > MAX_CHECKS_BYTES) {
      fail(
        `Synthetic checks (${loaded.checks.file}): the checks take ${size} bytes as JSON, more than the ${MAX_CHECKS_BYTES} bytes that fit in the traffic hooks' environment. Fix: use fewer or smaller events`,
      );
    }
    services.set(def.name, { def, dir: loaded.dir, file: loaded.definition.file, checks });
  }

  const stageNames = new Set<string>();
  const deployedBefore = new Set<string>();
  const stages: StageModel[] = [];
  for (const loaded of input.stages) {
    const entry = parse(stageEntrySchema, loaded, 'stage entry');
    const where = `Stage entry "${entry.name}" (${loaded.file})`;
    if (stageNames.has(entry.name)) {
      fail(
        `${where}: the stage name "${entry.name}" is used by an earlier stage. Fix: give every stage a unique name`,
      );
    }
    stageNames.add(entry.name);
    const env = config.environments[entry.environment];
    if (!env) {
      fail(
        `${where}: environment is "${entry.environment}", which pipeline.config.ts does not define. Fix: use one of ${Object.keys(
          config.environments,
        )
          .map((e) => `"${e}"`)
          .join(', ')}, or add it to environments`,
      );
    }
    if (entry.requiresApproval && isAllAtOnce(entry.strategy) && !entry.allAtOnceReason) {
      fail(
        `${where}: strategy is ALL_AT_ONCE in a stage that requires approval, so a bad release would reach all traffic at once. Fix: use a canary or linear strategy, or set allAtOnceReason to say why all-at-once is safe here`,
      );
    }

    const seen = new Set<string>();
    const resolved: ServiceModel[] = [];
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
      if (entry.requiresApproval && !deployedBefore.has(ref.name) && stages.length > 0) {
        fail(
          `${at} is "${ref.name}", which no earlier stage deploys, so it would reach "${entry.name}" untested. Fix: add "${ref.name}" to an earlier stage (e.g. "${stages[0].name}") too`,
        );
      }
      const strategy: DeploymentStrategy = ref.strategy ?? entry.strategy;
      const reason =
        (typeof item === 'string' ? undefined : item.allAtOnceReason) ?? entry.allAtOnceReason;
      if (entry.requiresApproval && isAllAtOnce(strategy) && !reason) {
        fail(
          `${at} ("${ref.name}"): strategy is ALL_AT_ONCE in a stage that requires approval. Fix: use a canary or linear strategy, or set allAtOnceReason on the entry`,
        );
      }
      resolved.push({ ...resolveService(svc, entry.name, strategy), stack: ref.stack ?? ref.name });
    });
    checkPipelineLimits(where, entry, resolved, options);
    for (const s of entry.services) deployedBefore.add(typeof s === 'string' ? s : s.name);
    stages.push({
      name: entry.name,
      prefix: stagePrefix(config.pipelineName, entry.name),
      waves: [
        {
          index: 1,
          environments: [
            {
              name: entry.environment,
              ...env!,
              lattice: { vpcIds: [], allowedAccounts: [env!.account] },
            },
          ],
        },
      ],
      strategy: entry.strategy,
      requiresApproval: entry.requiresApproval,
      smokeTests: entry.smokeTests,
      bakeMinutes: entry.requiresApproval ? 15 : 0,
      blockWhileAlarming: entry.requiresApproval,
      services: resolved,
    });
  }
  if (stages.length === 0) {
    fail(
      'Stage entries (stages/index.ts): no stages are listed. Fix: export at least one stage in `stages`',
    );
  }

  for (const [name, svc] of services) {
    for (const stage of Object.keys(svc.def.stageOverrides ?? {})) {
      if (!stageNames.has(stage)) {
        fail(
          `Service definition "${name}" (${svc.file}): stageOverrides has "${stage}", which is not a stage. Fix: use one of ${[...stageNames].map((s) => `"${s}"`).join(', ')}`,
        );
      }
    }
  }

  return {
    pipelineName: config.pipelineName,
    source: config.source,
    pipelineEnv: config.pipeline,
    pipelineRegions: [config.pipeline.region],
    notificationEmails: config.notifications.emails,
    stages,
  };
}

/**
 * Refuses a stage whose stacks would not fit one CodePipeline stage (CDK Pipelines would split
 * it into sequential stages: another canary window each) or a shared stack too large for
 * CloudFormation.
 */
function checkPipelineLimits(
  where: string,
  entry: { requiresApproval: boolean; smokeTests: boolean },
  services: readonly ServiceModel[],
  options: ValidateOptions,
): void {
  if (options.enforceLimits === false) return;
  const stacks = new Map<string, string[]>();
  for (const s of services) stacks.set(s.stack, [...(stacks.get(s.stack) ?? []), s.name]);
  for (const [stack, members] of stacks) {
    if (members.length > MAX_SERVICES_PER_GROUP) {
      const moved = members.slice(MAX_SERVICES_PER_GROUP);
      fail(
        `${where}: stack "${stack}" holds ${members.length} services, more than the ${MAX_SERVICES_PER_GROUP} that fit under CloudFormation's resource limit. Fix: give ${moved.map((m) => `"${m}"`).join(', ')} another stack, e.g. { name: "${moved[0]}", stack: "${stack}-2" }`,
      );
    }
  }
  const actions = stackActions(stacks.size, entry);
  if (actions > MAX_ACTIONS_PER_STAGE) {
    fail(
      `${where}: its ${services.length} services in ${stacks.size} stacks need ${actions} pipeline actions, more than the ${MAX_ACTIONS_PER_STAGE} one CodePipeline stage holds, so the stage would be split and deploy in sequence (another canary window each). Fix: place the services added last into shared stacks with { name, stack: "group-N" } (npm run new-service does this once a stage has ${MAX_SINGLE_STACKS} single-service stacks)`,
    );
  }
}

function resolveService(
  svc: {
    def: z.output<typeof serviceDefinitionSchema>;
    dir: string;
    file: string;
    checks: SyntheticCheck[];
  },
  stage: string,
  strategy: DeploymentStrategy,
): Omit<ServiceModel, 'stack'> {
  const { def } = svc;
  const o = def.stageOverrides?.[stage] ?? {};
  const timeoutSeconds = o.timeoutSeconds ?? def.timeoutSeconds ?? 10;
  const timeoutMs = timeoutSeconds * 1000;
  const alarms: AlarmThresholds = {
    errorRatePercent: 1,
    minInvocationsPerMinute: 10,
    p99LatencyMs:
      o.alarms?.p99LatencyMs ??
      def.alarms?.p99LatencyMs ??
      Math.min(1000, Math.floor(timeoutMs * 0.8)),
    maxThrottles: o.alarms?.maxThrottles ?? def.alarms?.maxThrottles ?? 1,
  };
  if (alarms.p99LatencyMs >= timeoutMs) {
    const field =
      o.alarms?.p99LatencyMs !== undefined
        ? `stageOverrides.${stage}.alarms.p99LatencyMs`
        : 'alarms.p99LatencyMs';
    const timeout =
      o.timeoutSeconds !== undefined
        ? `stageOverrides.${stage}.timeoutSeconds (${timeoutSeconds} s)`
        : `timeoutSeconds (${timeoutSeconds} s)`;
    fail(
      `Service definition "${def.name}" (${svc.file}): ${field} is ${alarms.p99LatencyMs} in stage "${stage}", not below ${timeout}, so the alarm could never fire before the function times out. Fix: use a p99 threshold below ${timeoutMs} ms, or a longer timeout`,
    );
  }
  return {
    name: def.name,
    description: def.description,
    dir: svc.dir,
    entry: path.join(svc.dir, def.handler ?? 'handler.ts'),
    memoryMb: o.memoryMb ?? def.memoryMb ?? 256,
    timeoutSeconds,
    reservedConcurrency: o.reservedConcurrency ?? def.reservedConcurrency,
    environment: { ...def.environment, ...o.environment },
    alarms,
    canary: {
      minInvocations: isAllAtOnce(strategy) ? 0 : 50,
      onQuiet: 'fail',
      baselineMarginPercent: isAllAtOnce(strategy) ? undefined : 1,
    },
    lattice: false,
    strategy,
    checks: svc.checks,
  };
}

function parse<T extends z.ZodType>(schema: T, loaded: Loaded, what: string): z.output<T> {
  const result = schema.safeParse(loaded.value, { reportInput: true });
  if (result.success) return result.data;
  const name = nameOf(loaded.value);
  const where = `${capitalise(what)}${name ? ` "${name}"` : ''} (${loaded.file})`;
  fail(`${where}: ${describeIssue(schema, result.error.issues[0])}`);
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
