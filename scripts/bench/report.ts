import * as os from 'os';
import { describeMeasurement, LIMITS } from '../../lib/compliance/aws-limits';
import { MAX_RESOURCES_PER_STACK } from '../../lib/config/grouping';
import { nearestLimits } from '../../lib/synth-summary';
import { canaryWindows, limitPeaks, type AssemblyFacts } from './assembly';
import type { FixtureStage } from './fixture';
import { LIMIT_SIZES, scenarioKey, WAVES_SCENARIO, type Job } from './plan';

/** One synthesized fixture, as the report reads it. */
export interface JobResult {
  readonly job: Job;
  /** The fixture's stage entries (names, waves, environments). */
  readonly stages: readonly FixtureStage[];
  readonly ok: boolean;
  /** Why it failed: the command's last lines. */
  readonly error?: string;
  readonly seconds: number;
  readonly peakMb?: number;
  /** CPU time of all its processes: steadier than wall time on a busy machine. */
  readonly cpuSeconds?: number;
  readonly facts?: AssemblyFacts;
}

/** The app is at least this many times faster than the baseline (the project's target). */
export const SPEED_TARGET = 2;

/**
 * `200`, or `200 × 3 regions (2 waves)` when a gradual stage deploys to several regions; with
 * `prose`, `1 service`, `200 services`, `200 services × 3 regions (2 waves)`.
 */
export function scenarioLabel(
  services: number,
  stages: readonly FixtureStage[],
  prose = false,
): string {
  const widest = stages
    .filter((s) => s.gradual)
    .reduce<FixtureStage | undefined>((a, s) => (!a || s.regions > a.regions ? s : a), undefined);
  const count = prose ? `${services} service${services === 1 ? '' : 's'}` : String(services);
  return widest && widest.regions > 1
    ? `${count} × ${widest.regions} regions (${widest.waves.length} waves)`
    : count;
}

const label = (r: JobResult) => scenarioLabel(r.job.scenario.services, r.stages);
const prose = (r: JobResult) => scenarioLabel(r.job.scenario.services, r.stages, true);
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

/** Canary windows of each gradual stage, e.g. `1`, or `prod 1, staging 2` for several. */
function windowsOf(r: JobResult): string {
  if (!r.facts) return '–';
  const gradual = r.stages.filter((s) => s.gradual);
  const counts = gradual.map((s) => canaryWindows(r.facts!.pipelineStages, s));
  return gradual.length === 1
    ? String(counts[0])
    : gradual.map((s, i) => `${s.name} ${counts[i]}`).join(', ');
}

/** The timed runs (`npx cdk synth`), app and baseline side by side. */
export function comparisonTable(results: readonly JobResult[]): string[] {
  const rows = results.filter((r) => r.job.mode === 'cdk');
  if (rows.length === 0) return [];
  return [
    '| services | variant | synth (s) | CPU (s) | peak memory (MB) | canary windows | stacks | largest stack (resources) | bundles | service bundle (KB) | hook bundle (KB) |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map((r) => {
      const memory = r.peakMb === undefined ? 'n/a' : String(r.peakMb);
      const cpu = r.cpuSeconds === undefined ? 'n/a' : fixed(r.cpuSeconds);
      if (!r.ok || !r.facts) {
        return `| ${label(r)} | ${r.job.variant} | failed after ${fixed(r.seconds)} | ${cpu} | ${memory} | – | – | – | – | – | – |`;
      }
      const f = r.facts;
      return `| ${label(r)} | ${r.job.variant} | ${fixed(r.seconds)} | ${cpu} | ${memory} | ${windowsOf(r)} | ${f.stacks} | ${f.largestStack} | ${f.bundles} | ${f.serviceBundleKb} | ${f.hookBundleKb} |`;
    }),
  ];
}

function find(
  results: readonly JobResult[],
  key: string,
  variant: Job['variant'],
  mode?: Job['mode'],
): JobResult | undefined {
  const matching = results.filter(
    (r) =>
      r.ok &&
      r.facts &&
      scenarioKey(r.job.scenario) === key &&
      r.job.variant === variant &&
      (mode === undefined || r.job.mode === mode),
  );
  // A timed run read the real bundles through the gate: the better source.
  return matching.find((r) => r.job.mode === 'cdk') ?? matching[0];
}

