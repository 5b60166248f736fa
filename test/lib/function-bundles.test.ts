import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { loadApp } from '../../lib/config/load';
import { FunctionBundles } from '../../lib/function-bundles';
import { ROOT } from '../helpers/project';

const model = loadApp(ROOT);
const names = [...new Set(model.stages.flatMap((s) => s.services.map((x) => x.name)))];
let bundles: FunctionBundles;

beforeAll(() => {
  bundles = FunctionBundles.build(model, fs.mkdtempSync(path.join(os.tmpdir(), 'bundles-')));
});

test('bundles every service once, whatever the number of stages, plus the hook', () => {
  const dirs = fs.readdirSync(bundles.dir).sort();
  expect(dirs).toEqual([...names, 'traffic-hook'].sort());
  for (const dir of dirs) {
    expect(fs.readdirSync(path.join(bundles.dir, dir)).sort()).toEqual([
      'index.js',
      'index.js.map',
    ]);
  }
});

test('a service bundle runs on its own and answers like its handler', async () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { handler } = require(path.join(bundles.dir, 'greeter', 'index.js'));
  const res = await handler({ rawPath: '/hello', queryStringParameters: { name: 'bundle' } });
  expect(res.statusCode).toBe(200);
  expect(JSON.parse(res.body)).toEqual({ message: 'Hello, bundle!' });
});

test('the hook bundle leaves the AWS SDK v3 to the Lambda runtime', () => {
  const text = fs.readFileSync(path.join(bundles.dir, 'traffic-hook', 'index.js'), 'utf8');
  expect(text).toMatch(/require\("@aws-sdk\/client-lambda"\)/);
  expect(text).toMatch(/require\("@aws-sdk\/client-codedeploy"\)/);
  expect(text).toContain('PutLifecycleEventHookExecutionStatus');
});

test('hands out a fresh Code per function, so two stacks can use the same bundle', () => {
  const app = new App();
  for (const id of ['A', 'B']) {
    new LambdaFunction(new Stack(app, id), 'Fn', {
      code: bundles.service('greeter'),
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
    });
  }
  expect(() => app.synth()).not.toThrow();
});

test('refuses a service it did not bundle, naming it', () => {
  expect(() => bundles.service('nope')).toThrow('no bundle for "nope"');
});
