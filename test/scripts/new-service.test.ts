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
import { copyProject } from '../helpers/project-copy';
import { quietLogs, runInProcess } from '../helpers/service-test';
import { ROOT } from '../helpers/project';

/** Runs the command in this process on `root`, capturing its output. */
function run(root: string, argv: string[], extra: Partial<NewServiceIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main({
    argv: [...argv, '--root', root],
    stdout: (line) => out.push(...line.split('\n')),
    stderr: (line) => err.push(...line.split('\n')),
    defaultRoot: ROOT, // never used: every run names its copy with --root
    ...extra,
  });
  return { code, out, err };
}

/** Every file under `dir` (node_modules aside) with a hash of its content. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
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

const read = (file: string) => fs.readFileSync(file, 'utf8');

quietLogs();

describe('npm run new-service: success', () => {
  let copy: string;
  let before: Record<string, string>;
  let result: ReturnType<typeof run>;

  beforeAll(() => {
    copy = copyProject();
    before = snapshot(copy);
    result = run(copy, ['payments']);
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  it('exits 0 and prints what it created, edited and checked, then the next steps', () => {
    expect(result.err).toEqual([]);
    expect(result.code).toBe(EXIT.created);
    expect(result.out).toEqual([
      'Creating service "payments"',
      '  created services/payments/handler.ts',
      '  created services/payments/service.ts',
      '  created services/payments/synthetic.ts',
      '  created services/payments/handler.test.ts',
      '  edited  stages/dev.ts: stage "dev" services: greeter, orders, payments',
      '  edited  stages/prod.ts: stage "prod" services: greeter, orders, payments',
      '  checked the configuration: payments deploys in dev (ALL_AT_ONCE), prod (CANARY_10PERCENT_10MINUTES)',
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
    expect(changedFiles(before, snapshot(copy))).toEqual([
      'docs/pipeline.md',
      'services/payments/',
      'services/payments/handler.test.ts',
      'services/payments/handler.ts',
      'services/payments/service.ts',
      'services/payments/synthetic.ts',
      'stages/dev.ts',
      'stages/prod.ts',
    ]);
    const lists = findServicesLists(copy, read);
    expect(lists.map((l) => [l.file, l.names])).toEqual([
      ['stages/dev.ts', ['greeter', 'orders', 'payments']],
      ['stages/prod.ts', ['greeter', 'orders', 'payments']],
    ]);
  });

  it("puts the service in every stage with that stage's strategy", () => {
    const model = loadApp(copy);
    expect(read(path.join(copy, PIPELINE_DOC))).toBe(renderPipelineDoc(buildPlan(model)));
    expect(
      model.stages.map((s) => [
        s.name,
        strategyLabel(s.strategy),
        strategyLabel(s.services.find((x) => x.name === 'payments')!.strategy),
      ]),
    ).toEqual([
      ['dev', 'ALL_AT_ONCE', 'ALL_AT_ONCE'],
      ['prod', 'CANARY_10PERCENT_10MINUTES', 'CANARY_10PERCENT_10MINUTES'],
    ]);
  });

  it('writes synthetic checks that pass against the handler it writes', async () => {
    const dir = path.join(copy, 'services', 'payments');
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

  it('does and prints exactly what docs/adding-a-service.md shows', () => {
    const guide = read(path.join(ROOT, 'docs', 'adding-a-service.md'));
    expect(guide).toContain(`\`\`\`text\n${result.out.join('\n')}\n\`\`\``);
    expect(guide).toContain(
      `\`\`\`ts\n${read(path.join(copy, 'services/payments/service.ts'))}\`\`\``,
    );
  });

  it('writes only Prettier-clean files', () => {
    const written = changedFiles(before, snapshot(copy)).filter((f) => !f.endsWith('/'));
    expect(prettierCheck(written.map((f) => path.join(copy, f)))).toBe('clean');
  });
});

describe('npm run new-service: refusals write nothing', () => {
  let copy: string;
  let before: Record<string, string>;

  beforeAll(() => {
    copy = copyProject();
    // A stage that lists a service with no folder yet: that name is taken too.
    const prod = path.join(copy, 'stages', 'prod.ts');
    fs.writeFileSync(prod, read(prod).replace("'orders']", "'orders', 'ledger']"));
    before = snapshot(copy);
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

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
      ['greeter'],
      'new-service: the name "greeter" is taken: services/greeter/ already exists. Fix: choose another name, or edit services/greeter/ directly',
    ],
    [
      ['ledger'],
      'new-service: the name "ledger" is taken: stages/prod.ts already lists it in stage "prod". Fix: choose another name, or remove "ledger" from stages/prod.ts first',
    ],
    [
      [],
      'new-service: no service name given. Fix: npm run new-service -- <name> [--root <project dir>], e.g. npm run new-service -- payments',
    ],
    [
      ['a1', 'b2'],
      'new-service: one name at a time, got "a1" "b2". Fix: npm run new-service -- <name> [--root <project dir>], e.g. npm run new-service -- payments',
    ],
    [
      ['--force', 'payments'],
      'new-service: unknown option "--force". Fix: npm run new-service -- <name> [--root <project dir>]',
    ],
  ])('%j: exit 2, one line, tree unchanged', (argv, message) => {
    const { code, out, err } = run(copy, argv);
    expect({ code, out, err }).toEqual({ code: EXIT.refused, out: [], err: [message] });
    expect(snapshot(copy)).toEqual(before);
  });
});

describe('npm run new-service: a failure part-way restores everything', () => {
  let copy: string;
  let before: Record<string, string>;

  beforeAll(() => {
    copy = copyProject();
    before = snapshot(copy);
  });
  afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

  /** Real file operations, except that writing `failOn` writes half the text, then throws. */
  function failingFs(failOn: string): FileSystem {
    let failed = false;
    return {
      existsSync: fs.existsSync,
      readFileSync: (p, encoding) => fs.readFileSync(p, encoding),
      mkdirSync: (p) => fs.mkdirSync(p),
      rmSync: (p, options) => fs.rmSync(p, options),
      writeFileSync: (p, data) => {
        if (!failed && p === path.join(copy, failOn)) {
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
    ['stages/dev.ts', 'restored stages/dev.ts, removed services/payments/'],
    [
      'stages/prod.ts',
      'restored stages/prod.ts, restored stages/dev.ts, removed services/payments/',
    ],
  ])('a failed write of %s', (file, undone) => {
    const { code, err } = run(copy, ['payments'], { fs: failingFs(file) });
    expect(code).toBe(EXIT.failed);
    expect(err).toEqual([
      `✖ new-service: failed while writing ${file}: ENOSPC: no space left on device`,
      `  rolled back: ${undone}`,
    ]);
    expect(snapshot(copy)).toEqual(before);
  });

  it('a configuration that does not validate once the service is added', () => {
    const { code, err } = run(copy, ['payments'], {
      validate: () => {
        throw new Error('Stage entry "prod" (stages/prod.ts): planted failure');
      },
    });
    expect(code).toBe(EXIT.failed);
    expect(err).toEqual([
      '✖ new-service: failed while validating the configuration with "payments" added: Stage entry "prod" (stages/prod.ts): planted failure',
      '  rolled back: restored stages/prod.ts, restored stages/dev.ts, removed services/payments/',
    ]);
    expect(snapshot(copy)).toEqual(before);
  });

  it('a project whose configuration was already broken (real validation, no injection)', () => {
    const greeter = path.join(copy, 'services', 'greeter', 'service.ts');
    const original = read(greeter);
    fs.writeFileSync(greeter, original.replace('memoryMb: 256', 'memoryMb: 64'));
    try {
      const broken = snapshot(copy);
      const { code, err } = run(copy, ['payments']);
      expect(code).toBe(EXIT.failed);
      expect(err[0]).toBe(
        `✖ new-service: failed while validating the configuration with "payments" added: Service definition "greeter" (services/greeter/service.ts): memoryMb is 64: is below Lambda's minimum of 128 MB. Fix: use 128 to 10240`,
      );
      expect(snapshot(copy)).toEqual(broken);
    } finally {
      fs.writeFileSync(greeter, original);
    }
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
      'stages/dev.ts: stage "dev" has no services list written as an array. Fix: write services: [\'greeter\', ...] in the stage entry',
    );
  });
});

