/**
 * The post-traffic hook with RELEASE_JUDGEMENT: it judges the whole release after the shift to
 * 100%, with the SDK clients mocked and a simulated clock (its waits for CloudWatch take no
 * real time).
 */
import {
  CloudWatchClient,
  GetMetricDataCommand,
  PutMetricDataCommand,
  type GetMetricDataCommandInput,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentTargetsCommand,
  CodeDeployClient,
  ListDeploymentTargetsCommand,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { ReleaseJudgement } from '../../../runtime/judge/judge-config';
import { apiResult, lambdaPayload } from '../support';
import {
  CHECKS,
  EVENT,
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

const judgement = (overrides: Partial<ReleaseJudgement> = {}): ReleaseJudgement => ({
  policy: {
    errorRatePercent: 1,
    baselineErrorRatePercent: 0.1,
    p99LatencyMs: 800,
    confidencePercent: 99,
    powerPercent: 90,
    compareToBaseline: true,
    requireVerdict: true,
  },
  onQuiet: 'fail',
  watchMinutes: 10,
  ...overrides,
});
const env = (overrides: Partial<ReleaseJudgement> = {}) => ({
  ...post,
  RELEASE_JUDGEMENT: JSON.stringify(judgement(overrides)),
});

const minute = (m: number) => Date.UTC(2026, 11, 4, 10, m);
/** Traffic started shifting at 10:02:31 and reached 100% at 10:12:31; the hook starts at 10:12:40. */
const SHIFT_STARTED = new Date(minute(2) + 31_000);
const SHIFTED = new Date(minute(12) + 31_000);
const HOOK_STARTS = minute(12) + 40_000;

/** A clock the hook's waits move forward. */
function simulatedClock(start = HOOK_STARTS) {
  let now = start;
  const waits: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      waits.push(ms);
      now += ms;
    },
    waits,
  };
}

/** What CloudWatch holds, per minute from 10:02, for each query of the release. */
interface Traffic {
  /** The new version's calls through the alias, per minute. */
  released: number[];
  releasedErrors?: number[];
  /** The old version's, per minute. */
  previous?: number[];
}

function answerMetrics(traffic: Traffic, verdictsSeen = 10): void {
  cloudwatchMock.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
    const results: MetricDataResult[] = (input.MetricDataQueries ?? []).map((q) => {
      if (q.Id === 'verdicts') {
        return { Id: q.Id, Timestamps: [new Date(minute(5))], Values: [verdictsSeen] };
      }
      const key = q.Id!.split('_')[1];
      const released = traffic.released;
      const previous = traffic.previous ?? released.map(() => 0);
      const errors = traffic.releasedErrors ?? released.map(() => 0);
      const series: Record<string, number[]> = {
        releasedCalls: released,
        releasedErrors: errors,
        releasedFast: released.map(() => 100),
        aliasCalls: released.map((n, i) => n + (previous[i] ?? 0)),
        aliasErrors: errors,
        aliasFast: released.map(() => 100),
        functionCalls: released.map((n, i) => n + (previous[i] ?? 0)),
        functionThrottles: released.map(() => 0),
      };
      const values = series[key] ?? [];
      // Only what the hook asked for: minutes from StartTime to EndTime.
      const from = new Date(input.StartTime!).getTime();
      const to = new Date(input.EndTime!).getTime();
      const points = values
        .map((v, i) => ({ t: minute(2 + i), v }))
        .filter((p) => p.t >= from && p.t < to);
      return {
        Id: q.Id,
        Timestamps: points.map((p) => new Date(p.t)),
        Values: points.map((p) => p.v),
      };
    });
    return Promise.resolve({ MetricDataResults: results });
  });
}

function healthyFunction(): void {
  lambdaMock.on(InvokeCommand).callsFake(async (input: { Payload: Uint8Array }) => {
    const event = JSON.parse(new TextDecoder().decode(input.Payload)) as {
      queryStringParameters?: { name?: string };
    };
    const name = event.queryStringParameters?.name ?? 'world';
    return { Payload: lambdaPayload(apiResult(200, { message: `Hello, ${name}!` })) };
  });
}

