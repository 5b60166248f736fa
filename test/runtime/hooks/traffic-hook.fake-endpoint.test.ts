/**
 * The traffic hook end to end with the real AWS SDK v3 clients (serialisation, retries,
 * timeouts) against a local fake of the Lambda, CodeDeploy and CloudWatch endpoints, for fault
 * injection.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { createHandler, type HookLogger } from '../../../runtime/hooks/traffic-hook';
import { INVOCATIONS_OF_VERSION_7, checksFolder, hookEnv } from './fixtures';

type Behaviour = 'healthy' | 'function-error' | 'throttled' | 'hang' | 'server-error';

interface Fake {
  url: string;
  invokes: { path: string }[];
  reports: { status: string; executionId: string }[];
  behaviour: Behaviour;
  /** Status codes to answer the next report requests with before succeeding. */
  reportFailures: number[];
  /** What CodeDeploy and CloudWatch say about the canary. */
  canary: {
    targetVersion: string;
    /** Epoch seconds of the AllowTraffic start. */
    allowTrafficStart: number;
    /** Invocations per minute that CloudWatch returns. */
    invocations: number[];
    /** Status codes (with an error type) to answer calls of this operation with. */
    faults: Record<string, { status: number; type: string }>;
  };
  /** Every CodeDeploy and CloudWatch call besides the report: operation and input. */
  calls: { operation: string; input: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** Answers the CodeDeploy (JSON 1.1) and CloudWatch (JSON 1.0) reads of the hook. */
function answerRead(fake: Fake, operation: string, input: Record<string, unknown>) {
  switch (operation) {
    case 'ListDeploymentTargets':
      return { targetIds: ['prod-greeter:live'] };
    case 'BatchGetDeploymentTargets':
      return {
        deploymentTargets: [
          {
            deploymentTargetType: 'LambdaTarget',
            lambdaTarget: {
              deploymentId: input.deploymentId,
              targetId: 'prod-greeter:live',
              lifecycleEvents: [
                { lifecycleEventName: 'BeforeAllowTraffic', status: 'Succeeded' },
                {
                  lifecycleEventName: 'AllowTraffic',
                  status: 'Succeeded',
                  startTime: fake.canary.allowTrafficStart,
                },
              ],
              lambdaFunctionInfo: {
                functionName: 'prod-greeter',
                functionAlias: 'live',
                currentVersion: '6',
                targetVersion: fake.canary.targetVersion,
              },
            },
          },
        ],
      };
    case 'GetMetricData':
      return {
        MetricDataResults: [
          { Id: 'invocations', Values: fake.canary.invocations, StatusCode: 'Complete' },
        ],
      };
    default:
      return undefined;
  }
}

async function startFake(): Promise<Fake> {
  const hung: http.ServerResponse[] = [];
  const fake = {
    invokes: [],
    reports: [],
    behaviour: 'healthy',
    reportFailures: [],
    canary: { targetVersion: '7', allowTrafficStart: 0, invocations: [], faults: {} },
    calls: [],
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
      const operation = target.split('.').at(-1) ?? '';
      if (target !== '') {
        const input = JSON.parse(body || '{}') as Record<string, unknown>;
        fake.calls.push({ operation, input });
        const fault = fake.canary.faults[operation];
        const answer = answerRead(fake, operation, input);
        if (fault) {
          res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: fault.type, message: 'injected' }));
        } else if (answer) {
          res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify(answer));
        } else {
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
          res.end(JSON.stringify({ __type: 'UnknownOperationException', message: operation }));
        }
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
const folder = checksFolder();
afterAll(() => folder.remove());
const { pre: env, post: postEnv } = hookEnv(
  folder.write([
    { name: 'one', event: {}, expect: { statusCode: 200, bodyFields: { ok: true } } },
    { name: 'two', event: {}, expect: { statusCode: 200 } },
  ]),
);
const event = { DeploymentId: 'd-ABC123', LifecycleEventHookExecutionId: 'exec-1' };

let fake: Fake;
beforeEach(async () => {
  fake = await startFake();
});
afterEach(async () => fake.close());

function hook(budgetMs = 5_000, reserveMs = 1_500, hookEnv: Record<string, string> = env) {
  const handler = createHandler({
    lambda: new LambdaClient(clientConfig(fake.url)),
    codedeploy: new CodeDeployClient(clientConfig(fake.url)),
    cloudwatch: new CloudWatchClient(clientConfig(fake.url)),
    env: hookEnv,
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

describe('post-traffic with MIN_INVOCATIONS (no silent pass)', () => {
  const quiet = { ...postEnv, MIN_INVOCATIONS: '6', ON_QUIET: 'generate-traffic' };
  beforeEach(() => {
    fake.canary.allowTrafficStart = Math.floor(Date.now() / 1000) - 600;
    fake.canary.invocations = [1, 0, 2]; // 3 of the 6 needed
  });

  test('reads CodeDeploy and CloudWatch, generates the 3 missing invocations, then runs the checks', async () => {
    const { outcome } = await hook(5_000, 1_500, quiet)();
    expect(outcome.status).toBe('Succeeded');
    expect(outcome.evidence).toMatchObject({ version: '7', measured: 3, generated: 3, needed: 6 });
    expect(fake.calls.map((c) => c.operation)).toEqual([
      'ListDeploymentTargets',
      'BatchGetDeploymentTargets',
      'GetMetricData',
    ]);
    const query = fake.calls[2].input.MetricDataQueries as { MetricStat: unknown }[];
    expect(query[0].MetricStat).toEqual(INVOCATIONS_OF_VERSION_7);
    expect(fake.invokes).toHaveLength(3 + 2); // generated, then the two checks
    for (const i of fake.invokes) {
      expect(i.path).toBe('/2015-03-31/functions/prod-greeter/invocations?Qualifier=live');
    }
    expect(fake.reports).toEqual([{ status: 'Succeeded', executionId: 'exec-1' }]);
  });

  test('a quiet canary with ON_QUIET=fail: Failed, reported once, nothing invoked', async () => {
    const { outcome } = await hook(5_000, 1_500, { ...quiet, ON_QUIET: 'fail' })();
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toMatch(
      /^version 7 served 3 invocations since traffic started shifting at \d\d:\d\d UTC; the release needs 6 to be judged/,
    );
    expect(fake.invokes).toHaveLength(0);
    expect(fake.reports).toEqual([{ status: 'Failed', executionId: 'exec-1' }]);
  });

  test.each([
    ['GetMetricData', 500, 'InternalFailure', 'CloudWatch GetMetricData failed'],
    ['ListDeploymentTargets', 400, 'ThrottlingException', 'CodeDeploy ListDeploymentTargets'],
    [
      'BatchGetDeploymentTargets',
      400,
      'AccessDeniedException',
      'CodeDeploy BatchGetDeploymentTargets for d-ABC123 failed: AccessDeniedException',
    ],
  ])(
    'an error answer from %s: Failed, reported once, naming the call',
    async (operation, status, type, message) => {
      fake.canary.faults[operation] = { status, type };
      const { outcome } = await hook(5_000, 1_500, quiet)();
      expect(outcome.status).toBe('Failed');
      expect(outcome.reason).toContain("could not count the canary's invocations");
      expect(outcome.reason).toContain(message);
      expect(fake.invokes).toHaveLength(0);
      expect(fake.reports).toEqual([{ status: 'Failed', executionId: 'exec-1' }]);
    },
  );
});
