import { leadTimeMs } from './dora';
import type { Release } from './model';
import type { Report } from './text';
import { HISTORY_DAYS } from './window';

/** Dates as ISO strings, everything else as is. */
const iso = (date: Date | undefined) => date?.toISOString();

/**
 * The report as one JSON document for tools (`--json`): the window, each stage's figures (times
 * in milliseconds, percentiles by nearest rank) and releases, and what could not be read.
 */
export function reportJson(report: Report): unknown {
  return {
    pipeline: report.pipeline,
    service: report.service,
    window: { start: iso(report.window.start), end: iso(report.window.end) },
    historyDays: HISTORY_DAYS,
    executions: report.executions,
    stages: report.stages.map(({ history, figures }) => ({
      stage: figures.stage,
      production: figures.production,
      releases: figures.releases,
      succeeded: figures.succeeded,
      failed: figures.failed,
      unfinished: figures.unfinished,
      rejectedApprovals: figures.rejected,
      deploymentFrequency: { perDay: figures.perDay, perWeek: figures.perWeek },
      leadTime: figures.leadTime && { ...figures.leadTime, percentiles: 'nearest-rank' },
      changeFailureRate: figures.changeFailureRate,
      timeToRestore: figures.timeToRestore,
      weeks: figures.weeks.map((w) => ({ ...w, start: iso(w.start)?.slice(0, 10) })),
      releaseList: [...history.releases].reverse().map(releaseJson),
    })),
    unread: report.unread,
  };
}

function releaseJson(release: Release) {
  return {
    executionId: release.executionId,
    executionStart: iso(release.executionStart),
    commit: { ...release.commit, time: iso(release.commit.time) },
    start: iso(release.start),
    end: iso(release.end),
    outcome: release.outcome,
    leadTimeMs: leadTimeMs(release),
    failures: release.failures.map((f) => ({ ...f, at: iso(f.at) })),
    steps: release.steps.map((s) => ({
      name: s.name,
      start: iso(s.start),
      end: iso(s.end),
      durationMs: s.end && s.end.getTime() - s.start.getTime(),
    })),
    deployments: release.deployments.map((d) => ({
      ...d,
      created: iso(d.created),
      completed: iso(d.completed),
    })),
  };
}
