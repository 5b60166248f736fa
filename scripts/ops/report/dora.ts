import { failedAt, type Release, type StageHistory } from './model';

const DAY_MS = 86_400_000;

/** The time the report covers: executions that started in it. */
export interface Window {
  readonly start: Date;
  readonly end: Date;
}

/** Releases that reached 100% or failed in one week (Monday 00:00 UTC to the next). */
export interface WeekFigures {
  /** The Monday the week starts on. */
  readonly start: Date;
  /** Releases that succeeded in the week (by the time they left the stage). */
  readonly succeeded: number;
  /** Releases that failed in the week (by the time they failed). */
  readonly failed: number;
}

/** The four DORA figures of one stage over a window, and what they were computed from. */
export interface StageFigures {
  readonly stage: string;
  readonly production: boolean;
  /** Every release in the window, finished or not. */
  readonly releases: number;
  readonly succeeded: number;
  readonly failed: number;
  /** Releases still running, stopped, superseded or cancelled: in no figure. */
  readonly unfinished: number;
  /** Approvals rejected before the deploy: not releases. */
  readonly rejected: number;
  /** Deployment frequency: successful releases per day and per week of the window. */
  readonly perDay: number;
  readonly perWeek: number;
  /** Lead time for changes of the successful releases; absent when there is none. */
  readonly leadTime?: {
    readonly count: number;
    readonly medianMs: number;
    readonly p90Ms: number;
    /** How many measured from the execution's start, CodePipeline having no commit time. */
    readonly fromExecutionStart: number;
  };
  /** Failed over finished (failed and succeeded) releases; absent when none finished. */
  readonly changeFailureRate?: number;
  readonly timeToRestore: {
    /** Per failed release that a later success restored, in the order they failed. */
    readonly restoredMs: readonly number[];
    /** Absent when no failed release was restored yet. */
    readonly medianMs?: number;
    /** Failed releases no later release has restored yet. */
    readonly notRestored: number;
  };
  readonly weeks: readonly WeekFigures[];
}

/**
 * The `p`-th percentile of `values` by the nearest-rank method: the smallest value with at least
 * `p`% of the values at or below it, the value at rank ⌈p/100 × n⌉ in ascending order. The median
 * is its 50th percentile: for an even count, the lower of the two middle values. Undefined for
 * no values.
 */
export function nearestRank(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Lead time of a successful release: from its commit to the end of the stage. */
export function leadTimeMs(release: Release): number | undefined {
  if (release.outcome !== 'succeeded' || !release.end) return undefined;
  return release.end.getTime() - release.commit.time.getTime();
}

/**
 * Time to restore of each failed release, in the order they failed: from the moment it failed to
 * the end of the next successful release of the stage (the first to leave the stage after that
 * moment). Undefined for one no success followed yet.
 */
export function restoreTimes(releases: readonly Release[]): (number | undefined)[] {
  const successEnds = releases
    .filter((r) => r.outcome === 'succeeded' && r.end)
    .map((r) => r.end!.getTime())
    .sort((a, b) => a - b);
  return releases
    .map((r) => failedAt(r)?.getTime())
    .filter((t): t is number => t !== undefined)
    .sort((a, b) => a - b)
    .map((failed) => {
      const restored = successEnds.find((end) => end > failed);
      return restored === undefined ? undefined : restored - failed;
    });
}

/** Monday 00:00 UTC of the week `date` falls in. */
export function weekStart(date: Date): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  return new Date(day.getTime() - sinceMonday * DAY_MS);
}

/** Every week the window touches, with the releases that succeeded and failed in it. */
export function weeklyFigures(releases: readonly Release[], window: Window): WeekFigures[] {
  const weeks: { start: Date; succeeded: number; failed: number }[] = [];
  for (let t = weekStart(window.start).getTime(); t <= window.end.getTime(); t += 7 * DAY_MS) {
    weeks.push({ start: new Date(t), succeeded: 0, failed: 0 });
  }
  const weekOf = (date: Date) => weeks.find((w) => w.start.getTime() === weekStart(date).getTime());
  for (const release of releases) {
    const failed = failedAt(release);
    if (failed) {
      const week = weekOf(failed);
      if (week) week.failed++;
    } else if (release.outcome === 'succeeded' && release.end) {
      const week = weekOf(release.end);
      if (week) week.succeeded++;
    }
  }
  return weeks;
}

/**
 * The four figures of a stage's releases in the window:
 *
 * - deployment frequency: successful releases per day (and ×7 per week) of the window;
 * - lead time for changes: commit time to the end of the stage, over the successful releases,
 *   median and 90th percentile by nearest rank;
 * - change failure rate: failed / (failed + succeeded);
 * - time to restore: per failed release, to the end of the next successful one; the median.
 */
export function stageFigures(history: StageHistory, window: Window): StageFigures {
  const { releases } = history;
  const succeeded = releases.filter((r) => r.outcome === 'succeeded');
  const failed = releases.filter((r) => r.outcome === 'failed');
  const days = (window.end.getTime() - window.start.getTime()) / DAY_MS;
  const perDay = days > 0 ? succeeded.length / days : 0;
  const leads = succeeded.map(leadTimeMs).filter((ms): ms is number => ms !== undefined);
  const finished = succeeded.length + failed.length;
  const restores = restoreTimes(releases);
  const restoredMs = restores.filter((ms): ms is number => ms !== undefined);
  return {
    stage: history.stage,
    production: history.production,
    releases: releases.length,
    succeeded: succeeded.length,
    failed: failed.length,
    unfinished: releases.length - finished,
    rejected: history.rejected,
    perDay,
    perWeek: perDay * 7,
    leadTime:
      leads.length === 0
        ? undefined
        : {
            count: leads.length,
            medianMs: nearestRank(leads, 50)!,
            p90Ms: nearestRank(leads, 90)!,
            fromExecutionStart: succeeded.filter((r) => r.commit.timeFrom === 'execution-start')
              .length,
          },
    changeFailureRate: finished === 0 ? undefined : failed.length / finished,
    timeToRestore: {
      restoredMs,
      medianMs: nearestRank(restoredMs, 50),
      notRestored: restores.length - restoredMs.length,
    },
    weeks: weeklyFigures(releases, window),
  };
}
