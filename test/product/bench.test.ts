import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LIMITS, measureTemplate } from '../../lib/compliance/aws-limits';
import type { CfnTemplate } from '../../lib/compliance/template-text';
import {
  MAX_ACTIONS_PER_STAGE,
  MAX_SERVICES_PER_GROUP,
  maxSingleStacks,
  waveActions,
} from '../../lib/config/grouping';
import { loadApp } from '../../lib/config/load';
import { pipelineStageName } from '../../lib/resource-names';
import { parseArgs, UsageError } from '../../scripts/bench/args';
import {
  canaryWindows,
  limitPeaks,
  readAssembly,
  type AssemblyFacts,
} from '../../scripts/bench/assembly';
import {
  BASELINE_APP,
  buildFixture,
  widestWave,
  withServices,
  type Fixture,
  type FixtureStage,
} from '../../scripts/bench/fixture';
import { LIMIT_SIZES, planJobs, scenarioKey, WAVES_SCENARIO } from '../../scripts/bench/plan';
import {
  anyOverLimit,
  benchmarksPage,
  formatReport,
  refusalToWrite,
  type JobResult,
} from '../../scripts/bench/report';
import { Workspace } from '../../scripts/bench/workspace';
import { copyProject } from '../../scripts/lib/copy-project';
import { ROOT } from '../helpers/project';

jest.setTimeout(90_000);

/** Every temporary folder of this file, removed at the end. */
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
const newDir = (name: string) => fs.mkdtempSync(path.join(scratch, `${name}-`));

function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`parseArgs accepted ${argv.join(' ')}`);
}

describe('npm run bench options', () => {
  test('quick, stdout only by default; --full, --write and --sizes as given', () => {
    expect(parseArgs([])).toEqual({ full: false, write: false, help: false });
    expect(parseArgs(['--full', '--write'])).toEqual({ full: true, write: true, help: false });
    expect(parseArgs(['--sizes', '60,1,10,1']).sizes).toEqual([1, 10, 60]);
    expect(parseArgs(['--sizes=5']).sizes).toEqual([5]);
    expect(parseArgs(['--help']).help).toBe(true);
  });

  test('a bad option is refused with a message naming the fix', () => {
    expect(usageError(['--ful'])).toMatch(/unknown option "--ful". Fix: did you mean --full\?/);
    expect(usageError(['--frobnicate'])).toMatch(/unknown option "--frobnicate". Fix: use --full/);
    expect(usageError(['--no-write'])).toMatch(/nothing is written unless you pass --write/);
    expect(usageError(['--no-baseline'])).toMatch(/Fix: drop --no-baseline/);
    expect(usageError(['200'])).toMatch(/unexpected argument "200". Fix: .*--sizes 200/);
    expect(usageError(['--sizes'])).toMatch(/--sizes needs a list.*Fix: e\.g\. --sizes 1,10/);
    expect(usageError(['--sizes', '--full'])).toMatch(/--sizes needs a list/);
    for (const bad of ['0', '10,x', '1.5', '100000', '-3']) {
      expect(usageError(['--sizes', bad])).toMatch(/is not a service count from 1 to \d+. Fix:/);
    }
    expect(usageError(['--write=yes'])).toMatch(/--write takes no value.*Fix: write --write alone/);
  });

  test('--write only with a full run: the page holds the figures the README quotes', () => {
    expect(usageError(['--write'])).toBe(
      '--write replaces docs/benchmarks.md, which holds the figures of a full run (the README quotes them); a quick run times 10 services only and would replace the rest. Fix: npm run bench -- --full --write (tens of minutes), or drop --write to print the quick report',
    );
    expect(usageError(['--full', '--write', '--sizes', '1,10'])).toBe(
      "--write replaces docs/benchmarks.md, which holds the full run's sizes (1, 10, 60, 200 services); --sizes 1,10 would replace them. Fix: drop --sizes, or drop --write to print the report",
    );
    expect(parseArgs(['--full', '--write', '--sizes', '200,60,10,1']).write).toBe(true);
    expect(parseArgs(['--write', '--help']).help).toBe(true);
  });

  test('npm run bench -- --write (quick) refuses at once and leaves docs/benchmarks.md as it is', () => {
    const page = path.join(ROOT, 'docs', 'benchmarks.md');
    const before = fs.readFileSync(page, 'utf8');
    const r = spawnSync('npx', ['ts-node', '--transpile-only', 'scripts/bench.ts', '--write'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('npm run bench:'))).toEqual([
      expect.stringMatching(
        /^npm run bench: --write replaces docs\/benchmarks\.md, .* Fix: npm run bench -- --full --write/,
      ),
    ]);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(page, 'utf8')).toBe(before);
  });

  test('the plan: timed sizes in both variants, then every limit size for the app', () => {
    for (const args of [{ full: false }, { full: true }, { full: false, sizes: [3, 60] }]) {
      const jobs = planJobs(args);
      const timed = jobs.filter((j) => j.mode === 'cdk');
      // Timed runs come first: they run one at a time, before any structure synth.
      expect(jobs.slice(0, timed.length)).toEqual(timed);
      for (const job of timed.filter((j) => j.scenario.config === undefined)) {
        const twins = timed.filter((j) => scenarioKey(j.scenario) === scenarioKey(job.scenario));
        expect(twins.map((j) => j.variant).sort()).toEqual(['app', 'baseline']);
      }
      for (const services of LIMIT_SIZES) {
        const app = jobs.filter((j) => j.variant === 'app' && j.scenario.services === services);
        expect(app.filter((j) => j.scenario.config === undefined)).toHaveLength(1);
      }
      const waves = jobs.filter((j) => scenarioKey(j.scenario) === scenarioKey(WAVES_SCENARIO));
      expect(waves.map((j) => `${j.variant} ${j.mode}`).sort()).toEqual(
        args.full ? ['app cdk', 'baseline structure'] : [],
      );
    }
    expect(planJobs({ full: false, sizes: [3, 60] }).filter((j) => j.mode === 'cdk')).toHaveLength(
      4,
    );
  });
});

