import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../../../lib/config/config-error';
import { loadApp } from '../../../lib/config/load';
import { stageEnvironments } from '../../../lib/config/model';
import { ROOT } from '../../helpers/project';
import { fixtureConfig, GOOD_HANDLER, tempDir, writeFiles } from './fixtures';

/** A project on disk: plain exports, no imports, so it loads from any folder. */
function project(files: Record<string, string>): string {
  const root = tempDir('load');
  const service = (name: string) => ({
    [`services/${name}/service.ts`]: `export const service = { name: '${name}' };\n`,
    [`services/${name}/synthetic.ts`]: `export const checks = [{ name: 'answers', event: {}, expect: { statusCode: 200 } }];\n`,
    [`services/${name}/handler.ts`]: GOOD_HANDLER,
  });
  writeFiles(root, {
    'pipeline.config.ts': `export const config = ${JSON.stringify(fixtureConfig())};\n`,
    ...service('alpha'),
    ...service('beta-two'),
    ...files,
  });
  return root;
}

const stageFile = (exportName: string, entry: object) =>
  `export const ${exportName} = ${JSON.stringify(entry)};\n`;
const entry = (name: string, environment = 'test') => ({
  name,
  environment,
  strategy: { kind: 'predefined', name: 'ALL_AT_ONCE' },
  services: ['alpha'],
});

function messageOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('it loaded');
}

const roots: string[] = [];
const made = (files: Record<string, string>) => {
  const root = project(files);
  roots.push(root);
  return root;
};
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

describe('loadApp() tells which file each stage entry comes from', () => {
  it('blames the file that defines a duplicate stage, not the file named after it', () => {
    const root = made({
      'stages/index.ts':
        "import { first } from './first';\nimport { copy } from './other';\nexport const stages = [first, copy];\n",
      'stages/first.ts': stageFile('first', entry('first')),
      'stages/other.ts': stageFile('copy', entry('first', 'live')),
    });
    expect(messageOf(() => loadApp(root))).toBe(
      'Stage entry "first" (stages/other.ts): the stage name "first" is used by an earlier stage (stages/first.ts). Fix: give every stage a unique name',
    );
  });

  it('blames stages/index.ts for an entry written there', () => {
    const root = made({
      'stages/index.ts': `export const stages = [${JSON.stringify({ ...entry('inline'), memoryMb: 1 })}];\n`,
    });
    expect(messageOf(() => loadApp(root))).toBe(
      'Stage entry "inline" (stages/index.ts): unknown field "memoryMb". Fix: remove it; the known fields are name, environment, waves, strategy, requiresApproval, allAtOnceReason, untestedReason, smokeTests, bakeMinutes, blockWhileAlarming, deploymentWindow, services',
    );
  });

  it('reads nested groups of stages in order', () => {
    const root = made({
      'stages/index.ts':
        "import { a } from './a';\nimport { b } from './b';\nexport const stages = [a, [b]];\n",
      'stages/a.ts': stageFile('a', entry('aa')),
      'stages/b.ts': stageFile('b', entry('bb', 'live')),
    });
    expect(loadApp(root).stages.map((s) => s.name)).toEqual(['aa', 'bb']);
  });

  it('reports a config file that does not compile in one line', () => {
    const root = made({
      'stages/index.ts': "import { a } from './a';\nexport const stages = [a];\n",
      'stages/a.ts': 'export const a = { name: ;\n',
    });
    const message = messageOf(() => loadApp(root));
    expect(message).toBe(
      'stages/a.ts cannot be loaded: stages/a.ts:1:26: error TS1109: Expression expected. Fix: correct the file (npx tsc --noEmit shows every error)',
    );
    expect(message).not.toContain('\n');
  });

  it('names the imported file, line and column where a syntax error is', () => {
    const root = made({
      'stages/index.ts': "import { a } from './a';\nexport const stages = [a];\n",
      'stages/a.ts':
        "import { accounts } from './accounts';\nexport const a = { name: accounts };\n",
      'stages/accounts.ts': "export const accounts = {\n  dev: '1',\n  prod: ,\n};\n",
    });
    expect(messageOf(() => loadApp(root))).toBe(
      'stages/a.ts cannot be loaded: stages/accounts.ts:3:9: error TS1109: Expression expected. Fix: correct the file (npx tsc --noEmit shows every error)',
    );
  });
});

