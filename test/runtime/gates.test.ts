import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { bakeDecision, type AlarmObservation } from '../../runtime/gates/bake';
import {
  createHealthGate,
  observeAlarm,
  type GateParameters,
} from '../../runtime/gates/health-gate';

const start = Date.UTC(2026, 11, 4, 10, 0);
const minute = (m: number) => start + m * 60_000;
const ok = (environment = 'prod-us'): AlarmObservation => ({
  environment,
  alarm: 'app-prod-health',
  state: 'OK',
});

describe('the bake, state in, decision out', () => {
  test('an alarm that is OK when the wave reaches 100% does not end the bake early', () => {
    const decision = bakeDecision(15, { startedAt: start }, minute(0), [ok()]);
    expect(decision).toEqual({
      kind: 'continue',
      state: { startedAt: start },
      summary: 'baking: 0.0 of 15 min, no alarm in prod-us',
      percentComplete: 0,
    });
    expect(bakeDecision(15, { startedAt: start }, minute(14.9), [ok()]).kind).toBe('continue');
  });

  test('an alarm firing at minute 10 of a 15-minute bake fails it, naming the alarm, the environment and when', () => {
    const fired = { ...ok('prod-eu'), state: 'OK' as const, alarmedAt: minute(10) };
    expect(bakeDecision(15, { startedAt: start }, minute(11), [ok(), fired])).toEqual({
      kind: 'fail',
      message:
        'bake failed: app-prod-health in prod-eu went into ALARM 10.0 min into the bake (10:10 UTC). The stage rolls the wave back; later waves do not start.',
    });
  });

  test('an alarm in ALARM now fails it too', () => {
    const decision = bakeDecision(15, { startedAt: start }, minute(3), [
      { ...ok(), state: 'ALARM' },
    ]);
    expect(decision.kind).toBe('fail');
  });

  test('passes once the time is up and no alarm fired', () => {
    expect(bakeDecision(15, { startedAt: start }, minute(15), [ok(), ok('prod-eu')])).toEqual({
      kind: 'succeed',
      summary: 'baked 15 min: app-prod-health stayed out of ALARM in prod-us, prod-eu',
    });
  });
});

const codepipeline = mockClient(CodePipelineClient);
const parameters: GateParameters = {
  minutes: 15,
  alarm: 'app-prod-health',
  environments: [
    { name: 'prod-us', region: 'us-east-1', roleArn: 'arn:aws:iam::333333333333:role/x' },
  ],
};
const job = (continuationToken?: string, params: unknown = parameters) => ({
  'CodePipeline.job': {
    id: 'job-1',
    data: {
      actionConfiguration: { configuration: { UserParameters: JSON.stringify(params) } },
      ...(continuationToken && { continuationToken }),
    },
  },
});
const silent = { info: () => undefined, error: () => undefined };

beforeEach(() => {
  codepipeline.reset();
  codepipeline.on(PutJobSuccessResultCommand).resolves({});
  codepipeline.on(PutJobFailureResultCommand).resolves({});
});

