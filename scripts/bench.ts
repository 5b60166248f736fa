/**
 * `npm run bench [-- --full [--write]] [--sizes 1,10]` (`--help` for the details)
 *
 * Builds throw-away copies of the project with N services in a temporary folder and
 * synthesizes them: the app as it is against a naive baseline, timed with `npx cdk synth`
 * (README's command) in the same run, then the canary windows and the AWS limits each size is
 * nearest to. Prints the report; `--full --write` also rewrites docs/benchmarks.md. Exits non-zero when
 * a synth failed or a value is over an AWS limit. The parts live in scripts/bench/.
 */
import * as fs from 'fs';
import * as path from 'path';
import { BENCHMARKS_PAGE, parseArgs, UsageError, USAGE, type BenchArgs } from './bench/args';
import { readAssembly } from './bench/assembly';
import { buildFixture } from './bench/fixture';
import { formatJudgement, runJudgementBench } from './bench/judgement';
import { loadApp } from '../lib/config/load';
import { planJobs, type Job } from './bench/plan';
import {
  anyOverLimit,
  benchmarksPage,
  formatReport,
  refusalToWrite,
  scenarioLabel,
  type JobResult,
} from './bench/report';
import { sectionOf, withSection } from './bench/test-timing';
import { Workspace } from './bench/workspace';

const ROOT = path.join(__dirname, '..');
/** Simulated releases per judgement situation: fewer in quick mode. */
const JUDGEMENT_RUNS = { quick: 300, full: 1000 } as const;
/** Structure synths run two at a time (they are not timed); timed synths one at a time. */
const PARALLEL_STRUCTURE_SYNTHS = 2;

async function runJob(
  job: Job,
  workspace: Workspace,
  log: (line: string) => void,
): Promise<JobResult> {
  const { scenario, variant, mode } = job;
  const dir = workspace.folder(`${variant}-${scenario.services}`);
  try {
    const fixture = buildFixture(ROOT, dir, { ...scenario, variant });
    const what = `${scenarioLabel(scenario.services, fixture.stages, true)}, ${variant}, ${mode === 'cdk' ? 'npx cdk synth' : 'structure synth'}`;
    log(`${what}: started`);
    const outdir = path.join(dir, 'cdk.out');
    const result =
      mode === 'cdk'
        ? await workspace.run(dir, 'npx', ['cdk', 'synth'])
        : await workspace.run(dir, process.execPath, [
            '--require',
            'ts-node/register/transpile-only',
            path.join('scripts', 'bench', 'structure-synth.ts'),
            outdir,
            ...(variant === 'baseline' ? ['--baseline'] : []),
          ]);
    const measured =
      result.peakMb === undefined
        ? ''
        : `, ${result.peakMb} MB, CPU ${result.cpuSeconds?.toFixed(1)} s`;
    const base = {
      job,
      stages: fixture.stages,
      seconds: result.seconds,
      ...(result.peakMb !== undefined && { peakMb: result.peakMb }),
      ...(result.cpuSeconds !== undefined && { cpuSeconds: result.cpuSeconds }),
    };
    if (result.status !== 0 || !fs.existsSync(outdir)) {
      log(`${what}: FAILED after ${result.seconds.toFixed(1)} s\n${result.tail}`);
      return { ...base, ok: false, error: result.tail };
    }
    log(`${what}: ${result.seconds.toFixed(1)} s${measured}`);
    return { ...base, ok: true, facts: readAssembly(outdir) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
  }
}

/** Roughly what a job costs: services times the environments of its configuration. */
function weight(job: Job): number {
  return job.scenario.services * (job.scenario.config === undefined ? 1 : 2);
}

async function bench(args: BenchArgs): Promise<number> {
  const started = Date.now();
  const log = (line: string) => {
    const s = Math.round((Date.now() - started) / 1000);
    console.log(`[${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}] ${line}`);
  };
  const jobs = planJobs(args);
  const workspace = new Workspace();
  const results: JobResult[] = [];
  try {
    for (const job of jobs.filter((j) => j.mode === 'cdk')) {
      results.push(await runJob(job, workspace, log));
    }
    // Two workers take the structure synths, largest first, so that the largest one starts at
    // once and the smaller ones run beside it.
    const queue = jobs.filter((j) => j.mode === 'structure').sort((a, b) => weight(b) - weight(a));
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        results.push(await runJob(job, workspace, log));
      }
    };
    await Promise.all(Array.from({ length: PARALLEL_STRUCTURE_SYNTHS }, worker));
  } finally {
    workspace.dispose();
  }
  // In plan order, whatever finished first.
  results.sort((a, b) => jobs.indexOf(a.job) - jobs.indexOf(b.job));
  // The release judgement, simulated with the project's own prod configuration.
  const runs = args.full ? JUDGEMENT_RUNS.full : JUDGEMENT_RUNS.quick;
  log(`release judgement: ${runs} simulated releases per situation`);
  const judgement = runJudgementBench(loadApp(ROOT), runs);
  const report = `${formatReport(results, !args.full)}\n\n${formatJudgement(judgement, runs)}`;
  const elapsed = Math.round((Date.now() - started) / 1000);
  console.log(`\n${report}\n\nWall time of this run: ${Math.floor(elapsed / 60)}m${elapsed % 60}s`);
  if (args.write) {
    const refusal = refusalToWrite(results);
    if (refusal) {
      console.error(refusal);
    } else {
      const file = path.join(ROOT, BENCHMARKS_PAGE);
      // The section of `npm run bench:tests` stays as that command wrote it.
      const kept = fs.existsSync(file) ? sectionOf(fs.readFileSync(file, 'utf8')) : undefined;
      const page = benchmarksPage(report, 'npm run bench -- --full');
      fs.writeFileSync(file, kept === undefined ? page : withSection(page, kept));
      console.log(`written to ${path.relative(process.cwd(), file) || file}`);
    }
  }
  const failed = results.some((r) => !r.ok) || judgement.some((r) => !r.holds);
  return failed || anyOverLimit(results) ? 1 : 0;
}

function main(): void {
  let args: BenchArgs;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`npm run bench: ${error.message}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  bench(args).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}

if (require.main === module) main();