describe('an entry of `stages` that is not a stage entry is named by its position, with the fix', () => {
  const stages = {
    'stages/dev.ts': stageFile('dev', entry('dev')),
    'stages/prod.ts': stageFile('prod', entry('prod', 'live')),
  };

  it('a mistyped import: the position, the import at fault and what the stage file exports', () => {
    const root = made({
      ...stages,
      'stages/index.ts':
        "import { dev } from './dev';\nimport { prd } from './prod';\n\nexport const stages = [dev, prd];\n",
    });
    expect(messageOf(() => loadApp(root))).toBe(
      "Stage entries (stages/index.ts): stages[1] is undefined, not a stage entry: stages/index.ts imports `prd` from './prod', which stages/prod.ts does not export (it exports `prod`). Fix: import `prod` instead (import { prod } from './prod') and list prod in stages",
    );
    // The fix, as printed, loads.
    fs.writeFileSync(
      path.join(root, 'stages/index.ts'),
      "import { dev } from './dev';\nimport { prod } from './prod';\n\nexport const stages = [dev, prod];\n",
    );
    jest.resetModules();
    expect(loadApp(root).stages.map((s) => s.name)).toEqual(['dev', 'prod']);
  });

  it('a stage file that exports nothing under the name imported', () => {
    const root = made({
      'stages/dev.ts': stageFile('dev', entry('dev')),
      'stages/prod.ts': `const prod = ${JSON.stringify(entry('prod', 'live'))};\nvoid prod;\n`,
      'stages/index.ts':
        "import { dev } from './dev';\nimport { prod } from './prod';\nexport const stages = [dev, [prod]];\n",
    });
    expect(messageOf(() => loadApp(root))).toBe(
      "Stage entries (stages/index.ts): stages[1][0] is undefined, not a stage entry: stages/index.ts imports `prod` from './prod', which stages/prod.ts does not export (it exports nothing). Fix: export `prod` from stages/prod.ts (export const prod = defineStage({ ... })), or import a name it exports",
    );
  });

  it('undefined without an import at fault, and a value that is not an object', () => {
    const root = made({
      ...stages,
      'stages/index.ts': "import { dev } from './dev';\nexport const stages = [dev, undefined];\n",
    });
    expect(messageOf(() => loadApp(root))).toBe(
      'Stage entries (stages/index.ts): stages[1] is undefined, not a stage entry: a name listed there holds no value, usually one imported from a stage file that does not export it. Fix: import each stage by the name its file exports (npx tsc --noEmit names the import that does not match)',
    );
    const named = made({
      ...stages,
      'stages/index.ts': "import { dev } from './dev';\nexport const stages = [dev, 'prod'];\n",
    });
    expect(messageOf(() => loadApp(named))).toBe(
      `Stage entries (stages/index.ts): stages[1] is "prod", not a stage entry. Fix: list the stage objects the stage files export, e.g. import { prod } from './prod' and export const stages = [dev, prod]`,
    );
  });

  it('a default export where `stages` is expected: what the file exports, and the fix', () => {
    const root = made({
      ...stages,
      'stages/index.ts': "import { dev } from './dev';\nexport default [dev];\n",
    });
    expect(messageOf(() => loadApp(root))).toBe(
      'stages/index.ts does not export `stages` (it exports `default`). Fix: export it as `stages` (export const stages = ... instead of export default), or add `export const stages = ...`',
    );
  });
});

/** One stage, `dev`, deploying alpha. */
const base = {
  'stages/dev.ts': stageFile('dev', entry('dev')),
  'stages/index.ts': "import { dev } from './dev';\nexport const stages = [dev];\n",
};

describe('a config file that cannot be loaded: what it imports or throws, and where', () => {
  it('a package that is not installed: a dev dependency, since configuration runs at synth', () => {
    const root = made({
      ...base,
      'stages/dev.ts': `import 'left-pad';\n${stageFile('dev', entry('dev'))}`,
    });
    expect(messageOf(() => loadApp(root))).toMatch(
      /^stages\/dev\.ts cannot be loaded: it imports "left-pad"( \(in [^)]+\))?, which is not installed\. Fix: npm install --save-dev left-pad \(configuration files run at synth only: a dev dependency\)$/,
    );
  });

  it('a file of its own that does not exist', () => {
    const root = made({
      ...base,
      'services/alpha/synthetic.ts': "export { checks } from './checks';\n",
    });
    expect(messageOf(() => loadApp(root))).toMatch(
      /^services\/alpha\/synthetic\.ts cannot be loaded: it imports '\.\/checks'( \(in [^)]+\))?, which does not exist\. Fix: correct the import, or create the file$/,
    );
  });

  it('a file that throws when it runs: the error and the line, not a type-check hint', () => {
    const root = made({
      ...base,
      'services/alpha/service.ts':
        "export const service = { name: 'alpha' };\nthrow new RangeError('no such region');\n",
    });
    expect(messageOf(() => loadApp(root))).toBe(
      'services/alpha/service.ts cannot be loaded: it throws RangeError: no such region (at services/alpha/service.ts:2:7). Fix: correct the file so that it loads without throwing: synth runs it to read the configuration',
    );
  });
});

