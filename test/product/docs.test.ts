import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadApp } from '../../lib/config/load';
import { staleMessage } from '../../lib/plan/cli';
import { PIPELINE_DOC, renderPipelineDoc } from '../../lib/plan/markdown';
import { buildPlan } from '../../lib/plan/plan';
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
