import { checksText, type PlannedService, type PlannedStrategy } from './plan';
import { evidenceText, judgedOnText } from './release';

/**
 * Services of a stage that are released the same way: the same strategy, release alarms and
 * evidence rule. The plan prints one entry per group, so that a stage of 200 services that
 * share their settings reads as a few lines, not 200 blocks.
 */
export interface ServiceGroup {
  /** In the stage's order. */
  readonly services: readonly PlannedService[];
  readonly strategy: PlannedStrategy;
  /** The release alarms in words (`error rate > 1% (...); p99 > ...`). */
  readonly judgedOn: string;
  /** What the post-traffic hook requires of a quiet canary. */
  readonly evidence: string;
  /** `3 synthetic checks`, or `1 to 5 synthetic checks` when they differ. */
  readonly checks: string;
  /** The post-traffic hook judges the release (a strategy with a canary window). */
  readonly judging: boolean;
}

/** The services grouped by their release settings, groups in the order of their first service. */
export function groupServices(services: readonly PlannedService[]): ServiceGroup[] {
  const groups = new Map<string, PlannedService[]>();
  for (const service of services) {
    const key = JSON.stringify([
      service.strategy.label,
      judgedOnText(service.judgement),
      evidenceText(service.judgement),
    ]);
    groups.set(key, [...(groups.get(key) ?? []), service]);
  }
  return [...groups.values()].map((members) => {
    const first = members[0];
    const counts = members.map((s) => s.checks);
    const [min, max] = [Math.min(...counts), Math.max(...counts)];
    return {
      services: members,
      strategy: first.strategy,
      judgedOn: judgedOnText(first.judgement),
      evidence: evidenceText(first.judgement),
      checks: min === max ? checksText(min) : `${min} to ${checksText(max)}`,
      judging: first.judgement.policy.requireVerdict,
    };
  });
}

/**
 * `a, b, c`, split into lines of at most `width` characters (a name longer than that gets a
 * line of its own), so a list of 200 names stays readable in a terminal.
 */
export function wrapList(items: readonly string[], width = 96): string[] {
  const lines: string[] = [];
  let line = '';
  items.forEach((item, i) => {
    const word = i < items.length - 1 ? `${item},` : item;
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  });
  if (line) lines.push(line);
  return lines;
}
