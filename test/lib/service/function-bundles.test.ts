import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Strategy } from '../../../lib/config/strategy';
import { FunctionBundles } from '../../../lib/service/function-bundles';
import { judgedService } from '../../../lib/service/judge-policy';
import { judgeFileSchema } from '../../../runtime/judge/judge-config';
import { appModel, fixtureService, serviceModel, stageModel } from '../../helpers/model';

// Two stages deploy the same two services: each is bundled once.
const services = [fixtureService('alpha'), fixtureService('beta-two')];
const model = appModel([
  stageModel('qa', Strategy.allAtOnce(), services),
  stageModel('live', Strategy.canary(20, 5), services, { requiresApproval: true }),
]);
const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));
let bundles: FunctionBundles;

beforeAll(() => {
  bundles = FunctionBundles.build(model, tmp('bundles-'));
});

/** Every file under `dir`, relative, with its bytes. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    out[path.relative(dir, full)] = fs.readFileSync(full, 'utf8');
  }
  return out;
}

test("bundles every service once, the hook, the judge and the bake's health gate, and per service its hook with its checks, per stage its judge with its services", () => {
  expect(fs.readdirSync(bundles.dir).sort()).toEqual(
    [
      'alpha',
      'beta-two',
      '_hook-alpha',
      '_hook-beta-two',
      '_traffic-hook',
      '_release-judge',
      '_health-gate',
      ...model.stages.map((s) => `_judge-${s.name}`),
    ].sort(),
  );
  for (const dir of ['alpha', 'beta-two', '_traffic-hook', '_release-judge', '_health-gate']) {
    expect(fs.readdirSync(path.join(bundles.dir, dir)).sort()).toEqual([
      'index.js',
      'index.js.map',
    ]);
  }
  for (const service of services) {
    const dir = path.join(bundles.dir, `_hook-${service.name}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['checks.json', 'index.js', 'index.js.map']);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'checks.json'), 'utf8'))).toEqual(
      service.checks,
    );
    // As strings: Jest compares two Buffers element by element, seconds for a bundle.
    expect(fs.readFileSync(path.join(dir, 'index.js'), 'utf8')).toBe(
      fs.readFileSync(path.join(bundles.dir, '_traffic-hook', 'index.js'), 'utf8'),
    );
  }
  for (const stage of model.stages) {
    const dir = path.join(bundles.dir, `_judge-${stage.name}`);
    expect(fs.readdirSync(dir).sort()).toEqual(['index.js', 'index.js.map', 'judge.json']);
    const file = judgeFileSchema.parse(
      JSON.parse(fs.readFileSync(path.join(dir, 'judge.json'), 'utf8')),
    );
    expect(file.services).toEqual(stage.services.map((s) => judgedService(stage.prefix, s)));
  }
});

test('a service may be named like a bundle of the runtime: its folder is its own', () => {
  const named = [serviceModel('traffic-hook'), serviceModel('release-judge')].map((s) => ({
    ...s,
    entry: services[0].entry,
  }));
  const built = FunctionBundles.build(
    appModel([stageModel('qa', Strategy.allAtOnce(), named)]),
    tmp('bundles-named-'),
  );
  expect(fs.readdirSync(path.join(built.dir, 'traffic-hook')).sort()).toEqual([
    'index.js',
    'index.js.map',
  ]);
  expect(fs.readFileSync(path.join(built.dir, 'traffic-hook', 'index.js'), 'utf8')).not.toEqual(
    fs.readFileSync(path.join(built.dir, '_traffic-hook', 'index.js'), 'utf8'),
  );
});

test('lives inside the output folder it is given, replacing what an earlier synth left', () => {
  const outdir = tmp('bundles-out-');
  fs.mkdirSync(path.join(outdir, 'bundles', 'stale'), { recursive: true });
  const built = FunctionBundles.build(model, outdir);
  expect(built.dir).toBe(path.join(outdir, 'bundles'));
  expect(fs.readdirSync(built.dir)).not.toContain('stale');
});

test('is the same, byte for byte, wherever the output folder is', () => {
  const deep = path.join(tmp('bundles-deep-'), 'a', 'b', 'c', 'cdk.out');
  const again = FunctionBundles.build(model, deep);
  expect(files(again.dir)).toEqual(files(bundles.dir));
});

test('source maps name their sources relative to the project root, never absolutely', () => {
  const map = JSON.parse(
    fs.readFileSync(path.join(bundles.dir, 'alpha', 'index.js.map'), 'utf8'),
  ) as { sources: string[] };
  expect(map.sources).toContain('test/fixtures/services/alpha/handler.ts');
  for (const source of map.sources) {
    expect(path.isAbsolute(source)).toBe(false);
    expect(source.startsWith('..')).toBe(false);
  }
  for (const [file, text] of Object.entries(files(bundles.dir))) {
    expect({ file, holdsThePath: text.includes(os.tmpdir()) }).toEqual({
      file,
      holdsThePath: false,
    });
  }
});

test('a service bundle runs on its own and answers like its handler', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(path.join(bundles.dir, 'alpha', 'index.js'));
  const res = await handler({ rawPath: '/bundle' });
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(res.body)).toEqual({ service: 'alpha', path: '/bundle' });
});

test('the hook bundle leaves the AWS SDK v3 to the Lambda runtime', () => {
  const text = fs.readFileSync(path.join(bundles.dir, '_traffic-hook', 'index.js'), 'utf8');
  expect(text).toMatch(/require\("@aws-sdk\/client-lambda"\)/);
  expect(text).toMatch(/require\("@aws-sdk\/client-codedeploy"\)/);
  expect(text).toContain('PutLifecycleEventHookExecutionStatus');
});

test('hands out a fresh Code per function, so two stacks can use the same bundle', () => {
  const app = new App();
  for (const id of ['A', 'B']) {
    for (const code of [bundles.service('alpha'), bundles.hook('alpha')]) {
      new LambdaFunction(new Stack(app, `${id}${app.node.children.length}`), 'Fn', {
        code,
        handler: 'index.handler',
        runtime: Runtime.NODEJS_24_X,
      });
    }
  }
  expect(() => app.synth()).not.toThrow();
});

test('refuses a service it did not bundle, naming it', () => {
  expect(() => bundles.service('nope')).toThrow('no bundle for "nope"');
  expect(() => bundles.hook('nope')).toThrow('no bundle for "_hook-nope"');
});
