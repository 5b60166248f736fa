import {
  CodeDeployClient,
  LifecycleEventAlreadyCompletedException,
  PutLifecycleEventHookExecutionStatusCommand,
  ThrottlingException,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient, TooManyRequestsException } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  handler as deployedHandler,
  type TrafficHookDependencies,
} from '../../../runtime/hooks/traffic-hook';
import { apiResult, hangUntilAborted, lambdaPayload } from '../support';
import {
  CHECKS,
  EVENT,
  REPORT_IDS as REPORT_OK,
  RESERVE_MS,
  buildHook,
  checksFolder,
  context,
  hookEnv,
  invokesOf,
  reportsTo,
} from './fixtures';

const lambdaMock = mockClient(LambdaClient);
const codedeployMock = mockClient(CodeDeployClient);

const folder = checksFolder();
afterAll(() => folder.remove());
const { pre: PRE_ENV, post: POST_ENV } = hookEnv(folder.write(CHECKS));

/** A greeter-like fake: answers each check's event correctly. */
function answerLikeGreeter(): void {
  lambdaMock.on(InvokeCommand).callsFake((input: { Payload: Uint8Array }) => {
    const event = JSON.parse(new TextDecoder().decode(input.Payload)) as {
      queryStringParameters?: { name?: string };
    };
    const name = event.queryStringParameters?.name ?? 'world';
    return {
      StatusCode: 200,
      Payload: lambdaPayload(apiResult(200, { message: `Hello, ${name}!` })),
    };
  });
}

const build = (overrides: Partial<TrafficHookDependencies> = {}) => buildHook(PRE_ENV, overrides);
const reports = () => reportsTo(codedeployMock);
const invokes = () => invokesOf(lambdaMock);

beforeEach(() => {
  lambdaMock.reset();
  codedeployMock.reset();
  codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
});

