/**
 * The traffic hook end to end with the real AWS SDK v3 clients (serialisation, retries,
 * timeouts) against a local fake of the Lambda and CodeDeploy endpoints, for fault injection.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler, type HookLogger } from '../../../runtime/hooks/traffic-hook';

type Behaviour = 'healthy' | 'function-error' | 'throttled' | 'hang' | 'server-error';

interface Fake {
  url: string;
  invokes: { path: string }[];
  reports: { status: string; executionId: string }[];
  behaviour: Behaviour;
  /** Status codes to answer the next report requests with before succeeding. */
  reportFailures: number[];
  close(): Promise<void>;
}

async function startFake(): Promise<Fake> {
  const hung: http.ServerResponse[] = [];
  const fake = {
    invokes: [],
    reports: [],
    behaviour: 'healthy',
    reportFailures: [],
  } as unknown as Fake;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (target.endsWith('PutLifecycleEventHookExecutionStatus')) {
        const failure = fake.reportFailures.shift();
        if (failure) {
          res.writeHead(failure, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'InternalFailure', message: 'injected' }));
          return;
        }
        const input = JSON.parse(body);
        fake.reports.push({
          status: input.status,
          executionId: input.lifecycleEventHookExecutionId,
        });
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(
          JSON.stringify({ lifecycleEventHookExecutionId: input.lifecycleEventHookExecutionId }),
        );
        return;
      }
      fake.invokes.push({ path: req.url ?? '' });
      switch (fake.behaviour) {
        case 'hang':
          hung.push(res); // never answered until the fake closes
          return;
        case 'throttled':
          res.writeHead(429, {
            'x-amzn-errortype': 'TooManyRequestsException',
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ message: 'Rate exceeded', Type: 'User' }));
          return;
        case 'server-error':
          res.writeHead(500, {
            'x-amzn-errortype': 'ServiceException',
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ message: 'boom' }));
          return;
        case 'function-error':
          res.writeHead(200, {
            'x-amz-function-error': 'Unhandled',
            'content-type': 'application/json',
          });
          res.end(JSON.stringify({ errorType: 'Error', errorMessage: 'kaput' }));
          return;
        default:
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ statusCode: 200, body: JSON.stringify({ ok: true }) }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise((resolve) => {
      for (const res of hung) res.destroy();
      server.close(() => resolve());
    });
  return fake;
}

const silent: HookLogger = { info: () => {}, warn: () => {}, error: () => {} };
const clientConfig = (url: string) => ({
  endpoint: url,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  maxAttempts: 2,
});
const env = {
  TARGET_FUNCTION_NAME: 'prod-greeter',
  TARGET_QUALIFIER: '7',
  HOOK_PHASE: 'pre-traffic',
  SYNTHETIC_CHECKS: JSON.stringify([
    { name: 'one', event: {}, expect: { statusCode: 200, bodyFields: { ok: true } } },
    { name: 'two', event: {}, expect: { statusCode: 200 } },
  ]),
};
const event = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'exec-1' };

let fake: Fake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => fake.close());

function hook(budgetMs = 5_000, reserveMs = 1_500) {
  const handler = createHandler({
    lambda: new LambdaClient(clientConfig(fake.url)),
    codedeploy: new CodeDeployClient(clientConfig(fake.url)),
    env,
    logger: silent,
    reserveMs,
    reportBackoffMs: [50, 50],
  });
  const deadline = Date.now() + budgetMs;
  return async () => {
    const started = Date.now();
    const outcome = await handler(event, { getRemainingTimeInMillis: () => deadline - Date.now() });
    return { outcome, elapsed: Date.now() - started };
  };
}

test('a healthy target: Succeeded, reported once, both checks invoked on the new version', async () => {
  const { outcome, elapsed } = await hook()();
  expect(outcome.status).toBe('Succeeded');
  expect(fake.reports).toEqual([{ status: 'Succeeded', executionId: 'exec-1' }]);
  expect(fake.invokes).toHaveLength(2);
  for (const i of fake.invokes)
    expect(i.path).toBe('/2015-03-31/functions/prod-greeter/invocations?Qualifier=7');
  expect(elapsed).toBeLessThan(5_000);
});

test.each<[Behaviour]>([['function-error'], ['throttled'], ['server-error']])(
  'a faulty target (%s): Failed, reported once, within the budget',
  async (behaviour) => {
    fake.behaviour = behaviour;
    const { outcome, elapsed } = await hook()();
    expect(outcome.status).toBe('Failed');
    expect(fake.reports).toEqual([{ status: 'Failed', executionId: 'exec-1' }]);
    expect(elapsed).toBeLessThan(5_000);
  },
);

test('a target that never answers: Failed, reported once, before the Lambda timeout', async () => {
  fake.behaviour = 'hang';
  const { outcome, elapsed } = await hook(3_000, 1_000)();
  expect(outcome.status).toBe('Failed');
  expect(fake.reports).toEqual([{ status: 'Failed', executionId: 'exec-1' }]);
  expect(elapsed).toBeLessThan(3_000);
});

test('a report that fails once is retried and lands once', async () => {
  fake.reportFailures = [500, 500]; // the SDK's own retry and the hook's loop both see them
  const { outcome } = await hook()();
  expect(outcome.status).toBe('Succeeded');
  expect(fake.reports).toEqual([{ status: 'Succeeded', executionId: 'exec-1' }]);
});