/** The stacks of each stage of a fixture's validated model: name → services. */
function stacksOf(fixture: Fixture, stage: FixtureStage): Map<string, string[]> {
  const stacks = new Map<string, string[]>();
  for (const p of stage.placements) {
    const stack = p.stack ?? p.name;
    stacks.set(stack, [...(stacks.get(stack) ?? []), p.name]);
  }
  expect(stage.placements).toHaveLength(fixture.spec.services);
  return stacks;
}

describe('fixtures', () => {
  const N = 32;

  test(`${N} services from the scaffold in every stage; past the single-stack budget, shared stacks`, () => {
    const fixture = buildFixture(ROOT, newDir('fixture-app'), { services: N, variant: 'app' });
    const services = fs.readdirSync(path.join(fixture.dir, 'services')).sort();
    expect(services).toHaveLength(N);
    for (const name of services) {
      expect(fs.readdirSync(path.join(fixture.dir, 'services', name)).sort()).toEqual([
        'handler.ts',
        'service.ts',
        'synthetic.ts',
      ]);
    }
    // The copy validates as a project, limit checks included.
    const model = loadApp(fixture.dir);
    expect(model.stages.map((s) => s.name)).toEqual(fixture.stages.map((s) => s.name));
    for (const stage of fixture.stages) {
      const modelled = model.stages.find((s) => s.name === stage.name)!;
      expect(modelled.services.map((s) => s.name)).toEqual(services);
      const stacks = stacksOf(fixture, stage);
      const singles = [...stacks.values()].filter((m) => m.length === 1 && stacks.has(m[0]));
      expect(singles).toHaveLength(Math.min(N, maxSingleStacks(widestWave(stage))));
      expect(stacks.size).toBeLessThan(N);
      for (const members of stacks.values()) {
        expect(members.length).toBeLessThanOrEqual(MAX_SERVICES_PER_GROUP);
      }
      expect(modelled.services.map((s) => s.stack)).toEqual(
        stage.placements.map((p) => p.stack ?? p.name),
      );
    }
  });

  test('a configuration with waves: copied with its imports, each stage placed for its widest wave', () => {
    // A project of the test's own with a second configuration: three regions, two waves.
    const root = copyProject(ROOT, newDir('project'));
    const config = {
      pipelineName: 'bench-fixture',
      source: {
        connectionArn:
          'arn:aws:codeconnections:eu-west-1:444455556666:connection/0a1b2c3d-0000-4000-8000-000000000000',
        repository: 'example-org/bench-fixture',
        branch: 'trunk',
      },
      pipeline: {
        account: '444455556666',
        region: 'eu-west-1',
        regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'],
      },
      environments: {
        test: { account: '555566667777', region: 'eu-west-1' },
        'live-eu': { account: '666677778888', region: 'eu-west-1' },
        'live-us': { account: '666677778888', region: 'us-east-1' },
        'live-ap': { account: '666677778888', region: 'ap-southeast-2' },
      },
      notifications: { emails: [] },
    };
    const define = "from '../../lib/config/define'";
    const files: Record<string, string> = {
      'waves-config/pipeline.config.ts': `import { definePipelineConfig } from '../lib/config/define';\n\nexport const config = definePipelineConfig(${JSON.stringify(config)});\n`,
      'waves-config/stages/index.ts':
        "import { live } from './live';\nimport { test } from './test';\n\nexport const stages = [test, live];\n",
      'waves-config/stages/test.ts': `import { defineStage, projectServices, Strategy } ${define};\n\nexport const test = defineStage({ name: 'test', environment: 'test', strategy: Strategy.allAtOnce(), services: projectServices() });\n`,
      'waves-config/stages/live.ts': `import { defineStage, Strategy } ${define};\n\nexport const live = defineStage({\n  name: 'live',\n  waves: [{ environments: ['live-eu'] }, { environments: ['live-us', 'live-ap'] }],\n  strategy: Strategy.canary(20, 5),\n  requiresApproval: true,\n  services: [],\n});\n`,
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    }

    const fixture = buildFixture(root, newDir('fixture-waves'), {
      services: N,
      variant: 'app',
      config: 'waves-config',
    });
    const testStage = fs.readFileSync(path.join(fixture.dir, 'stages', 'test.ts'), 'utf8');
    expect(testStage).toContain("import { defineStage, Strategy } from '../lib/config/define';");
    expect(testStage).not.toContain('projectServices');
    const model = loadApp(fixture.dir);
    expect(model.pipelineName).toBe('bench-fixture');
    const live = fixture.stages.find((s) => s.name === 'live')!;
    expect(live).toMatchObject({
      waves: [['live-eu'], ['live-us', 'live-ap']],
      regions: 3,
      gradual: true,
    });
    expect(fixture.stages.find((s) => s.name === 'test')).toMatchObject({
      waves: [['test']],
      regions: 1,
      gradual: false,
    });
    // A wider wave keeps fewer single stacks, so that every wave stays one pipeline stage.
    const singles = (stage: FixtureStage) => stage.placements.filter((p) => !p.stack).length;
    expect(singles(live)).toBeLessThan(singles(fixture.stages.find((s) => s.name === 'test')!));
    const liveModel = model.stages.find((s) => s.name === 'live')!;
    const stacks = stacksOf(fixture, live).size;
    for (const wave of liveModel.waves) {
      expect(waveActions(stacks, wave.environments.length, liveModel)).toBeLessThanOrEqual(
        MAX_ACTIONS_PER_STAGE,
      );
    }
  });

  test('the baseline: one stack per service, its own type-checked app command', () => {
    const fixture = buildFixture(ROOT, newDir('fixture-baseline'), {
      services: 3,
      variant: 'baseline',
    });
    expect(JSON.parse(fs.readFileSync(path.join(fixture.dir, 'cdk.json'), 'utf8')).app).toBe(
      BASELINE_APP,
    );
    expect(BASELINE_APP).not.toContain('--transpile-only');
    expect(fs.existsSync(path.join(fixture.dir, BASELINE_APP.split(' ').at(-1)!))).toBe(true);
    for (const stage of fixture.stages) {
      expect(stage.placements.every((p) => p.stack === undefined)).toBe(true);
    }
  });

  test('withServices replaces the list of the named entry only, and says when it cannot', () => {
    const source = [
      "import { defineStage, projectServices, Strategy } from '../lib/config/define';",
      '',
      "export const a = defineStage({ name: 'a', strategy: Strategy.allAtOnce(), services: projectServices() });",
      "export const b = defineStage({ name: 'b', strategy: Strategy.allAtOnce(), services: ['kept'] });",
      '',
    ].join('\n');
    const out = withServices(source, {
      name: 'a',
      placements: [{ name: 'one' }, { name: 'two', stack: 'group-1' }],
    });
    expect(out).toContain("services: [\n    'one',\n    { name: 'two', stack: 'group-1' },\n  ]");
    expect(out).toContain("services: ['kept']");
    expect(out).toContain("import { defineStage, Strategy } from '../lib/config/define';");
    expect(() =>
      buildFixture(ROOT, newDir('no-config'), { services: 1, variant: 'app', config: 'nowhere' }),
    ).toThrow(/nowhere\/pipeline.config.ts does not exist.*Fix: restore nowhere\//);
    expect(() => withServices(source, { name: 'c', placements: [] })).toThrow(
      /no stage entry named "c" with a services list/,
    );
  });
});

/** Every template of an assembly, parsed here, independently of the bench. */
function templatesOf(dir: string): { file: string; template: CfnTemplate }[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .flatMap((file) =>
      file.endsWith('.template.json')
        ? [{ file, template: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) }]
        : [],
    );
}

