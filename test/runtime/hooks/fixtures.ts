import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { createHandler, type TrafficHookDependencies } from '../../../runtime/hooks/traffic-hook';
import type { SyntheticCheck } from '../../../runtime/synthetic/types';
import { recordingLogger } from '../support';

/** The event CodeDeploy sends, and the ids the report must carry. */
export const EVENT = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'hook-exec-42' };
export const REPORT_IDS = {
  deploymentId: 'd-ABCDEF123',
  lifecycleEventHookExecutionId: 'hook-exec-42',
};

/** Two greeter-like checks. */
export const CHECKS: SyntheticCheck[] = [
  {
    name: 'greets by name',
    event: { rawPath: '/hello', queryStringParameters: { name: 'canary' } },
    expect: { statusCode: 200, bodyFields: { message: 'Hello, canary!' } },
  },
  {
    name: 'greets the world',
    event: { rawPath: '/hello' },
    expect: { statusCode: 200, bodyContains: ['Hello, world!'] },
  },
];

/** A context with this much Lambda time left. */
export const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs });

/**
 * A temporary folder for checks files, removed with `remove()`. `write` puts `content` (JSON
 * of a value, or raw text) into a new file and returns its path.
 */
export function checksFolder(): {
  dir: string;
  write: (content: unknown, name?: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hook-checks-'));
  let n = 0;
  return {
    dir,
    write: (content, name = `checks-${++n}.json`) => {
      const file = path.join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The environment of the pre- and post-traffic hooks for `checksFile`. */
export function hookEnv(checksFile: string): {
  pre: Record<string, string>;
  post: Record<string, string>;
} {
  const pre = {
    TARGET_FUNCTION_NAME: 'prod-greeter',
    TARGET_QUALIFIER: '7',
    HOOK_PHASE: 'pre-traffic',
    SYNTHETIC_CHECKS_FILE: checksFile,
  };
  return { pre, post: { ...pre, TARGET_QUALIFIER: 'live', HOOK_PHASE: 'post-traffic' } };
}

/** Time the test hooks keep back for reporting. */
export const RESERVE_MS = 1_000;

/**
 * A hook with SDK clients (mocked or not by the caller), a recording logger, a short reserve
 * and short report back-offs.
 */
export function buildHook(
  env: Record<string, string>,
  overrides: Partial<TrafficHookDependencies> = {},
) {
  const { logger, lines } = recordingLogger();
  const hook = createHandler({
    lambda: new LambdaClient({ region: 'eu-west-1' }),
    codedeploy: new CodeDeployClient({ region: 'eu-west-1' }),
    cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
    env,
    logger,
    reserveMs: RESERVE_MS,
    reportBackoffMs: [10, 20],
    ...overrides,
  });
  return { hook, lines };
}

/** The status reports the mocked CodeDeploy received. */
export const reportsTo = (mock: AwsClientStub<CodeDeployClient>) =>
  mock.commandCalls(PutLifecycleEventHookExecutionStatusCommand).map((c) => c.args[0].input);

/** The invocations the mocked Lambda received. */
export const invokesOf = (mock: AwsClientStub<LambdaClient>) =>
  mock.commandCalls(InvokeCommand).map((c) => c.args[0].input);

/** The metric the post-traffic hook must count: invocations of version 7 through `live`. */
export const INVOCATIONS_OF_VERSION_7 = {
  Metric: {
    Namespace: 'AWS/Lambda',
    MetricName: 'Invocations',
    Dimensions: [
      { Name: 'FunctionName', Value: 'prod-greeter' },
      { Name: 'Resource', Value: 'prod-greeter:live' },
      { Name: 'ExecutedVersion', Value: '7' },
    ],
  },
  Period: 60,
  Stat: 'Sum',
};
