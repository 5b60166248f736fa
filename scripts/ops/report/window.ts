import { timestamp } from '../format';
import { EXIT, OpsError } from '../types';
import type { Window } from './dora';

/** Default `--since` of `report`. */
export const DEFAULT_SINCE = '30d';

/**
 * Days of history CodePipeline keeps: "Pipeline history is limited to the most recent 12 months,
 * based on pipeline execution start times" (ListPipelineExecutions, CodePipeline API Reference).
 */
export const HISTORY_DAYS = 365;

/** `--since`: a time before now (`30d`, `2w`, `12h`) or a day (`2026-10-01`, 00:00 UTC). */
export type Since =
  { readonly ago: number; readonly text: string } | { readonly day: Date; readonly text: string };

const UNITS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** The `--since` value, or undefined when it is neither a duration nor a day. */
export function parseSince(raw: string): Since | undefined {
  const duration = /^([1-9]\d{0,5})([hdw])$/.exec(raw);
  if (duration) return { ago: Number(duration[1]) * UNITS[duration[2]], text: raw };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw)) return undefined;
  const day = new Date(`${raw}T00:00:00Z`);
  // `2026-02-30` parses to March: only a day that prints back as itself is one.
  if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== raw) return undefined;
  return { day, text: raw };
}

/** What `--since` must look like. */
export const SINCE_FORMAT = 'a duration such as 30d, 2w or 12h, or a day such as 2026-10-01';

/**
 * The window from `since` to `now`; one line and exit 1 for a start in the future or beyond the
 * history CodePipeline keeps.
 */
export function reportWindow(since: Since, now: Date): Window {
  const start = 'ago' in since ? new Date(now.getTime() - since.ago) : since.day;
  if (start.getTime() >= now.getTime()) {
    throw new OpsError(
      `--since ${since.text} starts at ${timestamp(start)}, not before now (${timestamp(now)}): name a day in the past`,
      EXIT.failed,
    );
  }
  if (now.getTime() - start.getTime() > HISTORY_DAYS * UNITS.d) {
    throw new OpsError(
      `--since ${since.text} reaches further back than the 12 months of execution history CodePipeline keeps: use ${HISTORY_DAYS}d or less`,
      EXIT.failed,
    );
  }
  return { start, end: now };
}