const reports = () => reportsTo(codedeployMock);
const invokes = () => invokesOf(lambdaMock);
const verdictsPublished = () =>
  cloudwatchMock
    .commandCalls(PutMetricDataCommand)
    .flatMap((c) => c.args[0].input.MetricData ?? [])
    .filter((d) => d.MetricName === 'Verdict')
    .map((d) => d.Value);

beforeEach(() => {
  lambdaMock.reset();
  codedeployMock.reset();
  cloudwatchMock.reset();
  codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
  codedeployMock.on(ListDeploymentTargetsCommand).resolves({ targetIds: ['prod-greeter:live'] });
  codedeployMock.on(BatchGetDeploymentTargetsCommand).resolves({
    deploymentTargets: [
      {
        deploymentTargetType: 'LambdaTarget',
        lambdaTarget: {
          targetId: 'prod-greeter:live',
          lambdaFunctionInfo: {
            functionName: 'prod-greeter',
            functionAlias: 'live',
            currentVersion: '6',
            targetVersion: '7',
          },
          lifecycleEvents: [
            { lifecycleEventName: 'AllowTraffic', startTime: SHIFT_STARTED, endTime: SHIFTED },
          ],
        },
      },
    ],
  });
  cloudwatchMock.on(PutMetricDataCommand).resolves({});
});

const run = async (hookEnvironment: Record<string, string>, clock = simulatedClock()) => {
  const { hook, lines } = buildHook(hookEnvironment, { now: clock.now, sleep: clock.sleep });
  const outcome = await hook(EVENT, context(15 * 60_000));
  return { outcome, lines, clock };
};