describe('a service folder without the files of a service', () => {
  it('an empty folder: what is missing, and both ways out', () => {
    const root = made(base);
    fs.mkdirSync(path.join(root, 'services', 'payments'));
    expect(messageOf(() => loadApp(root))).toBe(
      'services/payments/ has none of the files of a service (handler.ts, service.ts or synthetic.ts): every folder under services/ is a service. Fix: npm run new-service -- payments --complete writes the missing files and keeps the others, or remove services/payments/ if it is not a service (code that services share belongs outside services/)',
    );
    // The second way out, as printed.
    fs.rmSync(path.join(root, 'services', 'payments'), { recursive: true });
    expect(loadApp(root).stages[0].services.map((s) => s.name)).toEqual(['alpha']);
  });

  it('a half-made folder: the files it lacks', () => {
    const root = made({ ...base, 'services/payments/handler.ts': GOOD_HANDLER });
    expect(messageOf(() => loadApp(root))).toBe(
      'services/payments/ has no service.ts or synthetic.ts (a service folder holds handler.ts, service.ts, synthetic.ts): every folder under services/ is a service. Fix: npm run new-service -- payments --complete writes the missing files and keeps the others, or remove services/payments/ if it is not a service (code that services share belongs outside services/)',
    );
  });

  it('a folder whose name cannot be a service: only the way out that works', () => {
    const root = made({ ...base, 'services/Shared_Code/util.ts': 'export const x = 1;\n' });
    expect(messageOf(() => loadApp(root))).toBe(
      'services/Shared_Code/ has none of the files of a service (handler.ts, service.ts or synthetic.ts): every folder under services/ is a service. Fix: remove services/Shared_Code/ if it is not a service (code that services share belongs outside services/)',
    );
  });
});

describe('loadApp(root, { configRoot }) reads the configuration from another folder', () => {
  it("takes pipeline.config.ts and stages/ from there and the services from the project's", () => {
    const root = made({
      'stages/index.ts': 'export const stages = [];\n',
      'examples/other/pipeline.config.ts': `export const config = ${JSON.stringify({
        ...fixtureConfig(),
        pipelineName: 'other-pipeline',
      })};\n`,
      'examples/other/stages/index.ts':
        "import { only } from './only';\nexport const stages = [only];\n",
      'examples/other/stages/only.ts': stageFile('only', {
        ...entry('only'),
        services: ['alpha', 'beta-two'],
      }),
    });
    const model = loadApp(root, { configRoot: 'examples/other' });
    expect(model.pipelineName).toBe('other-pipeline');
    expect(model.stages[0].services.map((s) => [s.name, path.relative(root, s.entry)])).toEqual([
      ['alpha', path.join('services', 'alpha', 'handler.ts')],
      ['beta-two', path.join('services', 'beta-two', 'handler.ts')],
    ]);
  });

  it('names the files of that folder in its messages', () => {
    const root = made({
      'examples/other/pipeline.config.ts': `export const config = ${JSON.stringify(fixtureConfig())};\n`,
      'examples/other/stages/index.ts':
        "import { only } from './only';\nexport const stages = [only];\n",
      'examples/other/stages/only.ts': stageFile('only', entry('only', 'nowhere')),
    });
    expect(messageOf(() => loadApp(root, { configRoot: 'examples/other' }))).toBe(
      'Stage entry "only" (examples/other/stages/only.ts): environment is "nowhere", which examples/other/pipeline.config.ts does not define. Fix: use one of "test", "live", or add it to environments',
    );
  });

  it('refuses a folder that does not exist, naming it and the fix', () => {
    const root = project({ 'stages/index.ts': 'export const stages = [];\n' });
    expect(messageOf(() => loadApp(root, { configRoot: 'examples/nope' }))).toBe(
      'The configuration folder examples/nope does not exist. Fix: name a folder of the project holding pipeline.config.ts and stages/, e.g. examples/three-region-prod',
    );
  });
});

describe("the project's configurations", () => {
  const services = fs
    .readdirSync(path.join(ROOT, 'services'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

  it('the project configuration loads', () => {
    expect(loadApp(ROOT).stages.length).toBeGreaterThan(0);
  });

  it('examples/three-region-prod: prod in two waves over three regions, every service of the project', () => {
    const model = loadApp(ROOT, { configRoot: 'examples/three-region-prod' });
    const prod = model.stages.at(-1)!;
    expect(prod.waves.map((w) => w.environments.length)).toEqual([1, 2]);
    const regions = stageEnvironments(prod).map((e) => e.region);
    expect(new Set(regions).size).toBe(3);
    expect(model.pipelineRegions).toEqual(expect.arrayContaining(regions));
    expect(prod.requiresApproval).toBe(true);
    expect(prod.bakeMinutes).toBeGreaterThan(0);
    for (const stage of model.stages) {
      expect(stage.services.map((s) => s.name).sort()).toEqual(services);
    }
  });
});
