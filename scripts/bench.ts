/**
 * `npm run bench [-- --sizes 1,2,10,50,60,200] [--no-baseline] [--no-write]`
 *
 * Builds throw-away projects of N services outside the source tree and synthesizes each twice,
 * side by side in one run:
 *   - app:      this project as it is (placement in shared stacks past 30 services per stage,
 *               transpile-only app command, each bundle built once);
 *   - baseline: the naive set-up `cdk init` gives: one stack per service per stage and a
 *               type-checked `ts-node` app command.
 * For each it prints synth wall time, peak memory, the number of sequential prod pipeline
 * stages (canary windows), the largest stack's resource count and the bundle sizes, then
 * writes the table to docs/benchmarks.md with the machine and the date.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stackForNewService, type Placement } from '../lib/config/grouping';
import { copyProject } from './lib/copy-project';

const ROOT = path.join(__dirname, '..');
const TEMPLATE_SERVICE = 'greeter';

interface Args {
  sizes: number[];
  baseline: boolean;
  write: boolean;
}

interface Measurement {
  readonly variant: 'app' | 'baseline';
  readonly services: number;
  readonly ok: boolean;
  readonly seconds: number;
  readonly peakMb: number;
  readonly prodStages: number;
  readonly largestStack: number;
  readonly stacks: number;
  readonly bundles: number;
  readonly serviceBundleKb: number;
  readonly hookBundleKb: number;
  readonly error?: string;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { sizes: [1, 2, 10, 50, 60, 200], baseline: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') {
      args.sizes = (argv[++i] ?? '').split(',').map(Number);
      if (args.sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 400)) {
        throw new Error(`--sizes takes whole numbers from 1 to 400, e.g. --sizes 1,10,50`);
      }
    } else if (a === '--no-baseline') args.baseline = false;
    else if (a === '--no-write') args.write = false;
    else if (a === '--help') {
      console.log(fs.readFileSync(__filename, 'utf8').split('*/')[0]);
      process.exit(0);
    } else throw new Error(`unknown option ${a}; see npm run bench -- --help`);
  }
  return args;
}

function serviceName(i: number): string {
  return `svc-${String(i).padStart(4, '0')}`;
}