/** Performance and shape claims, each a ratio against a run of the same command. */
export function claims(results: readonly JobResult[]): string[] {
  const lines: string[] = [];
  const timedApps = results.filter((r) => r.job.mode === 'cdk' && r.job.variant === 'app' && r.ok);
  for (const app of timedApps) {
    const base = find(results, scenarioKey(app.job.scenario), 'baseline', 'cdk');
    if (!base) continue;
    const cpu =
      app.cpuSeconds && base.cpuSeconds
        ? `${ratio(base.cpuSeconds, app.cpuSeconds)} less CPU time`
        : undefined;
    const memory =
      app.peakMb && base.peakMb ? `${ratio(app.peakMb, base.peakMb)} its peak memory` : undefined;
    const using = [cpu, memory].filter(Boolean).join(' and ');
    lines.push(
      `${prose(app)}: the app synthesizes ${ratio(base.seconds, app.seconds)} faster than the baseline (target ≥ ${SPEED_TARGET}×)${using ? `, with ${using}` : ''}; canary windows ${windowsOf(app)} against ${windowsOf(base)}.`,
    );
  }
  const single = timedApps.filter((r) => r.job.scenario.config === undefined);
  const [smallest, largest] = [single[0], single.at(-1)];
  if (smallest && largest && smallest !== largest) {
    const baseSmall = find(results, scenarioKey(smallest.job.scenario), 'baseline', 'cdk');
    const baseLarge = find(results, scenarioKey(largest.job.scenario), 'baseline', 'cdk');
    const baseline =
      baseSmall && baseLarge ? ` (baseline: ${ratio(baseLarge.seconds, baseSmall.seconds)})` : '';
    lines.push(
      `From ${smallest.job.scenario.services} to ${largest.job.scenario.services} services the app's synth time grows ${ratio(largest.seconds, smallest.seconds)}${baseline}.`,
    );
  }
  const waves = timedApps.find((r) => r.job.scenario.config !== undefined);
  const sameSize = single.find((r) => r.job.scenario.services === waves?.job.scenario.services);
  if (waves && sameSize) {
    lines.push(
      `${prose(waves)}: synth takes ${ratio(waves.seconds, sameSize.seconds)} the app's one-region time at ${sameSize.job.scenario.services} services.`,
    );
  }
  const biggest = [...results]
    .filter((r) => r.job.variant === 'app' && r.ok && r.facts)
    .sort((a, b) => b.job.scenario.services - a.job.scenario.services)[0];
  if (biggest?.facts) {
    lines.push(
      `At ${prose(biggest)}: largest stack ${biggest.facts.largestStack} resources (target ≤ ${MAX_RESOURCES_PER_STACK}), canary windows ${windowsOf(biggest)}.`,
    );
  }
  for (const r of results.filter((x) => !x.ok)) {
    lines.push(
      `FAILED: ${r.job.variant} at ${prose(r)} (${r.job.mode === 'cdk' ? 'npx cdk synth' : 'structure synth'}): ${(r.error ?? '').replace(/\s*\n\s*/g, ' | ')}`,
    );
  }
  return lines;
}

/** The scenarios of the limits and canary-window tables, in order, with their results. */
function shapeScenarios(results: readonly JobResult[]): string[] {
  const keys = [...LIMIT_SIZES.map((services) => scenarioKey({ services }))];
  keys.push(scenarioKey(WAVES_SCENARIO));
  return keys.filter((k) => results.some((r) => scenarioKey(r.job.scenario) === k));
}