describe('in a stage that already has its single-service stacks', () => {
  test('places the new service in a shared stack, written into every stage entry', () => {
    const copy = copyProject();
    // 30 single-service stacks per stage: greeter, orders and 28 more.
    const extra = Array.from({ length: 28 }, (_, i) => `extra-${i + 1}`);
    for (const name of extra) {
      jest.resetModules(); // each run validates by loading the edited stage files afresh
      const r = run(copy, [name]);
      expect({ name, code: r.code, err: r.err.join('\n') }).toEqual({
        name,
        code: EXIT.created,
        err: '',
      });
    }
    jest.resetModules();
    const result = run(copy, ['payments']);
    expect(result.code).toBe(EXIT.created);
    expect(result.out.join('\n')).toContain('(payments in shared stack "group-1")');
    for (const stage of ['dev', 'prod']) {
      const text = fs.readFileSync(path.join(copy, 'stages', `${stage}.ts`), 'utf8');
      expect(text).toContain("{ name: 'payments', stack: 'group-1' }");
    }
    jest.resetModules();
    const model = loadApp(copy);
    for (const stage of model.stages) {
      const payments = stage.services.find((s) => s.name === 'payments')!;
      expect(payments.stack).toBe('group-1');
      expect(stage.services.find((s) => s.name === 'extra-28')!.stack).toBe('extra-28');
    }
  });
});