describe('limits and canary windows of a synthesized fixture', () => {
  let fixture: Fixture;
  let outdir: string;
  let facts: AssemblyFacts;

  beforeAll(() => {
    fixture = buildFixture(ROOT, newDir('synth'), { services: 2, variant: 'app' });
    outdir = path.join(fixture.dir, 'cdk.out');
    const synth = spawnSync(
      process.execPath,
      [
        '--require',
        'ts-node/register/transpile-only',
        path.join('scripts', 'bench', 'structure-synth.ts'),
        outdir,
      ],
      { cwd: fixture.dir, encoding: 'utf8' },
    );
    if (synth.status !== 0) throw new Error(`structure synth failed:\n${synth.stderr}`);
    facts = readAssembly(outdir);
  });

  test('every stage and wave of the model is one pipeline stage: one canary window per wave', () => {
    const model = loadApp(fixture.dir);
    for (const stage of model.stages) {
      for (const wave of stage.waves) {
        expect(facts.pipelineStages).toContain(pipelineStageName(stage, wave));
      }
      const entry = fixture.stages.find((s) => s.name === stage.name)!;
      expect(canaryWindows(facts.pipelineStages, entry)).toBe(stage.waves.length);
    }
  });

  test('each limit peak is the largest value found in the templates themselves', () => {
    const templates = templatesOf(outdir);
    expect(facts.stacks).toBe(templates.length);
    const peaks = new Map(limitPeaks(facts.checked).map((p) => [p.measurement.rule.id, p]));
    const resources = templates.map((t) => Object.keys(t.template.Resources ?? {}).length);
    expect(peaks.get(LIMITS.resources.id)?.measurement.value).toBe(Math.max(...resources));
    expect(facts.largestStack).toBe(Math.max(...resources));

    const all = templates.flatMap((t) => Object.values(t.template.Resources ?? {}));
    const names = all
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties?.FunctionName)
      .filter((n): n is string => typeof n === 'string');
    const longest = Math.max(...names.map((n) => n.length));
    expect(peaks.get(LIMITS.functionName.id)?.measurement.value).toBe(longest);
    expect(names.filter((n) => n.length === longest)).toContain(
      peaks.get(LIMITS.functionName.id)?.where,
    );

    const pipeline = all.find((r) => r.Type === 'AWS::CodePipeline::Pipeline')!;
    const stages = pipeline.Properties!.Stages as { Name: string; Actions: unknown[] }[];
    const most = Math.max(...stages.map((s) => s.Actions.length));
    expect(peaks.get(LIMITS.actionsPerStage.id)?.measurement.value).toBe(most);
    expect(stages.filter((s) => s.Actions.length === most).map((s) => `stage ${s.Name}`)).toContain(
      peaks.get(LIMITS.actionsPerStage.id)?.where,
    );
    expect(facts.pipelineStages).toEqual(stages.map((s) => s.Name));
    // Limits in the order they are declared, each at most once.
    const order = Object.values(LIMITS).map((l) => l.id);
    const ids = limitPeaks(facts.checked).map((p) => p.measurement.rule.id);
    expect(ids).toEqual(order.filter((id) => ids.includes(id)));
  });

  test('canary windows count the stages CDK Pipelines splits a wave into', () => {
    const stage = { name: 'live', waves: [['live-eu'], ['live-us', 'live-ap']] };
    const model = {
      name: stage.name,
      waves: stage.waves.map((names, i) => ({
        index: i + 1,
        environments: names.map((name) => ({ name })),
      })),
    };
    const [first, second] = model.waves.map((w) => pipelineStageName(model, w));
    const names = ['Source', 'Monitoring', 'test', first, `${second}.1`, `${second}.2`, 'other'];
    expect(canaryWindows(names, stage)).toBe(3);
    expect(canaryWindows(['Source', first], stage)).toBe(1);
  });
});

