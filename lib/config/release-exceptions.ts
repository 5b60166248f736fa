import type { StageModel } from './model';

/**
 * An exception a stage entry declares to the release rules of a stage that requires approval,
 * with the reason it gives: a reviewer must see both wherever the stage is shown (the plan,
 * docs/pipeline.md, the metadata of the stage's templates).
 */
export interface ReleaseException {
  /** `untested`: no earlier stage deploys them; `all-at-once`: no canary. */
  readonly rule: 'untested' | 'all-at-once';
  /** What the exception lets through, in words. */
  readonly what: string;
  /** The services it covers, in entry order. */
  readonly services: readonly string[];
  /** The stage entry's reason (`untestedReason`, `allAtOnceReason`). */
  readonly reason: string;
}

/**
 * The exceptions of a stage, from its model: services deployed untested (`untestedReason`),
 * then services deployed all at once, grouped by reason (`allAtOnceReason`, of the stage or of
 * the service's entry). Empty for a stage that keeps every rule.
 */
export function releaseExceptions(stage: StageModel): ReleaseException[] {
  const exceptions: ReleaseException[] = [];
  if (stage.untested) {
    exceptions.push({
      rule: 'untested',
      what: `deployed by no stage before "${stage.name}", though it requires approval`,
      services: stage.untested.services,
      reason: stage.untested.reason,
    });
  }
  const byReason = new Map<string, string[]>();
  for (const service of stage.services) {
    if (service.allAtOnceReason === undefined) continue;
    byReason.set(service.allAtOnceReason, [
      ...(byReason.get(service.allAtOnceReason) ?? []),
      service.name,
    ]);
  }
  for (const [reason, services] of byReason) {
    exceptions.push({
      rule: 'all-at-once',
      what: `all traffic at once, no canary, though "${stage.name}" requires approval`,
      services,
      reason,
    });
  }
  return exceptions;
}
