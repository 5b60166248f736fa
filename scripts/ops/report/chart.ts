import * as fs from 'node:fs';
import path from 'node:path';
import { timestamp } from '../format';
import type { StageFigures, WeekFigures } from './dora';
import { figureRows, stageTitle, type Report } from './text';

/** `Oct 19`, `Nov 2`: the Monday a week starts on. */
function weekLabel(week: WeekFigures): string {
  const [, day, month] = week.start.toUTCString().split(' ');
  return `${month} ${Number(day)}`;
}

function header(report: Report): string {
  return `${timestamp(report.window.start)} to ${timestamp(report.window.end)}, from CodePipeline's execution history and CodeDeploy's deployments (npm run ops -- report${report.service ? ` --service ${report.service}` : ''}).`;
}

/** A Mermaid `xychart-beta` of a stage's weeks: bars for releases that succeeded, a line for failed. */
export function mermaidChart(figures: StageFigures): string {
  const top = Math.max(1, ...figures.weeks.flatMap((w) => [w.succeeded, w.failed]));
  return [
    'xychart-beta',
    `  title "${figures.stage}: releases a week (bars succeeded, line failed)"`,
    `  x-axis [${figures.weeks.map((w) => `"${weekLabel(w)}"`).join(', ')}]`,
    `  y-axis "releases" 0 --> ${top}`,
    `  bar [${figures.weeks.map((w) => w.succeeded).join(', ')}]`,
    `  line [${figures.weeks.map((w) => w.failed).join(', ')}]`,
  ].join('\n');
}

/** The report's weekly figures as Markdown: per stage its figures, a Mermaid chart and a table. */
export function markdownChart(report: Report): string {
  const parts = [`# Delivery record of pipeline ${report.pipeline}`, '', header(report)];
  for (const { figures } of report.stages) {
    parts.push(
      '',
      `## ${stageTitle(figures)}`,
      '',
      '| figure | value |',
      '| --- | --- |',
      ...figureRows(figures).map(([label, text]) => `| ${label} | ${text} |`),
      '',
      '```mermaid',
      mermaidChart(figures),
      '```',
      '',
      '| week of (Monday, UTC) | succeeded | failed |',
      '| --- | --- | --- |',
      ...figures.weeks.map((w) => `| ${weekLabel(w)} | ${w.succeeded} | ${w.failed} |`),
    );
  }
  return `${parts.join('\n')}\n`;
}

const escape = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Grouped bars of a stage's weeks as inline SVG: succeeded (green) beside failed (red). */
function svgChart(figures: StageFigures): string {
  const top = Math.max(1, ...figures.weeks.flatMap((w) => [w.succeeded, w.failed]));
  const [barWidth, gap, height] = [18, 24, 160];
  const width = figures.weeks.length * (2 * barWidth + gap) + gap;
  const bar = (x: number, value: number, color: string, what: string) => {
    const h = Math.round((value / top) * height);
    return `<rect x="${x}" y="${height - h + 10}" width="${barWidth}" height="${h}" fill="${color}"><title>${what}: ${value}</title></rect>`;
  };
  const groups = figures.weeks.map((w, i) => {
    const x = gap + i * (2 * barWidth + gap);
    const label = escape(weekLabel(w));
    return [
      bar(x, w.succeeded, '#2e7d32', `${label} succeeded`),
      bar(x + barWidth, w.failed, '#c62828', `${label} failed`),
      `<text x="${x + barWidth}" y="${height + 28}" text-anchor="middle" font-size="11">${label}</text>`,
    ].join('');
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + 40}" role="img" aria-label="${escape(figures.stage)}: releases a week">${groups.join('')}</svg>`;
}

/** The report's weekly figures as one self-contained HTML page (no script, no external file). */
export function htmlChart(report: Report): string {
  const title = `Delivery record of pipeline ${escape(report.pipeline)}`;
  const sections = report.stages.map(({ figures }) =>
    [
      `<h2>${escape(stageTitle(figures))}</h2>`,
      '<table>',
      ...figureRows(figures).map(
        ([label, text]) => `<tr><th>${escape(label)}</th><td>${escape(text)}</td></tr>`,
      ),
      '</table>',
      `<p>Releases a week (Monday to Sunday, UTC): <span class="ok">succeeded</span>, <span class="ko">failed</span>.</p>`,
      svgChart(figures),
      '<table><tr><th>week of</th><th>succeeded</th><th>failed</th></tr>',
      ...figures.weeks.map(
        (w) =>
          `<tr><td>${escape(weekLabel(w))}</td><td>${w.succeeded}</td><td>${w.failed}</td></tr>`,
      ),
      '</table>',
    ].join('\n'),
  );
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<title>${title}</title>`,
    '<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.2em .6em;text-align:left}.ok{color:#2e7d32}.ko{color:#c62828}</style>',
    '</head><body>',
    `<h1>${title}</h1>`,
    `<p>${escape(header(report))}</p>`,
    ...sections,
    '</body></html>',
    '',
  ].join('\n');
}

/** The chart `--out` asks for: HTML for a `.html` file, Markdown with Mermaid otherwise. */
export function chartFor(file: string, report: Report): string {
  return /\.html?$/i.test(file) ? htmlChart(report) : markdownChart(report);
}

/**
 * Writes `text` to `file` through a temporary file in the same folder and a rename, so that an
 * error leaves the old file (or none), never half a file.
 */
export function writeAtomically(file: string, text: string): void {
  const temporary = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`,
  );
  try {
    fs.writeFileSync(temporary, text);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