/** Sequential pipeline stages per gradual stage: each one is a full canary window. */
export function windowsTable(results: readonly JobResult[]): string[] {
  const rows: string[] = [];
  for (const key of shapeScenarios(results)) {
    const app = find(results, key, 'app');
    const base = find(results, key, 'baseline');
    const any = app ?? base ?? results.find((r) => scenarioKey(r.job.scenario) === key)!;
    for (const stage of any.stages.filter((s) => s.gradual)) {
      const count = (r?: JobResult) =>
        r?.facts ? String(canaryWindows(r.facts.pipelineStages, stage)) : '–';
      const environments = stage.waves.flat().length;
      const where = `${environments} environment${environments > 1 ? 's' : ''}${stage.waves.length > 1 ? ` in ${stage.waves.length} waves` : ''}`;
      rows.push(
        `| ${label(any)} | ${stage.name} | ${where} | ${count(app)} | ${count(base)} | ${stage.waves.length} |`,
      );
    }
  }
  if (rows.length === 0) return [];
  return [
    '| services | stage | deploys to | app | baseline | fewest possible (one per wave) |',
    '|---|---|---|---:|---:|---:|',
    ...rows,
  ];
}

/** Which canary-window figures come from structure synths rather than `npx cdk synth`. */
export function windowSources(results: readonly JobResult[]): string[] {
  const used = shapeScenarios(results).flatMap((key) =>
    (['app', 'baseline'] as const).flatMap((variant) => {
      const r = find(results, key, variant);
      return r?.job.mode === 'structure' ? [`${label(r)} ${variant}`] : [];
    }),
  );
  return used.length
    ? [
        `From structure synths (no gate, stand-in code: the pipeline does not depend on either), not timed: ${used.join(', ')}.`,
      ]
    : [];
}

/** A measured value against its limit, marked when over it. */
function cell(value: number, max: number): string {
  const text = `${value.toLocaleString('en-US')} (${Math.round((100 * value) / max)}%)`;
  return value > max ? `**${text} OVER**` : text;
}

/** The app's results that the limits table reads, by scenario. */
function limitResults(results: readonly JobResult[]): JobResult[] {
  return shapeScenarios(results).flatMap((key) => find(results, key, 'app') ?? []);
}

/** For each AWS limit, its largest value over every template at each size. */
export function limitsTable(results: readonly JobResult[]): string[] {
  const columns = limitResults(results);
  if (columns.length === 0) return [];
  const peaks = columns.map((r) => limitPeaks(r.facts!.checked));
  const last = columns.length - 1;
  const rows = Object.values(LIMITS).map((rule) => {
    const cells = peaks.map((p) => {
      const peak = p.find((x) => x.measurement.rule.id === rule.id);
      return peak ? cell(peak.measurement.value, rule.max) : '–';
    });
    const where = peaks[last].find((x) => x.measurement.rule.id === rule.id)?.where ?? '–';
    return `| ${rule.what} | ${rule.max.toLocaleString('en-US')} | ${cells.join(' | ')} | ${where.replace(/\|/g, '\\|')} |`;
  });
  return [
    `| AWS limit | limit | ${columns.map((r) => label(r)).join(' | ')} | largest at ${label(columns[last])}: where |`,
    `|---|---:|${columns.map(() => '---:').join('|')}|---|`,
    ...rows,
  ];
}

/** Which runs the limits come from: timed synths (bundles, gate) or structure synths. */
export function limitSources(results: readonly JobResult[]): string[] {
  const columns = limitResults(results);
  const of = (mode: Job['mode']) => columns.filter((r) => r.job.mode === mode).map((r) => label(r));
  const lines: string[] = [];
  if (of('cdk').length) {
    lines.push(
      `${of('cdk').join(', ')} services: measured on what \`npx cdk synth\` wrote (real bundles, compliance gate on).`,
    );
  }
  if (of('structure').length) {
    lines.push(
      `${of('structure').join(', ')} services: measured on a structure synth: no compliance gate and no CloudFormation validation (they read templates, they do not change them), and stand-in code, one tiny asset per function instead of the bundles. Its templates match what \`npx cdk synth\` writes but for the Lambda version ids (same length) and the CDK's compressed metadata string (a few hundred bytes less per template): the CloudFormation, CodePipeline, CloudWatch and IAM structures do not depend on the bundles.`,
    );
  }
  return lines;
}

