import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadApp } from '../../lib/config/load';
import { strategyLabel } from '../../lib/config/strategy';
import { PIPELINE_DOC, renderPipelineDoc } from '../../lib/plan/markdown';
import { buildPlan } from '../../lib/plan/plan';
import type { InProcessHandler } from '../../runtime/synthetic/in-process-invoker';
import type { SyntheticCheck } from '../../runtime/synthetic/types';
import { EXIT, main, type FileSystem, type NewServiceIo } from '../../scripts/new-service';
import {
  appendToList,
  applySplices,
  findServicesLists,
} from '../../scripts/new-service/stage-lists';
import {
  serviceDefinition,
  serviceFiles,
  syntheticChecks,
} from '../../scripts/new-service/templates';
import { quietLogs, runInProcess } from '../helpers/service-test';
import { ROOT } from '../helpers/project';
import { fixtureConfig, GOOD_HANDLER, writeFiles } from '../lib/config/fixtures';

/**
 * A project of the test's own in a temporary folder: its own pipeline configuration, two stages
 * (`qa` all at once, `live` a canary after approval) and two services, `alpha` and `beta-two`.
 * The project's lib/, runtime/ and node_modules/ are linked in, so the files the command writes
 * load as they would in the project.
 */
function fixtureProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'new-service-'));
  const stage = (name: string, environment: string, extra: string) =>
    `/** Stage ${name} of the fixture. */
export const ${name} = {
  name: '${name}',
  environment: '${environment}',
${extra}  services: ['alpha', 'beta-two'],
};
`;
  const service = (name: string) => ({
    [`services/${name}/service.ts`]: `export const service = { name: '${name}' };\n`,
    [`services/${name}/synthetic.ts`]: `export const checks = [{ name: 'answers', event: {}, expect: { statusCode: 200 } }];\n`,
    [`services/${name}/handler.ts`]: GOOD_HANDLER,
  });
  writeFiles(root, {
    'pipeline.config.ts': `export const config = ${JSON.stringify(fixtureConfig(), null, 2)};\n`,
    'stages/index.ts':
      "import { live } from './live';\nimport { qa } from './qa';\n\nexport const stages = [qa, live];\n",
    'stages/qa.ts': stage(
      'qa',
      'test',
      "  strategy: { kind: 'predefined', name: 'ALL_AT_ONCE' },\n",
    ),
    'stages/live.ts': stage(
      'live',
      'live',
      "  strategy: { kind: 'canary', percentage: 20, intervalMinutes: 5 },\n  requiresApproval: true,\n",
    ),
    ...service('alpha'),
    ...service('beta-two'),
    [PIPELINE_DOC]: '# Pipeline\n',
    '.prettierrc.json': fs.readFileSync(path.join(ROOT, '.prettierrc.json'), 'utf8'),
  });
  for (const dir of ['lib', 'runtime', 'node_modules']) {
    fs.symlinkSync(path.join(ROOT, dir), path.join(root, dir), 'dir');
  }
  return root;
}

/**
 * Runs the command in this process on `root`, capturing its output. Jest keeps modules in a
 * registry of its own that the command's `require.cache` clean-up does not reach: the project's
 * files are forgotten before the run and before the validation that follows the writes.
 */
function run(root: string, argv: string[], extra: Partial<NewServiceIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  jest.resetModules();
  const code = main({
    argv: [...argv, '--root', root],
    stdout: (line) => out.push(...line.split('\n')),
    stderr: (line) => err.push(...line.split('\n')),
    defaultRoot: ROOT, // never used: every run names its project with --root
    validate: (r) => {
      jest.resetModules();
      return loadApp(r);
    },
    ...extra,
  });
  return { code, out, err };
}

/** Every file under `dir` (linked folders aside) with a hash of its content. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isSymbolicLink()) continue;
      if (entry.isDirectory()) {
        files[`${child}/`] = 'dir';
        walk(child);
      } else {
        const bytes = fs.readFileSync(path.join(dir, child));
        files[child] = createHash('sha256').update(bytes).digest('hex');
      }
    }
  };
  walk('');
  return files;
}

function changedFiles(before: Record<string, string>, after: Record<string, string>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => before[n] !== after[n]).sort();
}

/** Prettier cannot run inside jest (it imports dynamically): check files in a child process. */
function prettierCheck(files: string[]): string {
  const r = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs'),
      '--config',
      path.join(ROOT, '.prettierrc.json'),
      '--check',
      ...files,
    ],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? 'clean' : `${r.stdout}${r.stderr}`;
}

