/**
 * How services are placed in CloudFormation stacks within a stage.
 *
 * A service deploys in its own stack (independent rollback) unless its stage entry names a
 * shared `stack`. CDK Pipelines turns every stack into one deploy action, and a CodePipeline
 * stage holds at most 50 actions; past that CDK Pipelines splits the stage into sequential
 * ones, which for prod means another full canary window. So once a stage has
 * `MAX_SINGLE_STACKS` single-service stacks, new services join shared stacks of at most
 * `MAX_SERVICES_PER_GROUP`. Placement is decided when a service is added and written into the
 * stage entry, so adding a service never moves an existing one.
 */

/** CodePipeline's limit on actions in one stage. */
export const MAX_ACTIONS_PER_STAGE = 50;
/** CloudFormation allows 500 resources per stack; this leaves headroom for growth. */
export const MAX_RESOURCES_PER_STACK = 450;
/** Single-service stacks a stage keeps before new services are grouped. */
export const MAX_SINGLE_STACKS = 30;
/** Services in one shared stack (about 27 resources each, within MAX_RESOURCES_PER_STACK). */
export const MAX_SERVICES_PER_GROUP = 15;

/**
 * Pipeline actions one pipeline stage needs: one deploy action per stack (change sets are
 * off), one for the stage's monitoring stack, plus the approval and the smoke test if any.
 */
export function stackActions(
  serviceStacks: number,
  stage: { readonly requiresApproval: boolean; readonly smokeTests: boolean },
): number {
  return serviceStacks + 1 + (stage.requiresApproval ? 1 : 0) + (stage.smokeTests ? 1 : 0);
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
 * has fewer than MAX_SINGLE_STACKS of those, else the last `group-N` stack with room, else a
 * new `group-N`. Returns undefined for its own stack.
 */
export function stackForNewService(existing: readonly Placement[]): string | undefined {
  const singles = existing.filter((p) => p.stack === undefined).length;
  if (singles < MAX_SINGLE_STACKS) return undefined;
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
