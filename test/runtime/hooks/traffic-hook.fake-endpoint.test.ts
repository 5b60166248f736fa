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
import { checksFolder, hookEnv } from './fixtures';

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
    /** Epoch seconds of the AllowTraffic start and end. */
    allowTrafficStart: number;
    allowTrafficEnd: number;
    /** Calls of the new version per minute that CloudWatch returns, from the shift's start. */
    invocations: number[];
    /** Failed calls among them, per minute. */
    errors: number[];
    /** Status codes (with an error type) to answer calls of this operation with. */
    faults: Record<string, { status: number; type: string }>;
  };
  /** Every CodeDeploy and CloudWatch call besides the report: operation and input. */
  calls: { operation: string; input: Record<string, unknown> }[];
  /** The verdict datapoints the hook recorded. */
  verdicts: { MetricName: string; Value: number }[];
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
                  endTime: fake.canary.allowTrafficEnd,
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
      return { MetricDataResults: metricResults(fake, input) };
    case 'PutMetricData':
      fake.verdicts.push(...(input.MetricData as { MetricName: string; Value: number }[]));
      return {};
    default:
      return undefined;
  }
}

/**
 * CloudWatch's answer to the hook's GetMetricData: per minute from the shift's start, the new
 * version's calls and failures (every call under the threshold, none throttled), and one
 * verdict a minute from the scheduled judge.
 */
function metricResults(fake: Fake, input: Record<string, unknown>) {
  const start = Math.floor(fake.canary.allowTrafficStart / 60) * 60;
  const queries = input.MetricDataQueries as { Id: string }[];
  return queries.map(({ Id }) => {
    const key = Id.split('_')[1];
    const series: Record<string, number[]> = {
      releasedCalls: fake.canary.invocations,
      aliasCalls: fake.canary.invocations,
      functionCalls: fake.canary.invocations,
      releasedErrors: fake.canary.errors,
      aliasErrors: fake.canary.errors,
      releasedFast: fake.canary.invocations.map(() => 100),
      aliasFast: fake.canary.invocations.map(() => 100),
    };
    const values = Id === 'verdicts' ? [1] : (series[key] ?? []);
    return {
      Id,
      StatusCode: 'Complete',
      Timestamps: values.map((_, i) => start + i * 60),
      Values: values,
    };
  });
}

async function startFake(): Promise<Fake> {
  const hung: http.ServerResponse[] = [];
  const fake = {
    invokes: [],
    reports: [],
    behaviour: 'healthy',
    reportFailures: [],
    canary: {
      targetVersion: '7',
      allowTrafficStart: 0,
      allowTrafficEnd: 0,
      invocations: [],
      errors: [],
      faults: {},
    },
    calls: [],
    verdicts: [],
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

describe('post-traffic with RELEASE_JUDGEMENT', () => {
  const judged = (onQuiet: 'fail' | 'generate-traffic') => ({
    ...postEnv,
    RELEASE_JUDGEMENT: JSON.stringify({
      policy: {
        errorRatePercent: 1,
        baselineErrorRatePercent: 0.1,
        p99LatencyMs: 800,
        confidencePercent: 99,
        powerPercent: 90,
        compareToBaseline: true,
        requireVerdict: true,
      },
      onQuiet,
      watchMinutes: 10,
    }),
  });
  beforeEach(() => {
    // A 10-minute canary that ended 10 minutes ago: CloudWatch holds it all, no waiting.
    const now = Math.floor(Date.now() / 1000);
    fake.canary.allowTrafficStart = now - 20 * 60;
    fake.canary.allowTrafficEnd = now - 10 * 60;
    fake.canary.invocations = Array(16).fill(2); // 32 calls: too few for a verdict
    fake.canary.errors = Array(16).fill(0);
  });

  test('reads CodeDeploy and CloudWatch, calls version 7 for the rest of the sample, records the verdict, then runs the checks', async () => {
    // Time for 223 calls over HTTP, even on a busy machine.
    const { outcome } = await hook(30_000, 1_500, judged('generate-traffic'))();
    expect(outcome.reason).toBeUndefined();
    expect(outcome.status).toBe('Succeeded');
    // 255 good calls pass; CloudWatch held 16 minutes of 2.
    expect(outcome.judgement?.synthetic).toEqual({ calls: 223, errors: 0, slow: 0 });
    expect(fake.calls.map((c) => c.operation)).toEqual([
      'ListDeploymentTargets',
      'BatchGetDeploymentTargets',
      'GetMetricData',
      'PutMetricData',
      'GetMetricData',
    ]);
    const generated = fake.invokes.slice(0, 223);
    for (const i of generated) {
      expect(i.path).toBe('/2015-03-31/functions/prod-greeter/invocations?Qualifier=7');
    }
    for (const i of fake.invokes.slice(223)) {
      expect(i.path).toBe('/2015-03-31/functions/prod-greeter/invocations?Qualifier=live');
    }
    expect(fake.verdicts.find((d) => d.MetricName === 'Verdict')?.Value).toBe(0);
    expect(fake.reports).toEqual([{ status: 'Succeeded', executionId: 'exec-1' }]);
  });

  test('a release failing its real calls: Failed with the numbers, reported once, nothing invoked', async () => {
    fake.canary.errors = Array(16).fill(1);
    const { outcome } = await hook(5_000, 1_500, judged('generate-traffic'))();
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toMatch(/^version 7: roll back: 16 of 32 calls failed \(50%\)/);
    expect(fake.verdicts.find((d) => d.MetricName === 'Verdict')?.Value).toBe(1);
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
      const { outcome } = await hook(5_000, 1_500, judged('fail'))();
      expect(outcome.status).toBe('Failed');
      expect(outcome.reason).toContain('could not judge the release');
      expect(outcome.reason).toContain(message);
      expect(fake.invokes).toHaveLength(0);
      expect(fake.reports).toEqual([{ status: 'Failed', executionId: 'exec-1' }]);
    },
  );
});