const remove = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });

const read = (file: string) => fs.readFileSync(file, 'utf8');

quietLogs();

describe('npm run new-service: success', () => {
  let project: string;
  let before: Record<string, string>;
  let result: ReturnType<typeof run>;

  beforeAll(() => {
    project = fixtureProject();
    before = snapshot(project);
    result = run(project, ['payments']);
  });
  afterAll(() => remove(project));

  it('exits 0 and prints what it created, edited and checked, then the next steps', () => {
    expect(result.err).toEqual([]);
    expect(result.code).toBe(EXIT.created);
    expect(result.out).toEqual([
      'Creating service "payments"',
      '  created services/payments/handler.ts',
      '  created services/payments/service.ts',
      '  created services/payments/synthetic.ts',
      '  created services/payments/handler.test.ts',
      '  edited  stages/qa.ts: stage "qa" services: alpha, beta-two, payments',
      '  edited  stages/live.ts: stage "live" services: alpha, beta-two, payments',
      '  checked the configuration: payments deploys in qa (ALL_AT_ONCE), live (CANARY_20PERCENT_5MINUTES)',
      '  updated docs/pipeline.md (as npm run plan -- --write does)',
      '',
      'Next steps:',
      '  1. Write the service in services/payments/handler.ts; keep synthetic.ts and handler.test.ts in step.',
      '  2. npm test         type-check, lint and unit tests, including services/payments/handler.test.ts',
      "  3. npx cdk synth    payments in every stage, with that stage's strategy; the compliance gate must pass",
      "  Another strategy in one stage: { name: 'payments', strategy: Strategy.canary(25, 5) } in its services.",
      '  See docs/adding-a-service.md.',
    ]);
  });

  it('creates the service folder, edits every stage file and the pipeline page, nothing else', () => {
    expect(changedFiles(before, snapshot(project))).toEqual([
      'docs/pipeline.md',
      'services/payments/',
      'services/payments/handler.test.ts',
      'services/payments/handler.ts',
      'services/payments/service.ts',
      'services/payments/synthetic.ts',
      'stages/live.ts',
      'stages/qa.ts',
    ]);
    const lists = findServicesLists(project, read);
    expect(lists.map((l) => [l.file, l.names])).toEqual([
      ['stages/qa.ts', ['alpha', 'beta-two', 'payments']],
      ['stages/live.ts', ['alpha', 'beta-two', 'payments']],
    ]);
  });

  it("puts the service in every stage with that stage's strategy", () => {
    const model = loadApp(project);
    expect(read(path.join(project, PIPELINE_DOC))).toBe(renderPipelineDoc(buildPlan(model)));
    expect(
      model.stages.map((s) => [
        s.name,
        strategyLabel(s.strategy),
        strategyLabel(s.services.find((x) => x.name === 'payments')!.strategy),
      ]),
    ).toEqual([
      ['qa', 'ALL_AT_ONCE', 'ALL_AT_ONCE'],
      ['live', 'CANARY_20PERCENT_5MINUTES', 'CANARY_20PERCENT_5MINUTES'],
    ]);
  });

  it('writes the definition and checks it validated before writing them', () => {
    const dir = path.join(project, 'services', 'payments');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { service } = require(path.join(dir, 'service.ts')) as { service: unknown };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checks } = require(path.join(dir, 'synthetic.ts')) as { checks: unknown };
    expect(service).toEqual(serviceDefinition('payments'));
    expect(checks).toEqual(syntheticChecks('payments'));
  });

  it('writes synthetic checks that pass against the handler it writes', async () => {
    const dir = path.join(project, 'services', 'payments');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { handler } = require(path.join(dir, 'handler.ts')) as {
      handler: InProcessHandler<never>;
    };
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { checks } = require(path.join(dir, 'synthetic.ts')) as { checks: SyntheticCheck[] };
    const results = await runInProcess(checks, handler);
    expect(results.map((r) => [r.name, r.passed, r.statusCode])).toEqual([
      ['answers GET with status ok', true, 200],
      ['refuses other methods with 405', true, 405],
    ]);
  });

  it('writes the service.ts and prints the lines that docs/adding-a-service.md shows', () => {
    const guide = read(path.join(ROOT, 'docs', 'adding-a-service.md'));
    expect(guide).toContain(
      `\`\`\`ts\n${read(path.join(project, 'services/payments/service.ts'))}\`\`\``,
    );
    // The lines about the stages depend on the project's stages; the guide shows the sample's.
    const block = /```text\nCreating service "payments"\n[\s\S]*?\n```/.exec(guide)?.[0] ?? '';
    for (const line of result.out.filter((l) => !/^ {2}(edited|checked) /.test(l))) {
      expect(block.split('\n')).toContain(line);
    }
  });

  it('writes only Prettier-clean files', () => {
    const written = changedFiles(before, snapshot(project)).filter((f) => !f.endsWith('/'));
    expect(prettierCheck(written.map((f) => path.join(project, f)))).toBe('clean');
  });
});