/** A copy of the project with `n` services cloned from greeter, in both stages. */
export function buildFixture(n: number, variant: Measurement['variant']): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${variant}-${n}-`));
  copyProject(ROOT, dir);
  const services = path.join(dir, 'services');
  const template = path.join(services, TEMPLATE_SERVICE);
  const files = fs.readdirSync(template).filter((f) => !f.endsWith('.test.ts'));
  const sources = Object.fromEntries(
    files.map((f) => [f, fs.readFileSync(path.join(template, f), 'utf8')]),
  );
  for (const entry of fs.readdirSync(services)) {
    fs.rmSync(path.join(services, entry), { recursive: true, force: true });
  }
  const placements: Placement[] = [];
  for (let i = 1; i <= n; i++) {
    const name = serviceName(i);
    fs.mkdirSync(path.join(services, name));
    for (const [file, text] of Object.entries(sources)) {
      fs.writeFileSync(path.join(services, name, file), text.split(TEMPLATE_SERVICE).join(name));
    }
    const stack = variant === 'app' ? stackForNewService(placements) : undefined;
    placements.push(stack === undefined ? { name } : { name, stack });
  }
  const list = placements
    .map((p) =>
      p.stack === undefined ? `'${p.name}'` : `{ name: '${p.name}', stack: '${p.stack}' }`,
    )
    .join(',\n    ');
  for (const stage of ['dev', 'prod']) {
    const file = path.join(dir, 'stages', `${stage}.ts`);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace(/services: \[[^\]]*\]/s, `services: [\n    ${list},\n  ]`));
  }
  if (variant === 'baseline') {
    const cdkJson = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.json'), 'utf8'));
    cdkJson.app = 'npx ts-node --prefer-ts-exts bin/app.ts';
    fs.writeFileSync(path.join(dir, 'cdk.json'), JSON.stringify(cdkJson, null, 2));
    // The naive app does not know the pipeline's limits: it lets CDK Pipelines split stages.
    const bin = path.join(dir, 'bin', 'app.ts');
    fs.writeFileSync(
      bin,
      fs
        .readFileSync(bin, 'utf8')
        .replace('loadApp(root)', 'loadApp(root, { enforceLimits: false })'),
    );
  }
  return dir;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function measure(n: number, variant: Measurement['variant']): Measurement {
  const dir = buildFixture(n, variant);
  const started = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', 'npx', 'cdk', 'synth', '-q'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakKb = Number((r.stderr.trim().split('\n').at(-1) ?? '').trim()) || 0;
  const base = {
    variant,
    services: n,
    seconds,
    peakMb: Math.round(peakKb / 1024),
  };
  const out = path.join(dir, 'cdk.out');
  if (r.status !== 0 || !fs.existsSync(out)) {
    const lastLines = `${r.stdout}\n${r.stderr}`.trim().split('\n').slice(-4).join(' | ');
    fs.rmSync(dir, { recursive: true, force: true });
    return {
      ...base,
      ok: false,
      prodStages: 0,
      largestStack: 0,
      stacks: 0,
      bundles: 0,
      serviceBundleKb: 0,
      hookBundleKb: 0,
      error: lastLines,
    };
  }
  const files = walk(out);
  const templates = files.filter((f) => f.endsWith('.template.json'));
  let largestStack = 0;
  let prodStages = 0;
  for (const t of templates) {
    const resources = JSON.parse(fs.readFileSync(t, 'utf8')).Resources ?? {};
    largestStack = Math.max(largestStack, Object.keys(resources).length);
    for (const res of Object.values(resources) as {
      Type: string;
      Properties: { Stages?: { Name: string }[] };
    }[]) {
      if (res.Type === 'AWS::CodePipeline::Pipeline') {
        prodStages = (res.Properties.Stages ?? []).filter((s) => /^prod/.test(s.Name)).length;
      }
    }
  }
  const bundles = files.filter((f) => /[/\\]asset\.[0-9a-f]+[/\\]index\.js$/.test(f));
  const sizeKb = (f: string | undefined) => (f ? Math.round(fs.statSync(f).size / 102.4) / 10 : 0);
  const hook = bundles.find((f) =>
    fs.readFileSync(f, 'utf8').includes('PutLifecycleEventHookExecutionStatus'),
  );
  const service = bundles.find((f) => f !== hook);
  const result: Measurement = {
    ...base,
    ok: true,
    prodStages,
    largestStack,
    stacks: templates.length,
    bundles: bundles.length,
    serviceBundleKb: sizeKb(service),
    hookBundleKb: sizeKb(hook),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

function table(rows: Measurement[], ratios: string[]): string {
  const head =
    '| services | variant | synth (s) | peak memory (MB) | prod pipeline stages | largest stack (resources) | stacks | bundles | service bundle (KB) | hook bundle (KB) |';
  const sep = '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|';
  const body = rows.map((m) =>
    m.ok
      ? `| ${m.services} | ${m.variant} | ${m.seconds.toFixed(1)} | ${m.peakMb} | ${m.prodStages} | ${m.largestStack} | ${m.stacks} | ${m.bundles} | ${m.serviceBundleKb} | ${m.hookBundleKb} |`
      : `| ${m.services} | ${m.variant} | failed after ${m.seconds.toFixed(1)} | ${m.peakMb} | – | – | – | – | – | – |`,
  );
  return [head, sep, ...body, '', ...ratios.map((r) => `- ${r}`)].join('\n');
}

function ratios(rows: Measurement[]): string[] {
  const app = (n: number) => rows.find((m) => m.variant === 'app' && m.services === n && m.ok);
  const base = (n: number) =>
    rows.find((m) => m.variant === 'baseline' && m.services === n && m.ok);
  const lines: string[] = [];
  const two = app(2);
  const sixty = app(60);
  if (two && sixty) {
    lines.push(
      `60 services synthesize in ${(sixty.seconds / two.seconds).toFixed(2)}× the 2-service time (target ≤ 2.5×).`,
    );
  }
  for (const m of rows.filter((r) => r.variant === 'app' && r.ok)) {
    const b = base(m.services);
    if (b) {
      lines.push(
        `${m.services} services: this app is ${(b.seconds / m.seconds).toFixed(2)}× faster than the baseline (target ≥ 2×); ${m.prodStages} prod pipeline stage(s) against ${b.prodStages}.`,
      );
    }
  }
  const biggest = rows.filter((r) => r.variant === 'app' && r.ok).at(-1);
  if (biggest) {
    lines.push(
      `At ${biggest.services} services: ${biggest.prodStages} prod pipeline stage(s) (one canary window), largest stack ${biggest.largestStack} resources (target ≤ 450).`,
    );
  }
  for (const m of rows.filter((r) => !r.ok))
    lines.push(`${m.variant} at ${m.services} failed: ${m.error}`);
  return lines;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const rows: Measurement[] = [];
  for (const n of args.sizes) {
    for (const variant of args.baseline ? (['app', 'baseline'] as const) : (['app'] as const)) {
      process.stdout.write(`synthesizing ${n} service(s), ${variant}... `);
      const m = measure(n, variant);
      rows.push(m);
      console.log(m.ok ? `${m.seconds.toFixed(1)} s, ${m.peakMb} MB` : `failed: ${m.error}`);
    }
  }
  const report = table(rows, ratios(rows));
  console.log(`\n${report}\n`);
  if (args.write) {
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    const doc = [
      '# Benchmarks',
      '',
      'Generated by `npm run bench`: synthesizes throw-away projects of N services (clones of',
      '`greeter`, in dev and prod) with `npx cdk synth -q`, side by side with a naive baseline',
      '(one stack per service per stage, type-checked `ts-node`, as `cdk init` sets it up).',
      'Wall time includes the CLI, bundling and the compliance gate. Compare ratios, not seconds:',
      "they are measured on the machine below, in one run. The baseline keeps this project's one",
      "deploy action per stack; with CDK Pipelines' default change sets (two actions per stack) it",
      'would need about twice as many sequential prod stages.',
      '',
      `Machine: ${os.cpus().length} × ${cpu}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node.js ${process.version}, ${os.platform()} ${os.release()}. Date: ${new Date().toISOString().slice(0, 10)}.`,
      '',
      report,
      '',
    ].join('\n');
    const file = path.join(ROOT, 'docs', 'benchmarks.md');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, doc);
    console.log(`written to ${path.relative(process.cwd(), file)}`);
  }
}

if (require.main === module) main();