/** A JobResult for the report, with facts measured on small templates built here. */
function result(
  job: JobResult['job'],
  over: Partial<JobResult> & { actions?: number; resources?: number } = {},
): JobResult {
  const { actions = 12, resources = 30, ...rest } = over;
  const pipeline: CfnTemplate = {
    Resources: {
      Pipeline: {
        Type: 'AWS::CodePipeline::Pipeline',
        Properties: {
          Stages: [
            { Name: 'Source', Actions: [{ Name: 'Checkout' }] },
            {
              Name: 'live',
              Actions: Array.from({ length: actions }, (_, i) => ({ Name: `Deploy${i}` })),
            },
          ],
        },
      },
    },
  };
  const stack: CfnTemplate = {
    Resources: Object.fromEntries(
      Array.from({ length: resources }, (_, i) => [`R${i}`, { Type: 'AWS::SNS::Topic' }]),
    ),
  };
  const facts: AssemblyFacts = {
    stacks: 2,
    largestStack: resources,
    pipelineStages: ['Source', 'live'],
    checked: [
      { template: 'pipeline.template.json', measurements: measureTemplate(pipeline, 1000) },
      { template: 'service.template.json', measurements: measureTemplate(stack, 2000) },
    ],
    bundles: 2,
    serviceBundleKb: 20.5,
    hookBundleKb: 180,
  };
  const stages: FixtureStage[] = [
    {
      name: 'test',
      file: 'stages/test.ts',
      waves: [['test']],
      regions: 1,
      gradual: false,
      placements: [],
    },
    {
      name: 'live',
      file: 'stages/live.ts',
      waves: [['live']],
      regions: 1,
      gradual: true,
      placements: [],
    },
  ];
  return { job, stages, ok: true, seconds: 10, cpuSeconds: 9, peakMb: 500, facts, ...rest };
}

