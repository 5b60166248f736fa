import * as fs from 'fs';
import * as path from 'path';
import { assemblyTemplates } from '../../lib/assembly-files';
import { readServices } from '../../lib/config/load';
import {
  appendToList,
  applySplices,
  findServicesLists,
} from '../../scripts/new-service/stage-lists';
import { copyProject, run, type RunResult } from '../helpers/project-copy';

/**
 * `cdk.out` outlives every synth. What the configuration no longer has (a service removed, a
 * stage or an example's environments gone) must leave it with the next synth, and the template
 * linter must read the templates of the current assembly only.
 */
jest.setTimeout(1_800_000);

/** Each command's time limit: on two busy cores a synth beside other tests' takes minutes. */
const SLOW = 450_000;
/** A service that exists only for the first synth. */
const GONE = 'gone-svc';

let copy: string;
let first: RunResult;
/** cdk.out's files after the first synth. */
let firstFiles: string[] = [];
let second: RunResult;
let lint: RunResult;
let lintWithStale: RunResult;
const out = () => path.join(copy, 'cdk.out');

/** Every file under cdk.out, relative, with `/`. */
function files(): string[] {
  return fs
    .readdirSync(out(), { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

beforeAll(async () => {
  copy = copyProject();
  // A copy of the first service under another name, in every stage entry.
  const [model] = readServices(copy);
  const source = path.basename(model.dir);
  const dir = path.join(copy, 'services', GONE);
  fs.cpSync(model.dir, dir, { recursive: true });
  const definition = path.join(dir, 'service.ts');
  fs.writeFileSync(
    definition,
    fs
      .readFileSync(definition, 'utf8')
      .replace(new RegExp(`name: (['"])${source}\\1`), `name: '${GONE}'`),
  );
  const read = (file: string) => fs.readFileSync(file, 'utf8');
  const lists = findServicesLists(copy, read);
  const originals = new Map(lists.map((l) => [l.file, l.source.text]));
  for (const file of originals.keys()) {
    const inFile = lists.filter((l) => l.file === file);
    const text = applySplices(
      inFile[0].source.text,
      inFile.map((l) => appendToList(l, GONE, 100)),
    );
    fs.writeFileSync(path.join(copy, file), text);
  }
  first = await run(copy, 'npx', ['cdk', 'synth', '-q'], SLOW);
  if (first.status !== 0) return;
  firstFiles = files();

  // The service is removed again; and a stage (or an example's environment) that is gone leaves
  // its nested assembly and smoke targets behind, as they were.
  for (const [file, text] of originals) fs.writeFileSync(path.join(copy, file), text);
  fs.rmSync(dir, { recursive: true });
  const nested = files().find((f) => /^assembly-[^/]+$/.test(f))!;
  fs.cpSync(path.join(out(), nested), path.join(out(), 'assembly-retired-stage'), {
    recursive: true,
  });
  fs.writeFileSync(path.join(out(), 'smoke', 'retired-wave1.json'), '{}\n');

  second = await run(copy, 'npx', ['cdk', 'synth', '-q'], SLOW);
  lint = await run(copy, 'npm', ['run', 'lint:templates'], SLOW);
  // A stale template that would fail the lint, planted after the synth: the linter ignores it.
  const stale = path.join(out(), 'assembly-planted', 'Stale.template.json');
  fs.mkdirSync(path.dirname(stale), { recursive: true });
  fs.writeFileSync(stale, JSON.stringify({ Resources: { Bad: { Type: 'AWS::No::Such' } } }));
  lintWithStale = await run(copy, 'npm', ['run', 'lint:templates'], SLOW);
});

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

test('the first synth has the added service: its bundle, its templates', () => {
  expect(first.status).toBe(0);
  expect(firstFiles.some((f) => f.startsWith(`bundles/${GONE}/`))).toBe(true);
  expect(
    firstFiles.filter((f) => f.includes(GONE.replace('-', '')) && f.endsWith('.template.json'))
      .length,
  ).toBeGreaterThan(0);
});

test('the next synth leaves nothing of a removed service, stage or example in cdk.out', () => {
  expect(second.status).toBe(0);
  const left = files().filter(
    (f) => f !== 'assembly-planted' && !f.startsWith('assembly-planted/'),
  );
  expect(left.filter((f) => f.includes(GONE) || f.includes(GONE.replace('-', '')))).toEqual([]);
  expect(left.filter((f) => f.includes('retired'))).toEqual([]);
  for (const template of left.filter((f) => f.endsWith('.template.json'))) {
    expect(fs.readFileSync(path.join(out(), template), 'utf8')).not.toContain(GONE);
  }
  // Every template in the folder is one the assembly lists.
  const listed = assemblyTemplates(out()).map((t) =>
    path.relative(out(), t).split(path.sep).join('/'),
  );
  expect(left.filter((f) => f.endsWith('.template.json'))).toEqual(listed.sort());
});

test('npm run lint:templates lints exactly the templates the assembly lists', () => {
  const count = assemblyTemplates(out()).length;
  for (const r of [lint, lintWithStale]) {
    expect(r.output).toMatch(
      new RegExp(
        `✔ cfn-lint [\\d.]+: 0 error\\(s\\), \\d+ warning\\(s\\) in ${count} template\\(s\\)`,
      ),
    );
    expect(r.status).toBe(0);
  }
});