/** The nearest limit of each size, and every value over its limit. */
export function nearestAndOver(results: readonly JobResult[]): {
  nearest: string[];
  over: string[];
} {
  const nearest: string[] = [];
  const over: string[] = [];
  for (const r of limitResults(results)) {
    const [top] = nearestLimits(r.facts!.checked, 1);
    if (top) {
      nearest.push(
        `${prose(r)}: ${top.measurement.rule.what}${top.where ? ` (${top.where})` : ''}, ${describeMeasurement(top.measurement)}`,
      );
    }
    for (const { template, measurements } of r.facts!.checked) {
      for (const m of measurements.filter((x) => x.value > x.rule.max)) {
        over.push(
          `OVER AN AWS LIMIT at ${prose(r)}: ${m.rule.what} is ${describeMeasurement(m)} in ${template}${m.subject ? ` (${m.subject})` : ''}. Report to the lead; the gate's fix: ${m.rule.fix}.`,
        );
      }
    }
  }
  return { nearest, over };
}

/** The whole report, as Markdown (it reads as plain text on a terminal too). */
export function formatReport(results: readonly JobResult[], quick: boolean): string {
  const { nearest, over } = nearestAndOver(results);
  const list = (lines: readonly string[]) => lines.map((l) => `- ${l}`);
  const sections: string[][] = [
    ['## Synth: app vs baseline', '', ...comparisonTable(results), '', ...list(claims(results))],
    [
      '## Canary windows',
      '',
      'Sequential pipeline stages that deploy each stage that shifts traffic gradually, read from the synthesized pipeline: each is a full canary window.',
      '',
      ...windowsTable(results),
      ...list(windowSources(results)).flatMap((line) => ['', line]),
    ],
    [
      '## AWS limits',
      '',
      'Largest value of each limit over all templates, against the limit:',
      '',
      ...limitsTable(results),
      '',
      'Nearest limit per size:',
      '',
      ...list(nearest),
      '',
      ...list(over.length ? over : ['No value is over its limit.']),
      '',
      ...list(limitSources(results)),
    ],
  ];
  if (quick) {
    sections.push([
      'Quick run (– where a variant was not synthesized): `npm run bench -- --full` times app and baseline at 1, 10, 60 and 200 services with `npx cdk synth`, and adds 200 services with prod in 3 regions over 2 waves.',
    ]);
  }
  return sections.map((s) => s.join('\n')).join('\n\n');
}

/**
 * Why a run's report must not replace docs/benchmarks.md, or undefined when it may: a synth
 * that failed has no figures, and the page would lose the last full run's.
 */
export function refusalToWrite(results: readonly JobResult[]): string | undefined {
  const failed = results.filter((r) => !r.ok);
  if (failed.length === 0) return undefined;
  return `docs/benchmarks.md not written: ${failed.length} synth(s) failed (${failed.map((r) => `${r.job.variant} at ${prose(r)}`).join(', ')}), and the page keeps the last full run's figures. Fix: make every synth pass (the report above shows why each failed), then run npm run bench -- --full --write again`;
}

/** True when any measured value is over its AWS limit. */
export function anyOverLimit(results: readonly JobResult[]): boolean {
  return nearestAndOver(results).over.length > 0;
}

/** The machine the figures were taken on, and the date. */
export function machineLine(date = new Date()): string {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}. Date: ${date.toISOString().slice(0, 10)}.`;
}

/** docs/benchmarks.md. */
export function benchmarksPage(report: string, command: string, date = new Date()): string {
  return [
    '# Benchmarks',
    '',
    `Generated by \`${command}\`. It builds throw-away copies of the project with N services (the`,
    'files `npm run new-service` writes, in every stage, placed in shared stacks as the scaffold',
    'places them) and synthesizes each with `npx cdk synth`, side by side with a naive baseline:',
    'one stack per service per stage, a type-checked `ts-node` app command as `cdk init` sets it',
    'up, no pipeline-limit checks and no stage conditions. Wall time includes the CLI, bundling',
    'and the compliance gate. Compare ratios, not seconds: both variants run on the machine below,',
    "one after the other, in the same run. The baseline keeps this project's one deploy action per",
    "stack; with CDK Pipelines' default change sets (two actions per stack) it would need about",
    'twice as many sequential prod stages.',
    '',
    machineLine(date),
    '',
    report,
    '',
  ].join('\n');
}
