import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { loadApp } from '../../lib/config/load';
import { copyProject, run } from '../helpers/project-copy';
import { ROOT } from '../helpers/project';

/**
 * CodeBuild checks the source out at a new path every build. The same commit must synthesize
 * the same assets and Lambda versions wherever it is, or every push would publish and canary a
 * new version of every function. Four copies of the project, synthesized side by side: two
 * unchanged ones at different depths, one with a change to one service's handler, one with a
 * change to the hook runtime.
 */
jest.setTimeout(240_000);

interface Synthesized {
  /** Per stack and function logical id: the asset its code comes from. */
  readonly code: Map<string, string>;
  /** Per stack: the logical ids of its Lambda versions (they change with the code). */
  readonly versions: Set<string>;
}

const model = loadApp(ROOT);
const changed = model.stages[0].services[0];
let original: Synthesized;
let elsewhere: Synthesized;
let serviceChanged: Synthesized;
let hookChanged: Synthesized;

async function synthesize(copy: string): Promise<Synthesized> {
  const outdir = path.join(copy, 'cdk.out');
  const r = await run(copy, process.execPath, [
    '--require',
    require.resolve('ts-node/register/transpile-only'),
    path.join(copy, 'test', 'helpers', 'synth-without-gate.ts'),
    outdir,
  ]);
  if (r.status !== 0) throw new Error(`synth failed in ${copy}:\n${r.output}`);
  const code = new Map<string, string>();
  const versions = new Set<string>();
  for (const stack of new CloudAssembly(outdir).stacksRecursively) {
    for (const [id, resource] of Object.entries(
      stack.template.Resources as Record<
        string,
        { Type: string; Properties: { Code?: { S3Key?: string } } }
      >,
    )) {
      if (resource.Type === 'AWS::Lambda::Function') {
        code.set(`${stack.stackName}/${id}`, String(resource.Properties.Code?.S3Key));
      }
      if (resource.Type === 'AWS::Lambda::Version') versions.add(`${stack.stackName}/${id}`);
    }
  }
  return { code, versions };
}

function append(copy: string, file: string, text: string): void {
  fs.appendFileSync(path.join(copy, file), text);
}

beforeAll(async () => {
  const shallow = copyProject();
  const deepRoot = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-')), 'a', 'b', 'c');
  fs.mkdirSync(deepRoot, { recursive: true });
  const deep = copyProject(deepRoot);
  const service = copyProject();
  append(service, path.relative(ROOT, changed.entry), '\nexport const changedForTheTest = 1;\n');
  const hook = copyProject();
  append(hook, 'runtime/hooks/traffic-hook.ts', '\nexport const changedForTheTest = 1;\n');
  [original, elsewhere, serviceChanged, hookChanged] = await Promise.all(
    [shallow, deep, service, hook].map(synthesize),
  );
});

const differing = (a: Synthesized, b: Synthesized) => ({
  code: [...a.code.keys()].filter((k) => a.code.get(k) !== b.code.get(k)).sort(),
  versions: [...new Set([...a.versions, ...b.versions])]
    .filter((v) => !(a.versions.has(v) && b.versions.has(v)))
    .sort(),
});

test('the same sources at another path give the same assets and Lambda versions', () => {
  expect(original.code.size).toBeGreaterThan(0);
  expect(elsewhere).toEqual(original);
});

test("a change to one service's handler changes that service's code and versions only", () => {
  const diff = differing(original, serviceChanged);
  // In every stage that runs the service: its function, and its version (old id out, new id in).
  const stagesWithIt = model.stages.filter((s) => s.services.some((x) => x.name === changed.name));
  expect(diff.code).toHaveLength(stagesWithIt.length);
  for (const key of diff.code) expect(key).not.toMatch(/TrafficHook/);
  expect(diff.versions).toHaveLength(2 * stagesWithIt.length);
  const stacks = new Set(diff.code.map((k) => k.split('/')[0]));
  for (const v of diff.versions) expect(stacks.has(v.split('/')[0])).toBe(true);
});

test('a change to the hook runtime changes every hook and no service or version', () => {
  const diff = differing(original, hookChanged);
  const hooks = [...original.code.keys()].filter((k) => /TrafficHook/.test(k)).sort();
  expect(hooks.length).toBeGreaterThan(0);
  expect(diff.code).toEqual(hooks);
  expect(diff.versions).toEqual([]);
});
