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
      'Stage entry "inline" (stages/index.ts): unknown field "memoryMb". Fix: remove it; the known fields are name, environment, waves, strategy, requiresApproval, allAtOnceReason, smokeTests, bakeMinutes, blockWhileAlarming, deploymentWindow, services',
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
    expect(message).toMatch(
      /^stages\/a\.ts cannot be loaded: .+\. Fix: correct the file \(npx tsc --noEmit shows every error\)$/,
    );
    expect(message).not.toContain('\n');
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
