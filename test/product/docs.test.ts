import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  MAX_SERVICES_PER_GROUP,
  MAX_SINGLE_STACKS,
  maxSingleStacks,
} from '../../lib/config/grouping';
import { loadApp } from '../../lib/config/load';
import { staleMessage } from '../../lib/plan/cli';
import { PIPELINE_DOC, renderPipelineDoc } from '../../lib/plan/markdown';
import { buildPlan } from '../../lib/plan/plan';
import { followingLine } from '../../scripts/ops/commands/watch';
import { COMMANDS } from '../../scripts/ops/main';
import { DEFAULT_INTERVAL_SECONDS } from '../../scripts/ops/options';
import { ROOT } from '../helpers/project';
import { manyServices, stressModel } from '../lib/plan/model-fixture';

/**
 * The product keeps its docs true: docs/pipeline.md is what `npm run plan -- --write` renders
 * from the project's configuration, in the format Prettier leaves as it is, and docs/testing.md
 * names the files of this tier. A product check, not a user's: a user who edits the
 * configuration by hand has a stale page until they regenerate it, and that must not fail their
 * release (`npm test` does not check it).
 */
describe(PIPELINE_DOC, () => {
  test('is what `npm run plan -- --write` generates from the configuration', () => {
    const expected = renderPipelineDoc(buildPlan(loadApp(ROOT)));
    const file = path.join(ROOT, PIPELINE_DOC);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (committed !== expected) throw new Error(staleMessage(committed === undefined));
  });

  test.each([
    ['the stress model', stressModel],
    ['200 services', () => manyServices(200, { lattice: true })],
  ])(
    'is generated in Prettier format for %s, so `prettier --check` and the staleness test agree',
    (_, model) => {
      const doc = renderPipelineDoc(buildPlan(model()));
      const prettier = spawnSync(
        path.join(ROOT, 'node_modules', '.bin', 'prettier'),
        ['--stdin-filepath', PIPELINE_DOC],
        { cwd: ROOT, input: doc, encoding: 'utf8' },
      );
      expect(prettier.stderr).toBe('');
      expect(prettier.stdout).toBe(doc);
    },
  );
});

describe('docs/testing.md', () => {
  test('names every file of the product tier, and no other', () => {
    const page = fs.readFileSync(path.join(ROOT, 'docs', 'testing.md'), 'utf8');
    const named = [...page.matchAll(/^\| `([\w.-]+\.test\.ts)` /gm)].map((m) => m[1]).sort();
    const files = fs
      .readdirSync(path.join(ROOT, 'test', 'product'))
      .filter((f) => f.endsWith('.test.ts'))
      .sort();
    expect(named).toEqual(files);
  });
});

describe('docs/adding-a-service.md', () => {
  test('gives the grouping figures the scaffold computes', () => {
    const text = fs
      .readFileSync(path.join(ROOT, 'docs', 'adding-a-service.md'), 'utf8')
      .replace(/\s+/g, ' ');
    expect(text).toContain(
      `Once a stage already has ${MAX_SINGLE_STACKS} services in stacks of their own, the new service goes into a shared stack`,
    );
    expect(text).toContain(`Groups hold up to ${MAX_SERVICES_PER_GROUP} services`);
    expect(text).toContain(
      `(${maxSingleStacks(2)} single stacks for two environments in a wave, ${maxSingleStacks(3)} for three)`,
    );
  });
});

describe('the ops commands that --region and --environment narrow', () => {
  const narrowed = Object.entries(COMMANDS)
    .filter(([, entry]) => 'services' in entry && entry.services !== 'none')
    .map(([name]) => `\`${name}\``);
  const listed = `${narrowed.slice(0, -1).join(', ')} and ${narrowed.at(-1)}`;
  const read = (file: string) =>
    fs.readFileSync(path.join(ROOT, file), 'utf8').replace(/\s+/g, ' ');

  test.each(['README.md', 'docs/operations.md'])('are the ones %s names', (file) => {
    expect(narrowed.length).toBeGreaterThan(1);
    expect(read(file)).toContain(`\`--region\` and \`--environment\` narrow ${listed}`);
  });
});

describe('docs/operations.md, the watch sample', () => {
  test('starts as watch does with its default interval, and polls at that interval', () => {
    const text = fs.readFileSync(path.join(ROOT, 'docs', 'operations.md'), 'utf8');
    const sample = /\$ npm run ops -- watch --stage (\S+)\n(.*)\n([\s\S]*?)```/.exec(text);
    expect(sample).not.toBeNull();
    const [, stage, first, rest] = sample!;
    const header = /^Following execution (\S+) through \S+ \((\d+) waves\)/.exec(first);
    expect(header).not.toBeNull();
    expect(first).toBe(
      followingLine(header![1], stage, Number(header![2]), DEFAULT_INTERVAL_SECONDS * 1000),
    );
    // Consecutive polls, up to an elision (…), are one interval apart.
    const seconds = (clock: string) =>
      clock.split(':').reduce((t, part) => t * 60 + Number(part), 0);
    const polls = rest
      .split('\n…\n')[0]
      .match(/^\d\d:\d\d:\d\d/gm)!
      .map(seconds);
    const steps = [...new Set(polls)].slice(1).map((t, i) => t - [...new Set(polls)][i]);
    expect(steps.length).toBeGreaterThan(1);
    expect(new Set(steps)).toEqual(new Set([DEFAULT_INTERVAL_SECONDS]));
  });
});
