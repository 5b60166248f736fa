/**
 * "No silent pass": the post-traffic hook with MIN_INVOCATIONS, mocked at the SDK clients.
 */
import { CloudWatchClient, GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  GetDeploymentCommand,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
  type LambdaTarget,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { apiResult, hangUntilAborted, lambdaPayload, sleep } from '../support';
import {
  CHECKS,
  EVENT,
  INVOCATIONS_OF_VERSION_7,
  REPORT_IDS,
  buildHook,
  checksFolder,
  context,
  hookEnv,
  invokesOf,
  reportsTo,
} from './fixtures';

const lambdaMock = mockClient(LambdaClient);
const codedeployMock = mockClient(CodeDeployClient);
const cloudwatchMock = mockClient(CloudWatchClient);

const folder = checksFolder();
afterAll(() => folder.remove());
const { post } = hookEnv(folder.write(CHECKS));
const QUIET_FAIL = { ...post, MIN_INVOCATIONS: '50' };
const QUIET_GENERATE = { ...post, MIN_INVOCATIONS: '50', ON_QUIET: 'generate-traffic' };

const SHIFT_STARTED = new Date('2026-11-22T10:02:31Z');
const CREATED = new Date('2026-11-22T09:58:05Z');

function lambdaTarget(overrides: Partial<LambdaTarget> = {}): LambdaTarget {
  return {
    targetId: 'prod-greeter:live',
    lambdaFunctionInfo: {
      functionName: 'prod-greeter',
      functionAlias: 'live',
      currentVersion: '6',
      targetVersion: '7',
    },
    lifecycleEvents: [
      { lifecycleEventName: 'BeforeAllowTraffic', startTime: CREATED },
      { lifecycleEventName: 'AllowTraffic', startTime: SHIFT_STARTED },
      { lifecycleEventName: 'AfterAllowTraffic' },
    ],
    ...overrides,
  };
}

/** CodeDeploy knows the deployment; CloudWatch answers with these per-minute sums. */
function canary(values: number[], target: LambdaTarget = lambdaTarget()): void {
  codedeployMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod-greeter:live'] });
  codedeployMock.on(BatchGetDeploymentTargetsCommand).resolves({
    deploymentTargets: [{ deploymentTargetType: 'LambdaTarget', lambdaTarget: target }],
  });
  codedeployMock.on(GetDeploymentCommand).resolves({ deploymentInfo: { createTime: CREATED } });
  cloudwatchMock
    .on(GetMetricDataCommand)
    .resolves({ MetricDataResults: [{ Id: 'invocations', Values: values }] });
}

/**
 * The function answers every check correctly after `delayMs`, except call number `failOn`
 * (a 503); counts what is in flight.
 */
function healthyFunction(delayMs = 0, failOn = 0): { maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  let calls = 0;
  lambdaMock.on(InvokeCommand).callsFake(async (input: { Payload: Uint8Array }) => {
    inFlight++;
    max = Math.max(max, inFlight);
    await sleep(delayMs);
    inFlight--;
    if (++calls === failOn) return { Payload: lambdaPayload(apiResult(503, { error: 'busy' })) };
    const event = JSON.parse(new TextDecoder().decode(input.Payload)) as {
      queryStringParameters?: { name?: string };
    };
    const name = event.queryStringParameters?.name ?? 'world';
    return { Payload: lambdaPayload(apiResult(200, { message: `Hello, ${name}!` })) };
  });
  return { maxInFlight: () => max };
}

const build = buildHook;
const reports = () => reportsTo(codedeployMock);
const invokes = () => invokesOf(lambdaMock);
const FAILED_ONCE = [{ ...REPORT_IDS, status: 'Failed' }];

beforeEach(() => {
  lambdaMock.reset();
  codedeployMock.reset();
  cloudwatchMock.reset();
  codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
});

describe('post-traffic hook with MIN_INVOCATIONS', () => {
  it('passes on enough invocations of the new version, then runs its checks', async () => {
    canary([20, 25, 5]);
    healthyFunction();
    const started = Date.now();

    const outcome = await build(QUIET_FAIL).hook(EVENT, context(5_000));

    expect(outcome.status).toBe('Succeeded');
    expect(outcome.evidence).toEqual({
      version: '7',
      trafficStartedAt: SHIFT_STARTED,
      measured: 50,
      generated: 0,
      needed: 50,
    });
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Succeeded' }]);
    expect(codedeployMock.commandCalls(ListDeploymentTargetsCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-ABCDEF123',
    });
    expect(codedeployMock.commandCalls(BatchGetDeploymentTargetsCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-ABCDEF123',
      targetIds: ['prod-greeter:live'],
    });
    expect(codedeployMock.commandCalls(GetDeploymentCommand)).toHaveLength(0);
    const [metrics] = cloudwatchMock.commandCalls(GetMetricDataCommand);
    const input = metrics.args[0].input;
    expect(input.StartTime).toEqual(new Date('2026-11-22T10:02:00Z')); // the minute of the start
    expect((input.EndTime as Date).getTime()).toBeGreaterThanOrEqual(started);
    expect(input.MetricDataQueries).toEqual([
      { Id: 'invocations', ReturnData: true, MetricStat: INVOCATIONS_OF_VERSION_7 },
    ]);
    expect(invokes()).toHaveLength(CHECKS.length); // only the checks, nothing generated
  });

  it('sums every page of the metric data', async () => {
    canary([]);
    cloudwatchMock
      .on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [{ Values: [30] }], NextToken: 'page-2' })
      .resolves({ MetricDataResults: [{ Values: [15, 5] }] });
    healthyFunction();
    const outcome = await build(QUIET_FAIL).hook(EVENT, context(5_000));
    expect(outcome.evidence?.measured).toBe(50);
    expect(outcome.status).toBe('Succeeded');
    const calls = cloudwatchMock.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
  });

  it('fails a quiet canary (ON_QUIET=fail) with the shortfall and the fix, invoking nothing', async () => {
    canary([1, 0, 2]);
    healthyFunction();
    const { hook, lines } = build(QUIET_FAIL);

    const outcome = await hook(EVENT, context(5_000));

    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toBe(
      "version 7 served 3 invocations since traffic started shifting at 10:02 UTC; the release needs 50 to be judged (canary.minInvocations; CloudWatch may still lack the last 1-3 minutes). Fix: send traffic during the canary, lower canary.minInvocations, or set canary.onQuiet to 'generate-traffic'",
    );
    expect(invokes()).toHaveLength(0);
    expect(reports()).toEqual(FAILED_ONCE);
    expect(lines.at(-1)?.extra).toMatchObject({
      status: 'Failed',
      evidence: { version: '7', measured: 3, generated: 0, needed: 50 },
    });
  });

  it('falls back to the deployment creation time when CodeDeploy gives no AllowTraffic start', async () => {
    const target = lambdaTarget({ lifecycleEvents: [{ lifecycleEventName: 'AllowTraffic' }] });
    canary([1], target);
    const outcome = await build(QUIET_FAIL).hook(EVENT, context(5_000));
    expect(outcome.reason).toMatch(
      /^version 7 served 1 invocation since the deployment started at 09:58 UTC;/,
    );
    expect(codedeployMock.commandCalls(GetDeploymentCommand)[0].args[0].input).toEqual({
      deploymentId: 'd-ABCDEF123',
    });
    const [metrics] = cloudwatchMock.commandCalls(GetMetricDataCommand);
    expect(metrics.args[0].input.StartTime).toEqual(new Date('2026-11-22T09:58:00Z'));
  });

  it('generates the missing invocations through the alias (ON_QUIET=generate-traffic), bounded in concurrency', async () => {
    canary([3]);
    const fn = healthyFunction(5);
    const { hook, lines } = build(QUIET_GENERATE, { generateConcurrency: 4 });

    const outcome = await hook(EVENT, context(5_000));

    expect(outcome.status).toBe('Succeeded');
    expect(outcome.evidence).toMatchObject({ measured: 3, generated: 47, needed: 50 });
    expect(invokes()).toHaveLength(47 + CHECKS.length);
    expect(invokes().every((i) => i.Qualifier === 'live')).toBe(true);
    expect(fn.maxInFlight()).toBeLessThanOrEqual(4);
    expect(fn.maxInFlight()).toBeGreaterThan(1);
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Succeeded' }]);
    expect(lines.map((l) => l.message)).toContain('canary traffic is enough to judge the release');
  });

  it('stops generating at the first failing invocation and fails, naming the check', async () => {
    canary([0]);
    healthyFunction(2, 5);

    const outcome = await build(QUIET_GENERATE, { generateConcurrency: 2 }).hook(
      EVENT,
      context(5_000),
    );

    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toMatch(
      /^version 7 served 0 of the 50 invocations the release needs \(canary\.minInvocations\) since traffic started shifting at 10:02 UTC; while generating the other 50 through the alias, check "greets (by name|the world)" failed: status 503 is a server error/,
    );
    expect(outcome.results).toEqual([expect.objectContaining({ passed: false, statusCode: 503 })]);
    expect(invokes().length).toBeLessThan(10);
    expect(reports()).toEqual(FAILED_ONCE);
  });

  it('fails when the time for generating runs out first, still reporting once within the budget', async () => {
    canary([0]);
    healthyFunction(40);
    // budget 1,000 - 300 = 700 ms; 350 kept for the checks; about 8 rounds of 40 ms fit.
    const started = Date.now();
    const outcome = await build(QUIET_GENERATE, { generateConcurrency: 1 }).hook(
      EVENT,
      context(1_000),
    );

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toMatch(
      /^version 7 served 0 of the 50 invocations the release needs \(canary\.minInvocations\) since traffic started shifting at 10:02 UTC; the hook generated \d+ of the other 50 before its time ran out\. Fix: send traffic during the canary, lower canary\.minInvocations, or give the post-traffic hook more time$/,
    );
    expect(outcome.evidence?.generated).toBeGreaterThan(0);
    expect(outcome.evidence?.generated).toBeLessThan(50);
    expect(reports()).toEqual(FAILED_ONCE);
  });

  it.each([
    [
      'ListDeploymentTargets is denied',
      () =>
        codedeployMock.on(ListDeploymentTargetsCommand).rejects(
          Object.assign(new Error('not authorized to perform codedeploy:ListDeploymentTargets'), {
            name: 'AccessDeniedException',
            $fault: 'client',
            $metadata: {},
          }),
        ),
      "could not count the canary's invocations: CodeDeploy ListDeploymentTargets for d-ABCDEF123 failed: AccessDeniedException: not authorized to perform codedeploy:ListDeploymentTargets",
    ],
    [
      'the deployment has no target for the function',
      () =>
        codedeployMock.on(BatchGetDeploymentTargetsCommand).resolves({
          deploymentTargets: [
            {
              lambdaTarget: lambdaTarget({
                lambdaFunctionInfo: { functionName: 'prod-other', targetVersion: '3' },
              }),
            },
          ],
        }),
      'CodeDeploy deployment d-ABCDEF123 has no Lambda target for function prod-greeter (targets: prod-other)',
    ],
    [
      'the target names no version',
      () =>
        codedeployMock.on(BatchGetDeploymentTargetsCommand).resolves({
          deploymentTargets: [
            {
              lambdaTarget: lambdaTarget({ lambdaFunctionInfo: { functionName: 'prod-greeter' } }),
            },
          ],
        }),
      'CodeDeploy deployment d-ABCDEF123 names no target version for function prod-greeter',
    ],
    [
      'GetMetricData fails',
      () =>
        cloudwatchMock
          .on(GetMetricDataCommand)
          .rejects(
            Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: {} }),
          ),
      'CloudWatch GetMetricData failed: Throttling: Rate exceeded',
    ],
  ])('reports Failed once when %s', async (_case, breakIt, message) => {
    canary([100]);
    breakIt();
    healthyFunction();
    const outcome = await build(QUIET_GENERATE).hook(EVENT, context(5_000));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toContain(message);
    expect(invokes()).toHaveLength(0);
    expect(reports()).toEqual(FAILED_ONCE);
  });

  it('reports Failed once, within the budget, when CodeDeploy hangs', async () => {
    canary([100]);
    codedeployMock.on(ListDeploymentTargetsCommand).callsFake(() => new Promise(() => undefined)); // never answers, ignores every signal
    const started = Date.now();
    const outcome = await build(QUIET_FAIL).hook(EVENT, context(800));
    expect(Date.now() - started).toBeLessThan(800);
    expect(outcome.reason).toMatch(/^ran out of time while counting the canary's invocations/);
    expect(reports()).toEqual(FAILED_ONCE);
  });

  it('reports Failed once when CloudWatch hangs until aborted', async () => {
    canary([100]);
    cloudwatchMock.reset();
    cloudwatchMock.send.callsFake((command: unknown, options?: { abortSignal?: AbortSignal }) =>
      command instanceof GetMetricDataCommand
        ? hangUntilAborted(options?.abortSignal)
        : Promise.reject(new Error('unexpected command')),
    );
    const outcome = await build(QUIET_FAIL).hook(EVENT, context(800));
    expect(outcome.reason).toMatch(/^ran out of time while counting the canary's invocations/);
    expect(reports()).toEqual(FAILED_ONCE);
  });

  it('does not count anything when MIN_INVOCATIONS is 0 or absent', async () => {
    canary([0]);
    healthyFunction();
    for (const env of [post, { ...post, MIN_INVOCATIONS: '0' }]) {
      const outcome = await build(env).hook(EVENT, context(5_000));
      expect(outcome.status).toBe('Succeeded');
      expect(outcome.evidence).toBeUndefined();
    }
    expect(codedeployMock.commandCalls(ListDeploymentTargetsCommand)).toHaveLength(0);
    expect(cloudwatchMock.commandCalls(GetMetricDataCommand)).toHaveLength(0);
  });
});
