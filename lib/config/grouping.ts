/**
 * How services are placed in CloudFormation stacks within a stage.
 *
 * A service deploys in its own stack (independent rollback) unless its stage entry names a
 * shared `stack`. CDK Pipelines turns every stack into one deploy action, and a CodePipeline
 * stage holds at most 50 actions; past that CDK Pipelines splits the stage into sequential
 * ones, which for prod means another full canary window. A wave deploys every stack once per
 * environment in one pipeline stage. So once a stage has `maxSingleStacks()` single-service
 * stacks (fewer when a wave deploys to several environments at once), new services join shared
 * stacks of at most `MAX_SERVICES_PER_GROUP`. Placement is decided when a service is added and written into the
 * stage entry, so adding a service never moves an existing one.
 */

/** CodePipeline's limit on actions in one stage. */
export const MAX_ACTIONS_PER_STAGE = 50;
/** CodePipeline's limit on rules in one stage condition. */
export const MAX_RULES_PER_CONDITION = 5;
/** CloudFormation allows 500 resources per stack; this leaves headroom for growth. */
export const MAX_RESOURCES_PER_STACK = 450;
/** Single-service stacks a stage keeps before new services are grouped. */
export const MAX_SINGLE_STACKS = 30;
/** Services in one shared stack (about 24 resources each, within MAX_RESOURCES_PER_STACK). */
export const MAX_SERVICES_PER_GROUP = 15;

/**
 * CloudFormation resources a service stack holds, as a bound the synthesized stacks stay under
 * (a test compares them): the stack's own (dead-letter queue, CDK metadata), each service's, and
 * each VPC Lattice front door's.
 */
export const STACK_RESOURCES = { stack: 3, service: 24, frontDoor: 9 } as const;

/** A stage's services by the stack they deploy in, stacks and services in entry order. */
export function servicesByStack<S extends { readonly stack: string }>(
  services: readonly S[],
): Map<string, S[]> {
  const stacks = new Map<string, S[]>();
  for (const s of services) stacks.set(s.stack, [...(stacks.get(s.stack) ?? []), s]);
  return stacks;
}

/** The resources a stack of these services will hold, at most. */
export function stackResources(services: readonly { readonly lattice: boolean }[]): number {
  return services.reduce<number>(
    (sum, s) => sum + STACK_RESOURCES.service + (s.lattice ? STACK_RESOURCES.frontDoor : 0),
    STACK_RESOURCES.stack,
  );
}

/**
 * Services a stage must be able to hold in one pipeline stage per wave: placement keeps enough
 * room that this many services fit (the scale the design is measured at).
 */
export const DESIGN_SERVICES = 200;

/**
 * Pipeline actions one wave of a stage needs in its pipeline stage: in each of its environments
 * one deploy action per service stack (change sets are off; the monitoring stacks deploy in a
 * wave of their own), then the smoke test and the bake (one action each after the wave, when the
 * stage runs smoke tests and bakes). The approval is a pipeline stage of its own.
 */
export function waveActions(
  serviceStacks: number,
  environments: number,
  stage: { readonly smokeTests: boolean; readonly bakeMinutes: number },
): number {
  return (
    environments * serviceStacks + (stage.smokeTests ? 1 : 0) + (stage.bakeMinutes > 0 ? 1 : 0)
  );
}

/**
 * Single-service stacks a stage keeps before new services join shared stacks, when its widest
 * wave deploys to `environmentsPerWave` environments at once: MAX_SINGLE_STACKS for one, fewer
 * for more, so that DESIGN_SERVICES services still fit one pipeline stage per wave.
 */
export function maxSingleStacks(environmentsPerWave = 1): number {
  // Two actions of the stage are not deploys: the smoke test and the bake.
  const perEnvironment = Math.floor((MAX_ACTIONS_PER_STAGE - 2) / environmentsPerWave);
  for (let singles = MAX_SINGLE_STACKS; singles > 0; singles--) {
    const groups = Math.ceil((DESIGN_SERVICES - singles) / MAX_SERVICES_PER_GROUP);
    if (singles + groups <= perEnvironment) return singles;
  }
  return 0;
}

/** A service as placed in a stage entry. */
export interface Placement {
  readonly name: string;
  /** Shared stack name; absent for a stack of its own. */
  readonly stack?: string;
}

/** The stack a placement deploys in. */
export function stackOf(p: Placement): string {
  return p.stack ?? p.name;
}

/**
 * Where a new service goes in a stage that already has `existing`: its own stack while the stage
 * has fewer than `maxSingleStacks(environmentsPerWave)` of those, else the last `group-N` stack
 * with room, else a new `group-N`. Returns undefined for its own stack.
 */
export function stackForNewService(
  existing: readonly Placement[],
  environmentsPerWave = 1,
): string | undefined {
  const singles = existing.filter((p) => p.stack === undefined).length;
  if (singles < maxSingleStacks(environmentsPerWave)) return undefined;
  const sizes = new Map<string, number>();
  for (const p of existing) {
    if (p.stack !== undefined) sizes.set(p.stack, (sizes.get(p.stack) ?? 0) + 1);
  }
  const groups = [...sizes.keys()]
    .map((s) => /^group-(\d+)$/.exec(s))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  const last = groups.at(-1);
  if (last !== undefined && (sizes.get(`group-${last}`) ?? 0) < MAX_SERVICES_PER_GROUP) {
    return `group-${last}`;
  }
  return `group-${(last ?? 0) + 1}`;
}
