import { Logger } from '@aws-lambda-powertools/logger';
import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CodePipelineClient,
  PutJobFailureResultCommand,
  PutJobSuccessResultCommand,
} from '@aws-sdk/client-codepipeline';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { z } from 'zod';
import type { AwsCall } from '../aws-calls';
import { parseJson } from '../judge/judge-config';
import { errorMessage } from '../synthetic/describe-error';
import { bakeDecision, type AlarmObservation, type BakeDecision, type BakeState } from './bake';

/**
 * The bake action of a wave (a CodePipeline Lambda invoke action): every time CodePipeline
 * invokes it, it reads the stage's health alarm in each environment of the wave (its state, and
 * its history since the bake started, so an alarm that fired and cleared between two looks is
 * not missed), waits a while, looks again, and reports to CodePipeline: failed (an alarm fired:
 * the stage fails, and its OnFailure result rolls the wave back), done (the bake time is up), or
 * in progress with a continuation token (CodePipeline invokes it again with that token). The
 * action's time limit is CodePipeline's for a Lambda action: 24 hours.
 */

/**
 * The job results (no resource type), the role assumed in each environment of the wave, and the
 * health alarm read there with that role's credentials. DescribeAlarms returns a composite alarm
 * (the health alarm is one) only to a caller allowed it on `"*"`.
 */
export const AWS_CALLS: readonly AwsCall[] = [
  { command: 'PutJobSuccessResultCommand', action: 'codepipeline:PutJobSuccessResult', on: 'none' },
  { command: 'PutJobFailureResultCommand', action: 'codepipeline:PutJobFailureResult', on: 'none' },
  { command: 'AssumeRoleCommand', action: 'sts:AssumeRole', on: 'role' },
  {
    command: 'DescribeAlarmsCommand',
    action: 'cloudwatch:DescribeAlarms',
    on: 'none',
    as: 'assumed-role',
  },
  {
    command: 'DescribeAlarmHistoryCommand',
    action: 'cloudwatch:DescribeAlarmHistory',
    on: 'alarm',
    as: 'assumed-role',
  },
];

export const GATE_PARAMETERS = z.strictObject({
  /** Minutes to watch. */
  minutes: z.number().int().min(1).max(1440),
  /** The stage's health alarm, the same name in every environment. */
  alarm: z.string().min(1),
  environments: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        region: z.string().min(1),
        /** The role the gate reads the alarm with, in that environment's account. */
        roleArn: z.string().startsWith('arn:'),
      }),
    )
    .min(1),
});

export type GateParameters = z.infer<typeof GATE_PARAMETERS>;

const TOKEN = z.strictObject({ startedAt: z.number() });

/** How long one invocation watches before it reports; the function's timeout allows more. */
export const POLL_MS = 50_000;

/** The part of the CodePipeline job event the gate reads. */
export interface CodePipelineJobEvent {
  readonly 'CodePipeline.job': {
    readonly id: string;
    readonly data: {
      readonly actionConfiguration: {
        readonly configuration: { readonly UserParameters?: string };
      };
      readonly continuationToken?: string;
    };
  };
}

export interface HealthGateDependencies {
  readonly codepipeline: CodePipelineClient;
  /** Reads an alarm in an environment. */
  readonly observe: (
    environment: GateParameters['environments'][number],
    alarm: string,
    since: number,
  ) => Promise<AlarmObservation>;
  /** @default Date.now */
  readonly now?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default POLL_MS */
  readonly pollMs?: number;
  readonly logger?: Pick<Logger, 'info' | 'error'>;
}