describe('the files the command writes', () => {
  it('are Prettier-clean for names of any length, and for names that occur in the templates', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'templates-'));
    try {
      const files = ['ab', 'ok', 'status', 'order-history', 'x'.repeat(28)].flatMap((name) =>
        serviceFiles(name).map(([file, text]) => {
          const full = path.join(dir, `${name}-${file}`);
          fs.writeFileSync(full, text);
          return full;
        }),
      );
      expect(prettierCheck(files)).toBe('clean');
    } finally {
      remove(dir);
    }
  });
});

describe('npm run new-service: refusals write nothing', () => {
  let project: string;
  let before: Record<string, string>;

  beforeAll(() => {
    project = fixtureProject();
    before = snapshot(project);
  });
  afterAll(() => remove(project));

  const rule =
    'is not a valid service name. Fix: use lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen, e.g. "order-history"';
  it.each([
    [['Payments'], `new-service: the name "Payments" ${rule}`],
    [['pay_ments'], `new-service: the name "pay_ments" ${rule}`],
    [['pay--ments'], `new-service: the name "pay--ments" ${rule}`],
    [['payments-'], `new-service: the name "payments-" ${rule}`],
    [['1payments'], `new-service: the name "1payments" ${rule}`],
    [['p'], 'new-service: the name "p" is too short. Fix: use 2 or more characters'],
    [
      ['a'.repeat(29)],
      `new-service: the name "${'a'.repeat(29)}" is longer than 28 characters, too long for the resource names derived from it. Fix: use a shorter name`,
    ],
    [
      ['constructor'],
      'new-service: the name "constructor" is a property every JavaScript object has, so a lookup by this name would find that property instead of the entry. Fix: choose another name',
    ],
    [
      ['delete'],
      'new-service: the name "delete" is a JavaScript reserved word, which code that handles entries by name cannot use safely. Fix: choose another name',
    ],
    [
      ['group-2'],
      'new-service: the name "group-2" has the form group-N, which names the shared stacks that npm run new-service opens. Fix: choose another name',
    ],
    [
      ['alpha-post-hook'],
      'new-service: the name "alpha-post-hook" cannot be added: Stage entry "qa" (stages/qa.ts): services[2] is "alpha-post-hook": its function would be named "fixture-pipeline-qa-alpha-post-hook", which is the name of the post-traffic hook function of "alpha" in this stage. Fix: give "alpha-post-hook" another name',
    ],
    [
      ['monitoring'],
      'new-service: the name "monitoring" cannot be added: Stage entry "qa" (stages/qa.ts): services[2] is "monitoring": its stack would be named "fixture-pipeline-qa-monitoring", which is the name of the monitoring stack of the stage ("fixture-pipeline-qa-Monitoring", apart from case). Fix: give "monitoring" another name',
    ],
    [
      ['alpha'],
      'new-service: the name "alpha" is taken: services/alpha/ already exists. Fix: choose another name, or edit services/alpha/ directly',
    ],
    [
      [],
      'new-service: no service name given. Fix: npm run new-service -- <name> [--complete] [--root <project dir>], e.g. npm run new-service -- payments',
    ],
    [
      ['a1', 'b2'],
      'new-service: one name at a time, got "a1" "b2". Fix: npm run new-service -- <name> [--complete] [--root <project dir>], e.g. npm run new-service -- payments',
    ],
    [
      ['--force', 'payments'],
      'new-service: unknown option "--force". Fix: npm run new-service -- <name> [--complete] [--root <project dir>]',
    ],
  ])('%j: exit 2, one line, tree unchanged', (argv, message) => {
    const { code, out, err } = run(project, argv);
    expect({ code, out, err }).toEqual({ code: EXIT.refused, out: [], err: [message] });
    expect(snapshot(project)).toEqual(before);
  });

  it('a name a stage already lists, though it has no folder yet', () => {
    const live = path.join(project, 'stages', 'live.ts');
    const original = read(live);
    fs.writeFileSync(live, original.replace("'beta-two']", "'beta-two', 'ledger']"));
    try {
      const changed = snapshot(project);
      const { code, err } = run(project, ['ledger']);
      expect({ code, err }).toEqual({
        code: EXIT.refused,
        err: [
          'new-service: the name "ledger" is taken: stages/live.ts already lists it in stage "live". Fix: choose another name, or remove "ledger" from stages/live.ts first',
        ],
      });
      expect(snapshot(project)).toEqual(changed);
    } finally {
      fs.writeFileSync(live, original);
    }
  });

  it('a name whose derived names would be too long for AWS', () => {
    const config = path.join(project, 'pipeline.config.ts');
    const original = read(config);
    fs.writeFileSync(
      config,
      original.replace('"fixture-pipeline"', '"fixture-pipeline-with-a-longer-name"'),
    );
    try {
      const changed = snapshot(project);
      const { code, err } = run(project, ['settlement-reports']);
      expect({ code, err }).toEqual({
        code: EXIT.refused,
        err: [
          'new-service: the name "settlement-reports" cannot be added: Stage entry "qa" (stages/qa.ts): services[2] is "settlement-reports": its post-traffic hook function would be named "fixture-pipeline-with-a-longer-name-qa-settlement-reports-post-hook", 67 characters, over Lambda\'s limit of 64 characters for function names. Fix: shorten the service name "settlement-reports", the stage name "qa" or pipelineName "fixture-pipeline-with-a-longer-name" (pipeline.config.ts) by 3 characters or more between them',
        ],
      });
      expect(snapshot(project)).toEqual(changed);
    } finally {
      fs.writeFileSync(config, original);
    }
  });

  it('a project whose configuration is already invalid: says so, writes nothing', () => {
    const alpha = path.join(project, 'services', 'alpha', 'service.ts');
    const original = read(alpha);
    fs.writeFileSync(alpha, "export const service = { name: 'alpha', memoryMb: 64 };\n");
    try {
      const broken = snapshot(project);
      const { code, err } = run(project, ['payments']);
      expect({ code, err }).toEqual({
        code: EXIT.refused,
        err: [
          `new-service: cannot add "payments" to a configuration that is already invalid: Service definition "alpha" (services/alpha/service.ts): memoryMb is 64: is below Lambda's minimum of 128 MB. Fix: use 128 to 10240; then run the command again`,
        ],
      });
      expect(snapshot(project)).toEqual(broken);
    } finally {
      fs.writeFileSync(alpha, original);
    }
  });
});