describe('report', () => {
  const timed = (services: number, variant: 'app' | 'baseline') =>
    ({ scenario: { services }, variant, mode: 'cdk' }) as const;

  test('ratios against the baseline of the same run, canary windows side by side', () => {
    const report = formatReport(
      [
        result(timed(10, 'app')),
        result(timed(10, 'baseline'), { seconds: 35, cpuSeconds: 27, peakMb: 2000 }),
        result({ scenario: { services: 60 }, variant: 'app', mode: 'structure' }),
      ],
      true,
    );
    expect(report).toContain(
      '10 services: the app synthesizes 3.50× faster than the baseline (target ≥ 2×), with 3.00× less CPU time and 0.25× its peak memory; canary windows 1 against 1.',
    );
    expect(report).toMatch(
      /^\| 10 \| app \| 10\.0 \| 9\.0 \| 500 \| 1 \| 2 \| 30 \| 2 \| 20\.5 \| 180 \|$/m,
    );
    expect(report).toMatch(/^\| 60 \| live \| 1 environment \| 1 \| – \| 1 \|$/m);
    expect(report).toMatch(/^\| 10 \| live \| 1 environment \| 1 \| 1 \| 1 \|$/m);
    expect(report).not.toMatch(/^\| \d+ \| test \|/m);
    expect(report).toMatch(/^- From structure synths .*, not timed: 60 app\.$/m);
    expect(report).toContain('Quick run');
    expect(report).toContain('No value is over its limit.');
    expect(report).toMatch(/^- 10 services: measured on what `npx cdk synth` wrote/m);
    expect(report).toMatch(/^- 60 services: measured on a structure synth/m);
    expect(formatReport([result(timed(10, 'app'))], false)).not.toContain('Quick run');
  });

  test('limits per size with where the largest sits; a value over its limit is marked and listed', () => {
    const results = [
      result(timed(10, 'app')),
      result(
        { scenario: { services: 200 }, variant: 'app', mode: 'structure' },
        {
          actions: 60,
          resources: 420,
        },
      ),
    ];
    const report = formatReport(results, true);
    const row = (what: string) => report.split('\n').find((l) => l.startsWith(`| ${what} |`));
    expect(row(LIMITS.actionsPerStage.what)).toBe(
      `| ${LIMITS.actionsPerStage.what} | 50 | 12 (24%) | **60 (120%) OVER** | stage live |`,
    );
    expect(row(LIMITS.resources.what)).toBe(
      `| ${LIMITS.resources.what} | 500 | 30 (6%) | 420 (84%) | service |`,
    );
    expect(report).toContain(
      `OVER AN AWS LIMIT at 200 services: ${LIMITS.actionsPerStage.what} is 60 / 50 (120%) in pipeline.template.json (stage live).`,
    );
    expect(report).toContain(
      `- 200 services: ${LIMITS.actionsPerStage.what} (stage live), 60 / 50 (120%)`,
    );
    expect(report).toContain(
      `- 10 services: ${LIMITS.actionsPerStage.what} (stage live), 12 / 50 (24%)`,
    );
    expect(anyOverLimit(results)).toBe(true);
    expect(anyOverLimit(results.slice(0, 1))).toBe(false);
  });

  test('a failed synth is a row and a line with its output', () => {
    const failed = result(timed(10, 'baseline'), {
      ok: false,
      facts: undefined,
      error: 'first line\nheap out of memory',
      seconds: 12.34,
    });
    const report = formatReport([result(timed(10, 'app')), failed], true);
    expect(report).toMatch(/^\| 10 \| baseline \| failed after 12\.3 \| 9\.0 \| 500 \| – \|/m);
    expect(report).toContain(
      'FAILED: baseline at 10 services (npx cdk synth): first line | heap out of memory',
    );
    expect(report).not.toContain('faster than the baseline');
  });

  test('a run with a failed synth does not replace the page, and says why', () => {
    const failed = result(timed(10, 'baseline'), { ok: false, facts: undefined, error: 'boom' });
    expect(refusalToWrite([result(timed(10, 'app')), failed])).toBe(
      "docs/benchmarks.md not written: 1 synth(s) failed (baseline at 10 services), and the page keeps the last full run's figures. Fix: make every synth pass (the report above shows why each failed), then run npm run bench -- --full --write again",
    );
    expect(refusalToWrite([result(timed(10, 'app'))])).toBeUndefined();
  });

  test('the page names the command, the machine and the date', () => {
    const page = benchmarksPage(
      'REPORT',
      'npm run bench -- --full',
      new Date('2031-02-03T10:00:00Z'),
    );
    expect(page).toMatch(/^# Benchmarks\n/);
    expect(page).toContain('Generated by `npm run bench -- --full`.');
    expect(page).toContain(`${os.cpus().length} × `);
    expect(page).toContain(`Node.js ${process.version}`);
    expect(page).toContain('Date: 2031-02-03.');
    expect(page).toContain('\nREPORT\n');
  });
});

/** False for a process that is gone, or dead and waiting to be reaped (a zombie). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(fs.existsSync(stat) && / Z /.test(fs.readFileSync(stat, 'utf8')));
}

describe('temporary files', () => {
  test('a command runs in the workspace; dispose removes the workspace', async () => {
    const workspace = new Workspace();
    const folder = workspace.folder('job');
    fs.writeFileSync(path.join(folder, 'x'), 'x');
    const run = await workspace.run(folder, process.execPath, [
      '-e',
      'console.log("hello from " + process.cwd()); process.exit(3)',
    ]);
    expect(run.status).toBe(3);
    expect(run.tail).toContain(`hello from ${fs.realpathSync(folder)}`);
    expect(run.seconds).toBeGreaterThan(0);
    const missing = await workspace.run(folder, 'a-command-that-does-not-exist-here', []);
    expect(missing.status).not.toBe(0);
    workspace.dispose();
    expect(fs.existsSync(workspace.dir)).toBe(false);
  });

  test('Ctrl-C stops the running commands and removes the workspace', async () => {
    const pidFile = path.join(newDir('signal'), 'pid');
    const script = `
      const { Workspace } = require('./scripts/bench/workspace');
      const w = new Workspace();
      w.run(w.dir, process.execPath, ['-e', 'require("fs").writeFileSync(${JSON.stringify(pidFile)}, String(process.pid)); setTimeout(() => {}, 60000)']);
      console.log(w.dir);`;
    const child = spawn(
      process.execPath,
      ['--require', 'ts-node/register/transpile-only', '-e', script],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(pidFile) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
    const dir = out.trim();
    expect(fs.existsSync(dir)).toBe(true);
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(fs.existsSync(dir)).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(running(grandchild)).toBe(false);
  });
});