describe('the bake action with CodePipeline', () => {
  /** A clock the gate's wait moves; the alarm fires at `firesAt` (minutes), if given. */
  function gate(firesAt?: number) {
    let now = start;
    const looks: number[] = [];
    const run = createHealthGate({
      codepipeline: codepipeline as unknown as CodePipelineClient,
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
      pollMs: 60_000,
      logger: silent,
      observe: async (env, alarm, since) => {
        looks.push(now);
        return {
          environment: env.name,
          alarm,
          state: 'OK',
          ...(firesAt !== undefined && minute(firesAt) <= now && minute(firesAt) >= since
            ? { alarmedAt: minute(firesAt) }
            : {}),
        };
      },
    });
    return { run, looks, at: (m: number) => (now = minute(m)) };
  }

  test('starts the bake, looks twice a minute apart, and asks to be invoked again with when it started', async () => {
    const g = gate();
    const decision = await g.run(job());
    expect(decision.kind).toBe('continue');
    expect(g.looks).toEqual([minute(0), minute(1)]);
    const [call] = codepipeline.commandCalls(PutJobSuccessResultCommand);
    expect(call.args[0].input).toEqual({
      jobId: 'job-1',
      continuationToken: JSON.stringify({ startedAt: start }),
      executionDetails: {
        summary: 'baking: 1.0 of 15 min, no alarm in prod-us',
        percentComplete: 6,
      },
    });
  });

  test('keeps the start from the token: done when 15 minutes passed since, without a token', async () => {
    const g = gate();
    g.at(14.5);
    const decision = await g.run(job(JSON.stringify({ startedAt: start })));
    expect(decision.kind).toBe('succeed');
    // It waited only until the end of the bake.
    expect(g.looks).toEqual([minute(14.5), minute(15)]);
    expect(codepipeline.commandCalls(PutJobSuccessResultCommand)[0].args[0].input).toEqual({
      jobId: 'job-1',
      executionDetails: {
        summary: 'baked 15 min: app-prod-health stayed out of ALARM in prod-us',
        percentComplete: 100,
      },
    });
  });

  test('an alarm at minute 10 fails the job, so the stage fails and rolls the wave back', async () => {
    const g = gate(10);
    g.at(9.5);
    const decision = await g.run(job(JSON.stringify({ startedAt: start })));
    expect(decision.kind).toBe('fail');
    const [call] = codepipeline.commandCalls(PutJobFailureResultCommand);
    expect(call.args[0].input).toEqual({
      jobId: 'job-1',
      failureDetails: {
        type: 'JobFailed',
        message:
          'bake failed: app-prod-health in prod-us went into ALARM 10.0 min into the bake (10:10 UTC). The stage rolls the wave back; later waves do not start.',
      },
    });
    expect(codepipeline.commandCalls(PutJobSuccessResultCommand)).toHaveLength(0);
  });

  test('bad parameters or an alarm it cannot read fail the job with the reason, never hang it', async () => {
    const g = gate();
    await g.run(job(undefined, { minutes: 0 }));
    expect(
      codepipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails
        ?.message,
    ).toMatch(/^the bake could not read its alarms: UserParameters is invalid at minutes: /);
    codepipeline.resetHistory();
    const failing = createHealthGate({
      codepipeline: codepipeline as unknown as CodePipelineClient,
      logger: silent,
      observe: async () => {
        throw Object.assign(new Error('not authorized to perform sts:AssumeRole'), {
          name: 'AccessDenied',
        });
      },
    });
    await failing(job());
    expect(
      codepipeline.commandCalls(PutJobFailureResultCommand)[0].args[0].input.failureDetails
        ?.message,
    ).toBe(
      'the bake could not read its alarms: AccessDenied: not authorized to perform sts:AssumeRole',
    );
  });
});

describe("reading a health alarm in an environment's account", () => {
  const sts = mockClient(STSClient);
  const cloudwatch = mockClient(CloudWatchClient);
  const env = parameters.environments[0];
  beforeEach(() => {
    sts.reset();
    cloudwatch.reset();
    sts.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'AKID',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date(minute(60)),
      },
    });
  });

  test('assumes the role, reads the composite alarm, and finds when it went into ALARM since the start', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({
      CompositeAlarms: [{ AlarmName: 'app-prod-health', StateValue: 'OK' }],
    });
    cloudwatch.on(DescribeAlarmHistoryCommand).resolves({
      AlarmHistoryItems: [
        {
          Timestamp: new Date(minute(4)),
          HistoryData: JSON.stringify({ newState: { stateValue: 'ALARM' } }),
        },
        {
          Timestamp: new Date(minute(6)),
          HistoryData: JSON.stringify({ newState: { stateValue: 'OK' } }),
        },
      ],
    });
    const observed = await observeAlarm(new STSClient({}), env, 'app-prod-health', start);
    // Fired and cleared between two looks: the history still shows it.
    expect(observed).toEqual({
      environment: 'prod-us',
      alarm: 'app-prod-health',
      state: 'OK',
      alarmedAt: minute(4),
    });
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(env.roleArn);
    const describe = cloudwatch.commandCalls(DescribeAlarmsCommand)[0].args[0].input;
    expect(describe.AlarmTypes).toEqual(['CompositeAlarm', 'MetricAlarm']);
    const history = cloudwatch.commandCalls(DescribeAlarmHistoryCommand)[0].args[0].input;
    expect(history).toMatchObject({
      AlarmName: 'app-prod-health',
      HistoryItemType: 'StateUpdate',
      StartDate: new Date(start),
    });
  });

  test('an alarm that does not exist is named, with the environment', async () => {
    cloudwatch.on(DescribeAlarmsCommand).resolves({ CompositeAlarms: [], MetricAlarms: [] });
    await expect(observeAlarm(new STSClient({}), env, 'app-prod-health', start)).rejects.toThrow(
      'alarm app-prod-health does not exist in prod-us (us-east-1)',
    );
  });
});