describe('npm run new-service -- <name> --complete: a half-made service folder', () => {
  let project: string;
  const payments = (file: string) => path.join(project, 'services', 'payments', file);

  beforeEach(() => {
    project = fixtureProject();
  });
  afterEach(() => remove(project));

  /** services/payments/ with the user's own handler and definition, but no checks. */
  const halfMade = () =>
    writeFiles(project, {
      'services/payments/handler.ts': GOOD_HANDLER,
      'services/payments/service.ts':
        "export const service = { name: 'payments', memoryMb: 512 };\n",
    });

  it('the plain command refuses the taken name, and names the fix that works', () => {
    halfMade();
    const before = snapshot(project);
    const { code, err } = run(project, ['payments']);
    expect({ code, err }).toEqual({
      code: EXIT.refused,
      err: [
        'new-service: the name "payments" is taken: services/payments/ already exists, without synthetic.ts. Fix: npm run new-service -- payments --complete writes the missing files and keeps the others, or remove services/payments/ first',
      ],
    });
    expect(snapshot(project)).toEqual(before);
  });

  it('following the fix that synth prints loads the project', () => {
    halfMade();
    jest.resetModules();
    let message = '';
    try {
      loadApp(project);
    } catch (error) {
      message = (error as Error).message;
    }
    const command = /Fix: npm run new-service -- (\S+) (--complete)/.exec(message);
    expect(command?.slice(1)).toEqual(['payments', '--complete']);

    const before = snapshot(project);
    const { code, out, err } = run(project, command!.slice(1));
    expect(err).toEqual([]);
    expect(code).toBe(EXIT.created);
    expect(out.slice(0, 8)).toEqual([
      'Completing service "payments"',
      '  kept    services/payments/handler.ts',
      '  kept    services/payments/service.ts',
      '  created services/payments/synthetic.ts',
      '  edited  stages/qa.ts: stage "qa" services: alpha, beta-two, payments',
      '  edited  stages/live.ts: stage "live" services: alpha, beta-two, payments',
      '  checked the configuration: payments deploys in qa (ALL_AT_ONCE), live (CANARY_20PERCENT_5MINUTES)',
      '  updated docs/pipeline.md (as npm run plan -- --write does)',
    ]);
    // Only the missing file is written; the user's handler and definition are kept as they were.
    expect(changedFiles(before, snapshot(project))).toEqual([
      'docs/pipeline.md',
      'services/payments/synthetic.ts',
      'stages/live.ts',
      'stages/qa.ts',
    ]);
    jest.resetModules();
    const model = loadApp(project);
    expect(
      model.stages.map((s) => s.services.find((x) => x.name === 'payments')?.memoryMb),
    ).toEqual([512, 512]);
  });

  it('an empty folder gets every file of the scaffold', () => {
    fs.mkdirSync(path.join(project, 'services', 'payments'));
    const { code, out, err } = run(project, ['payments', '--complete']);
    expect(err).toEqual([]);
    expect(code).toBe(EXIT.created);
    expect(out.slice(0, 5)).toEqual([
      'Completing service "payments"',
      '  created services/payments/handler.ts',
      '  created services/payments/service.ts',
      '  created services/payments/synthetic.ts',
      '  created services/payments/handler.test.ts',
    ]);
    jest.resetModules();
    expect(
      loadApp(project).stages.every((s) => s.services.some((x) => x.name === 'payments')),
    ).toBe(true);
  });

  it('a folder the stage entries already list: the files only, the stage entries untouched', () => {
    halfMade();
    const qa = path.join(project, 'stages', 'qa.ts');
    fs.writeFileSync(qa, read(qa).replace("'beta-two']", "'beta-two', 'payments']"));
    const before = snapshot(project);
    const { code, err } = run(project, ['payments', '--complete']);
    expect({ code, err }).toEqual({ code: EXIT.created, err: [] });
    expect(changedFiles(before, snapshot(project))).toEqual([
      'docs/pipeline.md',
      'services/payments/synthetic.ts',
    ]);
  });

  it('a failure part-way removes what it wrote and keeps what was there', () => {
    halfMade();
    const before = snapshot(project);
    const { code, err } = run(project, ['payments', '--complete'], {
      validate: () => {
        throw new Error('planted failure');
      },
    });
    expect(code).toBe(EXIT.failed);
    expect(err).toEqual([
      '✖ new-service: failed while validating the configuration with "payments" added: planted failure',
      '  rolled back: restored stages/live.ts, restored stages/qa.ts, removed services/payments/synthetic.ts',
    ]);
    expect(snapshot(project)).toEqual(before);
    expect(read(payments('service.ts'))).toContain('memoryMb: 512');
  });

  it.each([
    [
      'no such folder',
      () => undefined,
      'new-service: services/payments/ does not exist: there is nothing to complete. Fix: npm run new-service -- payments',
    ],
    [
      'a complete folder',
      () =>
        writeFiles(project, {
          'services/payments/handler.ts': GOOD_HANDLER,
          'services/payments/service.ts': "export const service = { name: 'payments' };\n",
          'services/payments/synthetic.ts': 'export const checks = [];\n',
        }),
      'new-service: services/payments/ already holds handler.ts, service.ts, synthetic.ts: there is nothing to complete. Fix: edit services/payments/ directly',
    ],
    [
      'a definition it keeps that is invalid',
      () =>
        writeFiles(project, {
          'services/payments/service.ts':
            "export const service = { name: 'payments', memoryMb: 64 };\n",
        }),
      `new-service: the name "payments" cannot be completed: Service definition "payments" (services/payments/service.ts): memoryMb is 64: is below Lambda's minimum of 128 MB. Fix: use 128 to 10240`,
    ],
  ])('refuses %s and writes nothing', (_, prepare, message) => {
    prepare();
    const before = snapshot(project);
    const { code, out, err } = run(project, ['payments', '--complete']);
    expect({ code, out, err }).toEqual({ code: EXIT.refused, out: [], err: [message] });
    expect(snapshot(project)).toEqual(before);
  });
});