describe('post-traffic hook with RELEASE_JUDGEMENT', () => {
  it('waits until CloudWatch holds a full minute at 100%, judges the whole release, then runs its checks', async () => {
    // 10% of 500 calls a minute during the canary, then everything.
    answerMetrics({
      released: [...Array(10).fill(50), 500, 500, 500],
      previous: Array(10).fill(450),
    });
    healthyFunction();

    const { outcome, clock } = await run(env());

    expect(outcome.reason).toBeUndefined();
    expect(outcome.status).toBe('Succeeded');
    // The first full minute at 100% is 10:13; CloudWatch surely holds it from 10:17.
    expect(clock.now()).toBe(minute(17));
    expect(clock.waits).toEqual([minute(17) - HOOK_STARTS]);
    expect(outcome.judgement?.verdict?.decision).toBe('pass');
    // It judged 10:02 to 10:14 (exclusive): 10 minutes of canary and 2 at 100%.
    expect(outcome.judgement?.verdict?.tests[0].outcomes).toEqual({ n: 10 * 50 + 2 * 500, x: 0 });
    expect(verdictsPublished()).toEqual([0]);
    // The checks through the alias, after the judgement.
    expect(invokes().map((i) => i.Qualifier)).toEqual(['live', 'live']);
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Succeeded' }]);
  });

  it('reads the release from the minute the shift started to the last minute CloudWatch holds', async () => {
    answerMetrics({ released: Array(13).fill(100) });
    healthyFunction();
    await run(env());
    const read = cloudwatchMock
      .commandCalls(GetMetricDataCommand)
      .map((c) => c.args[0].input)
      .find((i) => i.MetricDataQueries?.[0].Id === 'r0_releasedCalls')!;
    // The judged minutes 10:02–10:14, and as many before them for the function's throttles.
    expect(read.StartTime).toEqual(new Date(minute(2) - 12 * 60_000));
    expect(read.EndTime).toEqual(new Date(minute(14)));
    expect(read.MetricDataQueries?.find((q) => q.Id === 'r0_releasedFast')?.MetricStat).toEqual({
      Metric: {
        Namespace: 'AWS/Lambda',
        MetricName: 'Duration',
        Dimensions: [
          { Name: 'FunctionName', Value: 'prod-greeter' },
          { Name: 'Resource', Value: 'prod-greeter:live' },
          { Name: 'ExecutedVersion', Value: '7' },
        ],
      },
      Period: 60,
      Stat: 'PR(:800)',
    });
  });

  it('fails a release the judge rolls back, with its numbers, and runs no check', async () => {
    answerMetrics({
      released: [...Array(10).fill(20), 200, 200, 200],
      releasedErrors: [...Array(10).fill(1), 10, 10, 10],
    });
    healthyFunction();

    const { outcome } = await run(env());

    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toBe(
      'version 7: roll back: 30 of 600 calls failed (5%), between the acceptable 0.1% and the bad 1%; evidence 5.8e+27:1 for the bad rate over the acceptable one (it rolls back at 300:1, 99% confidence)',
    );
    expect(verdictsPublished()).toEqual([1]);
    expect(invokes()).toEqual([]);
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Failed' }]);
  });

  it('a quiet release with onQuiet fail: watches every minute until its time is up, then fails with the fix', async () => {
    answerMetrics({ released: Array(30).fill(2) });
    healthyFunction();

    const { outcome, clock } = await run(env({ watchMinutes: 8 }));

    expect(outcome.status).toBe('Failed');
    // First look at 10:17, then one a minute until the deadline (10:12:40 + 8 min = 10:20:40).
    expect(outcome.judgement?.looks).toBe(4);
    expect(clock.now()).toBe(minute(20));
    expect(outcome.reason).toMatch(
      /^version 7: inconclusive: 30 real calls \(0 failed, 0 slower than 800 ms\) so far; .* about 225 more calls without a failure are needed, and the post-traffic hook watched for 8 minutes at 100%\. Fix: send more traffic during the release, use a larger or longer canary \(npm run plan shows what your traffic needs\), or set canary\.onQuiet to 'generate-traffic'$/,
    );
    expect(invokes()).toEqual([]);
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Failed' }]);
  });

  it('a quiet release with onQuiet generate-traffic: calls the new version directly until a pass is conclusive', async () => {
    answerMetrics({ released: Array(30).fill(2) });
    healthyFunction();

    const { outcome } = await run(env({ onQuiet: 'generate-traffic' }));

    expect(outcome.status).toBe('Succeeded');
    // 24 real calls judged at the first look: 255 - 24 = 231 synthetic calls, in chunks of 100.
    expect(outcome.judgement?.synthetic).toEqual({ calls: 231, errors: 0, slow: 0 });
    const qualifiers = invokes().map((i) => i.Qualifier);
    expect(qualifiers.filter((q) => q === '7')).toHaveLength(231);
    expect(qualifiers.slice(-2)).toEqual(['live', 'live']);
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Succeeded' }]);
  });

  it('fails a canary the scheduled judge never judged: nothing could have stopped it before 100%', async () => {
    answerMetrics({ released: [...Array(10).fill(50), 500, 500, 500] }, 0);
    healthyFunction();
    const { outcome } = await run(env());
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toBe(
      "version 7: the scheduled release judge recorded no verdict during its 10-minute canary, so nothing could have stopped it before 100%. Fix: check the stage's release judge function (its logs and its schedule), then release again",
    );
  });

  it('fails, naming the call, when CloudWatch cannot be read', async () => {
    cloudwatchMock
      .on(GetMetricDataCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDenied' }));
    const { outcome } = await run(env());
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toBe(
      'could not judge the release of version 7: CloudWatch GetMetricData failed: AccessDenied: not authorized',
    );
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Failed' }]);
  });

  it('fails at once when its time cannot cover the wait for CloudWatch', async () => {
    answerMetrics({ released: Array(13).fill(100) });
    const clock = simulatedClock();
    const { hook } = buildHook(env(), { now: clock.now, sleep: clock.sleep });
    const outcome = await hook(EVENT, context(3 * 60_000));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toMatch(
      /^could not judge the release of version 7: the hook's time runs out before CloudWatch holds the minutes it must judge \(it would wait until 2026-12-04T10:17:00.000Z\)$/,
    );
    expect(clock.waits).toEqual([]);
  });
});