describe('traffic hook', () => {
  it('reports Succeeded exactly once, with the event ids, when every check passes', async () => {
    answerLikeGreeter();
    const { hook, lines } = build();

    const outcome = await hook(EVENT, context(5_000));

    expect(outcome.status).toBe('Succeeded');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Succeeded' }]);
    expect(invokes()).toHaveLength(2);
    // One structured line per check, plus one for the final status.
    expect(lines.map((l) => l.message)).toEqual([
      'synthetic check passed',
      'synthetic check passed',
      'traffic hook succeeded',
    ]);
    expect(lines[2].extra).toMatchObject({
      status: 'Succeeded',
      deploymentId: 'd-ABCDEF123',
      phase: 'pre-traffic',
      checks: 2,
      failedChecks: 0,
    });
  });

  it('reports Failed once when one check fails', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ Payload: lambdaPayload(apiResult(200, { message: 'Hello, world!' })) });
    const { hook, lines } = build();

    const outcome = await hook(EVENT, context(5_000));

    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toContain('1 of 2 checks failed: greets by name');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
    expect(lines.filter((l) => l.message === 'synthetic check failed')).toHaveLength(1);
    expect(lines.at(-1)).toMatchObject({ level: 'error', message: 'traffic hook failed' });
  });

  it('reports Failed once when the function returns a FunctionError', async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: 'Unhandled',
      Payload: lambdaPayload({ errorType: 'Error', errorMessage: 'boom' }),
    });
    const outcome = await build().hook(EVENT, context(5_000));
    expect(outcome.reason).toContain('function error (Unhandled): Error: boom');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
  });

  it('reports Failed once when the invoke is throttled', async () => {
    lambdaMock
      .on(InvokeCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', $metadata: {} }));
    const outcome = await build().hook(EVENT, context(5_000));
    expect(outcome.reason).toContain('invoke failed: TooManyRequestsException: Rate exceeded');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
  });

  it('reports Failed once, within the budget, when an invoke hangs until aborted', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    // Client#send(command, options): this fake sees the options, so it can honour the signal.
    lambdaMock.send.callsFake((_command: unknown, options?: { abortSignal?: AbortSignal }) => {
      signals.push(options?.abortSignal);
      return hangUntilAborted(options?.abortSignal);
    });
    const { hook } = build();
    // Budget 400 ms; the reserve (1 s) is the slack the report has on a busy machine.
    const remainingMs = RESERVE_MS + 400;

    const started = Date.now();
    const outcome = await hook(EVENT, context(remainingMs));
    const elapsed = Date.now() - started;

    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toContain('timed out after 400 ms');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
    expect(elapsed).toBeLessThan(remainingMs);
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s?.aborted)).toBe(true);
  });

  it('reports Failed once, within the budget, even when a hung invoke ignores its signal', async () => {
    lambdaMock.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    const outcome = await build().hook(EVENT, context(RESERVE_MS + 300));
    expect(Date.now() - started).toBeLessThan(RESERVE_MS + 300);
    expect(outcome.status).toBe('Failed');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
  });

  it('caps each check at maxCheckTimeoutMs when the budget is larger', async () => {
    lambdaMock.on(InvokeCommand).callsFake(() => new Promise(() => undefined));
    const started = Date.now();
    const outcome = await build({ maxCheckTimeoutMs: 50 }).hook(EVENT, context(60_000));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome.reason).toContain('timed out after 50 ms (per-check timeout)');
    expect(reports()).toHaveLength(1);
  });

  it('reports Failed once without invoking when less time is left than the reserve', async () => {
    answerLikeGreeter();
    const outcome = await build().hook(EVENT, context(RESERVE_MS));
    expect(outcome.reason).toContain('no time left for checks');
    expect(invokes()).toHaveLength(0);
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
  });

  it('retries a failed status report and resolves when the second attempt succeeds', async () => {
    answerLikeGreeter();
    codedeployMock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejectsOnce(new ThrottlingException({ message: 'slow down', $metadata: {} }))
      .resolves({});
    const { hook, lines } = build();

    await expect(hook(EVENT, context(5_000))).resolves.toMatchObject({ status: 'Succeeded' });

    expect(reports()).toEqual([
      { ...REPORT_OK, status: 'Succeeded' },
      { ...REPORT_OK, status: 'Succeeded' },
    ]);
    expect(lines.filter((l) => l.message === 'status report attempt failed')).toHaveLength(1);
  });

  it('retries a report attempt that hangs, then rethrows when every attempt failed', async () => {
    answerLikeGreeter();
    codedeployMock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .callsFake(() => new Promise(() => undefined));
    const { hook, lines } = build();

    const started = Date.now();
    await expect(hook(EVENT, context(5_000))).rejects.toThrow('report attempt timed out');
    expect(Date.now() - started).toBeLessThan(RESERVE_MS + 500);
    expect(reports()).toHaveLength(3);
    expect(lines.at(-1)).toMatchObject({
      level: 'error',
      message: 'could not report hook status to CodeDeploy',
    });
  });

  it('does not retry a client error such as access denied, and rethrows it', async () => {
    answerLikeGreeter();
    codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).rejects(
      Object.assign(new Error('not authorized'), {
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: {},
      }),
    );
    await expect(build().hook(EVENT, context(5_000))).rejects.toThrow('not authorized');
    expect(reports()).toHaveLength(1);
  });

  it('stops when CodeDeploy says the hook already has a status', async () => {
    answerLikeGreeter();
    codedeployMock
      .on(PutLifecycleEventHookExecutionStatusCommand)
      .rejects(new LifecycleEventAlreadyCompletedException({ message: 'done', $metadata: {} }));
    await expect(build().hook(EVENT, context(5_000))).resolves.toMatchObject({
      status: 'Succeeded',
    });
    expect(reports()).toHaveLength(1);
  });

  const without = (key: string) => {
    const env: Record<string, string> = { ...PRE_ENV };
    delete env[key];
    return env;
  };
  const withChecks = (content: unknown) => ({
    ...PRE_ENV,
    SYNTHETIC_CHECKS_FILE: folder.write(content),
  });
  it.each([
    [
      'TARGET_FUNCTION_NAME missing',
      without('TARGET_FUNCTION_NAME'),
      'TARGET_FUNCTION_NAME is not set',
    ],
    ['TARGET_QUALIFIER missing', without('TARGET_QUALIFIER'), 'TARGET_QUALIFIER is not set'],
    [
      'HOOK_PHASE missing',
      without('HOOK_PHASE'),
      'HOOK_PHASE must be "pre-traffic" or "post-traffic"',
    ],
    [
      'the checks file is missing',
      { ...PRE_ENV, SYNTHETIC_CHECKS_FILE: `${folder.dir}/absent.json` },
      `checks file ${folder.dir}/absent.json does not exist: the hook's bundle must hold the service's checks as checks.json beside the handler`,
    ],
    [
      'the checks file cannot be read',
      { ...PRE_ENV, SYNTHETIC_CHECKS_FILE: folder.dir },
      `checks file ${folder.dir} cannot be read: EISDIR`,
    ],
    ['the checks file is not JSON', withChecks('[{'), 'is not valid JSON'],
    ['the checks file is empty', withChecks([]), 'is empty: at least one synthetic check'],
    [
      'a check is malformed',
      withChecks([{ name: 'x', event: {} }]),
      '[0].expect must be an object, got undefined',
    ],
    [
      'function name invalid',
      { ...PRE_ENV, TARGET_FUNCTION_NAME: 'prod greeter' },
      'is not an unqualified Lambda function name',
    ],
    [
      'pre-traffic hook aimed at the alias',
      { ...PRE_ENV, TARGET_QUALIFIER: 'live' },
      'must be a published version number',
    ],
    [
      'post-traffic hook aimed at a version',
      { ...POST_ENV, TARGET_QUALIFIER: '7' },
      'must be an alias name',
    ],
    [
      'RELEASE_JUDGEMENT is not JSON',
      { ...POST_ENV, RELEASE_JUDGEMENT: '{policy' },
      'RELEASE_JUDGEMENT is not JSON',
    ],
    [
      'RELEASE_JUDGEMENT is set on the pre-traffic hook',
      { ...PRE_ENV, RELEASE_JUDGEMENT: '{}' },
      'RELEASE_JUDGEMENT is for the post-traffic hook only',
    ],
    [
      'RELEASE_JUDGEMENT has an unknown onQuiet',
      {
        ...POST_ENV,
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
          onQuiet: 'ignore',
          watchMinutes: 10,
        }),
      },
      'RELEASE_JUDGEMENT is invalid at onQuiet',
    ],
    [
      'TARGET_URL is set on the pre-traffic hook',
      { ...PRE_ENV, TARGET_URL: 'https://svc-1.abc.vpc-lattice-svcs.eu-west-1.on.aws' },
      'TARGET_URL is for the post-traffic hook only',
    ],
    [
      'TARGET_URL is not https',
      { ...POST_ENV, TARGET_URL: 'http://svc-1.abc.vpc-lattice-svcs.eu-west-1.on.aws' },
      'must be an https URL without query or fragment',
    ],
    [
      'TARGET_URL names no region and AWS_REGION is not set',
      { ...POST_ENV, TARGET_URL: 'https://orders.example.com' },
      'TARGET_URL "https://orders.example.com" names no region and AWS_REGION is not set',
    ],
  ])('reports Failed once without invoking when %s', async (_case, env, message) => {
    answerLikeGreeter();
    const { hook, lines } = build({ env });
    const outcome = await hook(EVENT, context(5_000));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toContain(message);
    expect(invokes()).toHaveLength(0);
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Failed' }]);
    expect(lines.at(-1)?.extra.reason).toContain(message);
  });

  it('cannot report without the event ids: logs and throws, calling nothing', async () => {
    answerLikeGreeter();
    const { hook, lines } = build();
    await expect(
      hook({ DeploymentId: 'd-1' } as unknown as typeof EVENT, context(5_000)),
    ).rejects.toThrow('cannot report');
    expect(reports()).toHaveLength(0);
    expect(invokes()).toHaveLength(0);
    expect(lines).toHaveLength(1);
  });

  it('pre-traffic invokes the new version by number', async () => {
    answerLikeGreeter();
    await build({ env: PRE_ENV }).hook(EVENT, context(5_000));
    expect(invokes()).toEqual([
      expect.objectContaining({
        FunctionName: 'prod-greeter',
        Qualifier: '7',
        InvocationType: 'RequestResponse',
      }),
      expect.objectContaining({
        FunctionName: 'prod-greeter',
        Qualifier: '7',
        InvocationType: 'RequestResponse',
      }),
    ]);
  });

  it('post-traffic invokes the live alias', async () => {
    answerLikeGreeter();
    const outcome = await build({ env: POST_ENV }).hook(EVENT, context(5_000));
    expect(outcome.status).toBe('Succeeded');
    expect(invokes().map((i) => [i.FunctionName, i.Qualifier])).toEqual([
      ['prod-greeter', 'live'],
      ['prod-greeter', 'live'],
    ]);
  });
});

describe('the exported handler', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    jest.restoreAllMocks();
  });

  it('reads process.env, uses the module-scope clients, and logs JSON lines with Powertools', async () => {
    Object.assign(process.env, PRE_ENV); // the checks file of the test
    answerLikeGreeter();
    const written: string[] = [];
    const capture = (chunk: unknown): boolean => {
      written.push(String(chunk));
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);

    // 20 s left: 15 s reserved for reporting, 5 s for the checks.
    const outcome = await deployedHandler(EVENT, context(20_000));

    expect(outcome.status).toBe('Succeeded');
    expect(reports()).toEqual([{ ...REPORT_OK, status: 'Succeeded' }]);
    const logged = written
      .join('')
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged.map((l) => l.message)).toEqual([
      'synthetic check passed',
      'synthetic check passed',
      'traffic hook succeeded',
    ]);
    expect(logged[2]).toMatchObject({
      level: 'INFO',
      service: 'traffic-hook',
      status: 'Succeeded',
    });
  });
});