describe('npm run new-service: a failure part-way restores everything', () => {
  let project: string;
  let before: Record<string, string>;

  beforeAll(() => {
    project = fixtureProject();
    before = snapshot(project);
  });
  afterAll(() => remove(project));

  /** Real file operations, except that writing `failOn` writes half the text, then throws. */
  function failingFs(failOn: string): FileSystem {
    let failed = false;
    return {
      existsSync: fs.existsSync,
      readFileSync: (p, encoding) => fs.readFileSync(p, encoding),
      mkdirSync: (p) => fs.mkdirSync(p),
      rmSync: (p, options) => fs.rmSync(p, options),
      writeFileSync: (p, data) => {
        if (!failed && p === path.join(project, failOn)) {
          failed = true;
          fs.writeFileSync(p, data.slice(0, data.length / 2));
          throw new Error('ENOSPC: no space left on device');
        }
        fs.writeFileSync(p, data);
      },
    };
  }

  it.each([
    ['services/payments/synthetic.ts', 'removed services/payments/'],
    ['stages/qa.ts', 'restored stages/qa.ts, removed services/payments/'],
    [
      'stages/live.ts',
      'restored stages/live.ts, restored stages/qa.ts, removed services/payments/',
    ],
  ])('a failed write of %s', (file, undone) => {
    const { code, err } = run(project, ['payments'], { fs: failingFs(file) });
    expect(code).toBe(EXIT.failed);
    expect(err).toEqual([
      `✖ new-service: failed while writing ${file}: ENOSPC: no space left on device`,
      `  rolled back: ${undone}`,
    ]);
    expect(snapshot(project)).toEqual(before);
  });

  it('a configuration that does not validate once the files are written', () => {
    const { code, err } = run(project, ['payments'], {
      validate: () => {
        throw new Error('Stage entry "live" (stages/live.ts): planted failure');
      },
    });
    expect(code).toBe(EXIT.failed);
    expect(err).toEqual([
      '✖ new-service: failed while validating the configuration with "payments" added: Stage entry "live" (stages/live.ts): planted failure',
      '  rolled back: restored stages/live.ts, restored stages/qa.ts, removed services/payments/',
    ]);
    expect(snapshot(project)).toEqual(before);
  });
});

