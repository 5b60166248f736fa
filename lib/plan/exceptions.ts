import type { ReleaseException } from '../config/release-exceptions';
import { markdownTable } from './table';

/**
 * How the plan shows the exceptions stage entries declare to the release rules (see
 * `lib/config/release-exceptions.ts`): each with the services it covers and its reason.
 */

/** Rows of the printed plan: `untested  greeter, orders: <what>; reason: "<reason>"`. */
export function exceptionRows(exceptions: readonly ReleaseException[]): string[][] {
  return exceptions.map((e) => [
    e.rule === 'untested' ? 'untested' : 'all at once',
    `${e.services.join(', ')}: ${e.what}; reason: "${e.reason}"`,
  ]);
}

/** docs/pipeline.md: a table of every stage's exceptions, or nothing when there are none. */
export function exceptionsSection(
  stages: readonly { readonly name: string; readonly exceptions: readonly ReleaseException[] }[],
): string[] {
  const rows = stages.flatMap((stage) =>
    stage.exceptions.map((e) => [
      stage.name,
      e.rule === 'untested' ? 'untested' : 'all at once',
      e.services.join(', '),
      e.what,
      e.reason,
    ]),
  );
  if (rows.length === 0) return [];
  return [
    'Exceptions the stage entries declare to the rules of a stage that requires approval, with their reasons:',
    markdownTable(['Stage', 'Exception', 'Services', 'What it lets through', 'Reason'], rows),
  ];
}