export function createHealthGate(deps: HealthGateDependencies) {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const pollMs = deps.pollMs ?? POLL_MS;
  const logger = deps.logger ?? new Logger({ serviceName: 'health-gate' });
  return async (event: CodePipelineJobEvent): Promise<BakeDecision> => {
    const job = event['CodePipeline.job'];
    let decision: BakeDecision;
    try {
      const params = parseJson(
        GATE_PARAMETERS,
        job.data.actionConfiguration.configuration.UserParameters ?? '',
        'UserParameters',
      );
      const state: BakeState = job.data.continuationToken
        ? parseJson(TOKEN, job.data.continuationToken, 'the continuation token')
        : { startedAt: now() };
      const look = async () =>
        bakeDecision(
          params.minutes,
          state,
          now(),
          await Promise.all(
            params.environments.map((env) => deps.observe(env, params.alarm, state.startedAt)),
          ),
        );
      decision = await look();
      if (decision.kind === 'continue') {
        const left = state.startedAt + params.minutes * 60_000 - now();
        await sleep(Math.max(0, Math.min(pollMs, left)));
        decision = await look();
      }
    } catch (error) {
      decision = {
        kind: 'fail',
        message: `the bake could not read its alarms: ${errorMessage(error)}`,
      };
    }
    await report(deps.codepipeline, job.id, decision);
    const line = { jobId: job.id, decision: decision.kind, ...describe(decision) };
    if (decision.kind === 'fail') logger.error('bake', line);
    else logger.info('bake', line);
    return decision;
  };
}

function describe(decision: BakeDecision): { message: string } {
  return { message: decision.kind === 'fail' ? decision.message : decision.summary };
}

/** Tells CodePipeline: failed, done, or in progress with a token to be invoked again with. */
async function report(client: CodePipelineClient, jobId: string, decision: BakeDecision) {
  if (decision.kind === 'fail') {
    await client.send(
      new PutJobFailureResultCommand({
        jobId,
        failureDetails: { type: 'JobFailed', message: decision.message.slice(0, 5000) },
      }),
    );
    return;
  }
  await client.send(
    new PutJobSuccessResultCommand({
      jobId,
      ...(decision.kind === 'continue' && {
        continuationToken: JSON.stringify(decision.state),
      }),
      executionDetails: {
        summary: decision.summary.slice(0, 2048),
        percentComplete: decision.kind === 'continue' ? decision.percentComplete : 100,
      },
    }),
  );
}

/**
 * Reads the health alarm in an environment with the role the stage's monitoring stack created
 * there: its state (DescribeAlarms; a composite alarm), and whether it went into ALARM since
 * `since` (DescribeAlarmHistory, state updates).
 */
export async function observeAlarm(
  sts: STSClient,
  environment: GateParameters['environments'][number],
  alarm: string,
  since: number,
): Promise<AlarmObservation> {
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: environment.roleArn, RoleSessionName: 'bake' }),
  );
  if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) {
    throw new Error(`STS gave no credentials for ${environment.roleArn}`);
  }
  const cloudwatch = new CloudWatchClient({
    region: environment.region,
    credentials: {
      accessKeyId: Credentials.AccessKeyId,
      secretAccessKey: Credentials.SecretAccessKey,
      sessionToken: Credentials.SessionToken,
    },
  });
  try {
    const types = ['CompositeAlarm', 'MetricAlarm'] as const;
    const current = await cloudwatch.send(
      new DescribeAlarmsCommand({ AlarmNames: [alarm], AlarmTypes: [...types] }),
    );
    const found = [...(current.CompositeAlarms ?? []), ...(current.MetricAlarms ?? [])][0];
    if (found === undefined) {
      throw new Error(
        `alarm ${alarm} does not exist in ${environment.name} (${environment.region})`,
      );
    }
    const history = await cloudwatch.send(
      new DescribeAlarmHistoryCommand({
        AlarmName: alarm,
        AlarmTypes: [...types],
        HistoryItemType: 'StateUpdate',
        StartDate: new Date(since),
        ScanBy: 'TimestampAscending',
      }),
    );
    const fired = (history.AlarmHistoryItems ?? []).find((item) => {
      try {
        const data = JSON.parse(item.HistoryData ?? '{}') as { newState?: { stateValue?: string } };
        return data.newState?.stateValue === 'ALARM';
      } catch {
        return false;
      }
    });
    return {
      environment: environment.name,
      alarm,
      state: (found.StateValue ?? 'INSUFFICIENT_DATA') as AlarmObservation['state'],
      ...(fired?.Timestamp !== undefined && { alarmedAt: new Date(fired.Timestamp).getTime() }),
    };
  } finally {
    cloudwatch.destroy();
  }
}

const sts = new STSClient({});

/** The Lambda entry point. */
export const handler = createHealthGate({
  codepipeline: new CodePipelineClient({}),
  observe: (environment, alarm, since) => observeAlarm(sts, environment, alarm, since),
});