describe('adding a name to a services list', () => {
  /** Runs findServicesLists + appendToList on in-memory stage files; returns the new texts. */
  function add(files: Record<string, string>, name: string, width = 100): Record<string, string> {
    const readFile = (p: string) => {
      const rel = path.relative('/project', p).split(path.sep).join('/');
      if (!(rel in files)) throw new Error(`ENOENT ${rel}`);
      return files[rel];
    };
    const lists = findServicesLists('/project', readFile);
    const out: Record<string, string> = {};
    for (const file of new Set(lists.map((l) => l.file))) {
      const inFile = lists.filter((l) => l.file === file);
      out[file] = applySplices(
        inFile[0].source.text,
        inFile.map((l) => appendToList(l, name, width)),
      );
    }
    return out;
  }

  const stageFile = (
    name: string,
    services: string,
  ) => `import { defineStage, Strategy } from '../lib/config/define';

export const ${name} = defineStage({
  name: '${name}',
  environment: '${name}',
  strategy: Strategy.allAtOnce(),
  services: ${services},
});
`;
  const index = "import { dev } from './dev';\n\nexport const stages = [dev];\n";

  it('keeps a list on one line while it fits', () => {
    const out = add(
      { 'stages/index.ts': index, 'stages/dev.ts': stageFile('dev', "['a1']") },
      'b2',
    );
    expect(out['stages/dev.ts']).toBe(stageFile('dev', "['a1', 'b2']"));
  });

  it('breaks a list that no longer fits into one entry per line, as Prettier does', () => {
    const long = ['x'.repeat(28), 'y'.repeat(28)].map((n) => `'${n}'`);
    const out = add(
      { 'stages/index.ts': index, 'stages/dev.ts': stageFile('dev', `[${long.join(', ')}]`) },
      'z'.repeat(28),
    );
    expect(out['stages/dev.ts']).toBe(
      stageFile('dev', `[\n    ${[...long, `'${'z'.repeat(28)}'`].join(',\n    ')},\n  ]`),
    );
  });

  it('adds a line to a list already on several lines, after a trailing comment', () => {
    const list =
      "[\n    'a1',\n    { name: 'b2', strategy: Strategy.canary(25, 5) }, // careful with b2\n  ]";
    const out = add({ 'stages/index.ts': index, 'stages/dev.ts': stageFile('dev', list) }, 'c3');
    expect(out['stages/dev.ts']).toBe(
      stageFile(
        'dev',
        "[\n    'a1',\n    { name: 'b2', strategy: Strategy.canary(25, 5) }, // careful with b2\n    'c3',\n  ]",
      ),
    );
  });

  it('follows renamed imports, nested groups and entries written in index.ts itself', () => {
    const indexText = `import { defineStage, Strategy } from '../lib/config/define';
import { dev as development } from './dev';

const qa = defineStage({
  name: 'qa',
  environment: 'dev',
  strategy: Strategy.allAtOnce(),
  services: ["a1"],
});

export const stages = [development, [qa]] as const;
`;
    const out = add(
      { 'stages/index.ts': indexText, 'stages/dev.ts': stageFile('dev', "['a1']") },
      'b2',
    );
    expect(out['stages/dev.ts']).toBe(stageFile('dev', "['a1', 'b2']"));
    expect(out['stages/index.ts']).toBe(indexText.replace('["a1"]', '["a1", "b2"]'));
  });

  it('writes lists Prettier leaves as they are', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lists-'));
    try {
      const long = ['x'.repeat(28), 'y'.repeat(28)].map((n) => `'${n}'`).join(', ');
      const cases = [
        stageFile('dev', "['a1']"),
        stageFile('dev', `[${long}]`),
        stageFile(
          'dev',
          "[\n    'a1',\n    { name: 'b2', strategy: Strategy.canary(25, 5) },\n  ]",
        ),
      ].map((text, i) => {
        const file = path.join(dir, `case${i}.ts`);
        fs.writeFileSync(
          file,
          add({ 'stages/index.ts': index, 'stages/dev.ts': text }, 'z'.repeat(28))['stages/dev.ts'],
        );
        return file;
      });
      expect(prettierCheck(cases)).toBe('clean');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a stage whose services are not a list it can edit', () => {
    expect(() =>
      add({ 'stages/index.ts': index, 'stages/dev.ts': stageFile('dev', 'common') }, 'b2'),
    ).toThrow(
      'stages/dev.ts: stage "dev" has no services list written as an array. Fix: write services: [\'my-service\', ...] in the stage entry',
    );
  });
});

