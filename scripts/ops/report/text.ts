import { count, duration, percent, plural, timestamp } from '../format';
import { describeRevision } from '../pipeline';
import type { StageFigures, Window } from './dora';
import { leadTimeMs } from './dora';
import type { Outcome, Release, ServiceDeployment, StageHistory, Verdict } from './model';

/** Everything the report prints, whichever way it prints it. */
export interface Report {
  readonly pipeline: string;
  readonly window: Window;
  /** Executions read in the window (rollbacks included). */
  readonly executions: number;
  /** `--service`: only releases that moved it. */
  readonly service?: string;
  readonly stages: readonly { readonly history: StageHistory; readonly figures: StageFigures }[];
  /** What could not be read, and why: environments, verdict metrics. */
  readonly unread: readonly string[];
}

/** What the figures mean, under every report. */
export const FOOTNOTE = [
  'A release is an execution that entered the stage’s deploy. Lead time runs from the commit’s',
  'author date to the end of the stage (* from the push, where CodePipeline recorded no commit',
  'time). Percentiles by nearest rank. CodePipeline keeps 12 months of executions.',
];

const RESULT: Record<Outcome, string> = {
  succeeded: '✔ succeeded',
  failed: '✖ failed',
  'in-progress': '… in progress',
  stopped: '■ stopped',
  superseded: '↷ superseded',
  cancelled: '■ cancelled',
};

/** `2026-11-20 14:00`. */
function minute(date: Date): string {
  return timestamp(date).slice(0, 16);
}

/** The report as lines for a terminal: the figures of each stage, then its releases. */
export function reportLines(report: Report): string[] {
  const { window } = report;
  const days = (window.end.getTime() - window.start.getTime()) / 86_400_000;
  const lines = [
    `Delivery record of pipeline ${report.pipeline}${report.service ? `, service ${report.service}` : ''}: ${timestamp(window.start)} to ${timestamp(window.end)} (${formatDays(days)}), ${plural(report.executions, 'execution')}`,
  ];
  for (const { history, figures } of report.stages) {
    lines.push('', ...figureLines(figures), '', ...releaseLines(history));
  }
  lines.push('', ...FOOTNOTE);
  for (const line of report.unread) lines.push(`✖ not read: ${line}`);
  return lines;
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? plural(days, 'day') : `${days.toFixed(1)} days`;
}

/** Restore times listed at most (the JSON has them all). */
const LISTED = 8;

/** The figures of a stage as labelled rows, for the terminal and the chart file alike. */
export function figureRows(f: StageFigures): [label: string, text: string][] {
  const lead = f.leadTime;
  const finished = f.succeeded + f.failed;
  const ttr = f.timeToRestore;
  const shown = ttr.restoredMs.slice(0, LISTED).map((ms) => duration(ms));
  const more = ttr.restoredMs.length - shown.length;
  const restored = `${shown.join(', ')}${more > 0 ? `, and ${more} more` : ''}`;
  const open = ttr.notRestored > 0 ? `; ${ttr.notRestored} not restored yet` : '';
  const other = f.unfinished > 0 ? `, ${f.unfinished} not finished` : '';
  const rejected = f.rejected > 0 ? `; ${plural(f.rejected, 'approval')} rejected` : '';
  return [
    [
      'deployment frequency',
      `${f.perDay.toFixed(2)} a day, ${f.perWeek.toFixed(1)} a week (${plural(f.succeeded, 'successful release')})`,
    ],
    [
      'lead time for changes',
      lead
        ? `median ${duration(lead.medianMs)}, p90 ${duration(lead.p90Ms)} (${plural(lead.count, 'release')}${lead.fromExecutionStart > 0 ? `, ${lead.fromExecutionStart} from the push` : ''})`
        : 'no successful release',
    ],
    [
      'change failure rate',
      f.changeFailureRate === undefined
        ? 'no finished release'
        : `${percent(f.changeFailureRate)} (${f.failed} of ${plural(finished, 'finished release')} failed)`,
    ],
    [
      'time to restore',
      ttr.medianMs === undefined
        ? `no failed release restored${open}`
        : `median ${duration(ttr.medianMs)} (${restored}${open})`,
    ],
    ['releases', `${f.releases}: ${f.succeeded} succeeded, ${f.failed} failed${other}${rejected}`],
  ];
}

/** `prod (production: lead time ends here)`. */
export function stageTitle(f: StageFigures): string {
  return `${f.stage}${f.production ? ' (production: lead time ends here)' : ''}`;
}

function figureLines(f: StageFigures): string[] {
  return [stageTitle(f), ...figureRows(f).map(([label, text]) => `  ${label.padEnd(23)}${text}`)];
}

function releaseLines(history: StageHistory): string[] {
  const several = new Set(
    history.releases.flatMap((r) => r.deployActions.map((a) => a.environment)),
  );
  const lines = [
    `  ${'started'.padEnd(18)}${'commit'.padEnd(42)}${'result'.padEnd(15)}${'lead time'.padEnd(11)}steps`,
  ];
  const pad = ' '.repeat(20);
  for (const release of [...history.releases].reverse()) {
    const lead = leadTimeMs(release);
    const star = release.commit.timeFrom === 'execution-start' ? '*' : '';
    lines.push(
      `  ${minute(release.executionStart).padEnd(18)}${commitText(release).padEnd(42)}${RESULT[release.outcome].padEnd(15)}${(lead === undefined ? '-' : `${duration(lead)}${star}`).padEnd(11)}${stepsText(release)}`,
    );
    for (const d of release.deployments) lines.push(`${pad}${deploymentText(d, several.size > 1)}`);
    for (const f of release.failures) lines.push(`${pad}reason: ${f.kind}: ${f.text}`);
  }
  if (history.releases.length === 0) lines.push('  no release in the window');
  return lines;
}

/** `1a2b3c4 "Fix the rounding of ref…"`, at most 40 characters. */
function commitText({ commit }: Release): string {
  const text = describeRevision({ revisionId: commit.id, revisionSummary: commit.message });
  if (text.length <= 40) return text;
  return text.endsWith('"') ? `${text.slice(0, 38)}…"` : `${text.slice(0, 39)}…`;
}

function stepsText(release: Release): string {
  return release.steps
    .map((s) => `${s.name} ${s.end ? duration(s.end.getTime() - s.start.getTime()) : 'running'}`)
    .join(' · ');
}

function deploymentText(d: ServiceDeployment, withEnvironment: boolean): string {
  const where = withEnvironment ? ` in ${d.environment}` : '';
  const versions = `${d.fromVersion ?? '?'} → ${d.toVersion ?? '?'}`;
  const judged = d.verdict ? `  ${verdictText(d.verdict)}` : '';
  return `${d.service}${where} ${versions}  ${d.deploymentId} ${d.status}${judged}`;
}

/** `3 errors`, `1 error`, `1,204 invocations`. */
function counted(n: number, noun: string): string {
  return `${count(n)} ${noun}${n === 1 ? '' : 's'}`;
}

function verdictText(v: Verdict): string {
  const numbers = [
    v.invocations !== undefined && counted(v.invocations, 'invocation'),
    v.errors !== undefined && counted(v.errors, 'error'),
    v.slow !== undefined && `${count(v.slow)} slow`,
    v.throttles !== undefined && counted(v.throttles, 'throttle'),
    v.evidence !== undefined && `evidence ${v.evidence.toFixed(2)}`,
  ].filter((n): n is string => typeof n === 'string');
  return `judge: ${v.rollback ? 'roll back' : 'pass'}${numbers.length > 0 ? ` (${numbers.join(', ')})` : ''}`;
}
