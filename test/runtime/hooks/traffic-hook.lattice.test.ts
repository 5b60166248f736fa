/**
 * The post-traffic hook with TARGET_URL: its checks go through VPC Lattice over HTTPS, signed
 * with SigV4, instead of invoking the alias. A local HTTP server stands in for the service.
 */
import {
  CodeDeployClient,
  PutLifecycleEventHookExecutionStatusCommand,
} from '@aws-sdk/client-codedeploy';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import {
  latticeInvoker,
  type LatticeInvokerOptions,
} from '../../../runtime/synthetic/lattice-invoker';
import {
  TEST_CREDENTIALS,
  expectedSignature,
  parseAuthorization,
  startLatticeFake,
  type Answer,
  type ReceivedRequest,
} from '../lattice-server';
import {
  CHECKS,
  EVENT,
  REPORT_IDS,
  buildHook,
  checksFolder,
  context,
  hookEnv,
  reportsTo,
} from './fixtures';

const lambdaMock = mockClient(LambdaClient);
const codedeployMock = mockClient(CodeDeployClient);

const folder = checksFolder();
afterAll(() => folder.remove());
const TARGET_URL = 'https://greeter-0a1b2c.7d67968.vpc-lattice-svcs.eu-west-1.on.aws';
const env = { ...hookEnv(folder.write(CHECKS)).post, TARGET_URL };

/** Greets like the greeter service. */
const greeter = (r: ReceivedRequest): Answer => ({
  status: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ message: `Hello, ${r.query.name ?? 'world'}!` }),
});

let fake: Awaited<ReturnType<typeof startLatticeFake>>;
let answer: (r: ReceivedRequest) => Answer;
beforeEach(async () => {
  lambdaMock.reset();
  codedeployMock.reset();
  codedeployMock.on(PutLifecycleEventHookExecutionStatusCommand).resolves({});
  answer = greeter;
  fake = await startLatticeFake((r) => answer(r));
});
afterEach(async () => fake.close());

/** The hook, with its Lattice invoker sent to the local fake; records what it was built with. */
function build() {
  const built: LatticeInvokerOptions[] = [];
  const { hook } = buildHook(env, {
    latticeInvoker: (options) => {
      built.push(options);
      return latticeInvoker({ ...options, url: fake.url, credentials: TEST_CREDENTIALS });
    },
  });
  return { hook, built };
}
const reports = () => reportsTo(codedeployMock);

describe('post-traffic hook through VPC Lattice', () => {
  it('sends each check as a signed HTTPS request to TARGET_URL and reports Succeeded once', async () => {
    const { hook, built } = build();

    const outcome = await hook(EVENT, context(5_000));

    expect(outcome.status).toBe('Succeeded');
    expect(built).toEqual([{ url: TARGET_URL, region: 'eu-west-1' }]);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests.map((r) => [r.method, r.path, r.query])).toEqual(
      expect.arrayContaining([
        ['GET', '/hello', { name: 'canary' }],
        ['GET', '/hello', {}],
      ]),
    );
    for (const request of fake.requests) {
      const auth = parseAuthorization(request.headers.authorization);
      expect(auth).toMatchObject({ service: 'vpc-lattice-svcs', region: 'eu-west-1' });
      expect(request.headers['x-amz-content-sha256']).toBe('UNSIGNED-PAYLOAD');
      expect(auth.signature).toBe(await expectedSignature(request, 'eu-west-1'));
    }
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Succeeded' }]);
  });

  it('judges the HTTP answer like a Lambda answer: a 5xx fails the release once', async () => {
    answer = () => ({ status: 502, body: 'bad gateway' });
    const outcome = await build().hook(EVENT, context(5_000));
    expect(outcome.status).toBe('Failed');
    expect(outcome.reason).toContain('2 of 2 checks failed');
    expect(outcome.reason).toContain('status 502 is a server error');
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Failed' }]);
  });

  it('by default signs with the SDK credential chain and fails once when the URL cannot be reached', async () => {
    const port = new URL(fake.url).port;
    const url = `https://127.0.0.1:${port}`; // an HTTP server: the TLS handshake fails
    const { hook } = buildHook({ ...env, TARGET_URL: url, AWS_REGION: 'eu-west-1' });
    const saved = { ...process.env };
    // The SDK's default chain finds these first.
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 's' });
    try {
      const outcome = await hook(EVENT, context(3_000));
      expect(outcome.status).toBe('Failed');
      expect(outcome.reason).toContain(`invoke failed: Error: GET ${url}/hello failed:`);
    } finally {
      process.env = saved;
    }
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
    expect(reports()).toEqual([{ ...REPORT_IDS, status: 'Failed' }]);
  });
});