describe('in a stage that already has its single-service stacks', () => {
  test('places the new service in a shared stack, written into every stage entry', () => {
    const project = fixtureProject();
    try {
      // 30 single-service stacks per stage: alpha, beta-two and 28 more.
      const extra = Array.from({ length: 28 }, (_, i) => `extra-${i + 1}`);
      for (const name of extra) {
        const r = run(project, [name]);
        expect({ name, code: r.code, err: r.err.join('\n') }).toEqual({
          name,
          code: EXIT.created,
          err: '',
        });
      }
      const result = run(project, ['payments']);
      expect(result.code).toBe(EXIT.created);
      expect(result.out.join('\n')).toContain('(payments in shared stack "group-1")');
      for (const stage of ['qa', 'live']) {
        const text = fs.readFileSync(path.join(project, 'stages', `${stage}.ts`), 'utf8');
        expect(text).toContain("{ name: 'payments', stack: 'group-1' }");
      }
      jest.resetModules();
      const model = loadApp(project);
      for (const stage of model.stages) {
        const payments = stage.services.find((s) => s.name === 'payments')!;
        expect(payments.stack).toBe('group-1');
        expect(stage.services.find((s) => s.name === 'extra-28')!.stack).toBe('extra-28');
      }
    } finally {
      remove(project);
    }
  });
});
