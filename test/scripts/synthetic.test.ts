import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { EXIT, knownServices, main, type SyntheticCliIo } from '../../scripts/synthetic';
import {
  latticeInvoker,
  type LatticeInvokerOptions,
} from '../../runtime/synthetic/lattice-invoker';
import { TEST_CREDENTIALS, parseAuthorization, startLatticeFake } from '../runtime/lattice-server';
import { apiResult, lambdaPayload } from '../runtime/support';
import { arn, rows, targets, targetsFile, TARGETS_DIR } from '../helpers/smoke-targets';

const FIXTURES = path.join(__dirname, 'fixtures', 'services');

/** Runs `main` in this process against the fixture services, capturing its output. */
async function runMain(argv: string[], extra: Partial<SyntheticCliIo> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main({
    argv,
    env: {},
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    servicesDir: FIXTURES,
    ...extra,
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('main (in-process)', () => {
  const lambdaMock = mockClient(LambdaClient);
  beforeEach(() => lambdaMock.reset());

  it('lists only folders with a synthetic.ts as known services', () => {
    expect(knownServices(FIXTURES)).toEqual(['broken', 'healthy']);
  });

  it('prints FAIL rows with reasons and exits 1 when a check fails', async () => {
    const { code, stdout } = await runMain(['broken']);
    expect(code).toBe(EXIT.failed);
    expect(rows(stdout)).toEqual([
      [
        'broken',
        'answers 200',
        'FAIL',
        '500',
        expect.stringMatching(/ms$/),
        expect.stringContaining('status 500 is a server error'),
      ],
      [
        'broken',
        'has a body',
        'FAIL',
        '500',
        expect.stringMatching(/ms$/),
        'status 500 is a server error',
      ],
    ]);
    expect(stdout).toContain('0 passed, 2 failed');
  });

  it('runs several services into one table', async () => {
    const { code, stdout } = await runMain(['healthy', 'broken']);
    expect(code).toBe(EXIT.failed);
    expect(rows(stdout).map((r) => [r[0], r[2]])).toEqual([
      ['healthy', 'PASS'],
      ['broken', 'FAIL'],
      ['broken', 'FAIL'],
    ]);
  });

  it('runs the handler file that `handler` in service.ts names, as synth bundles it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'synthetic-handler-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    write('named/service.ts', "export const service = { handler: 'src/main.ts' };\n");
    write(
      'named/src/main.ts',
      "export const handler = async () => ({ statusCode: 200, body: 'from main' });\n",
    );
    write(
      'named/synthetic.ts',
      "export const checks = [{ name: 'main answers', event: {}, expect: { statusCode: 200, bodyContains: ['from main'] } }];\n",
    );
    write('missing/service.ts', "export const service = { handler: 'src/absent.ts' };\n");
    write(
      'missing/synthetic.ts',
      "export const checks = [{ name: 'x', event: {}, expect: {} }];\n",
    );
    const named = await runMain(['named'], { servicesDir: dir });
    expect(rows(named.stdout).map((r) => r.slice(0, 3))).toEqual([
      ['named', 'main answers', 'PASS'],
    ]);
    expect(named.code).toBe(0);
    const missing = await runMain(['missing'], { servicesDir: dir });
    expect(missing.stderr).toBe('synthetic: services/missing/src/absent.ts does not exist');
    expect(missing.code).toBe(EXIT.usage);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names a package the handler or its checks import that is not installed, and the install', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'synthetic-packages-'));
    const write = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    };
    const checks = "export const checks = [{ name: 'answers', event: {}, expect: {} }];\n";
    write(
      'pads/handler.ts',
      "import pad from 'left-pad';\nexport const handler = async () => pad;\n",
    );
    write('pads/synthetic.ts', checks);
    write('sdk/handler.ts', "export { S3Client as handler } from '@aws-sdk/client-s3';\n");
    write('sdk/synthetic.ts', checks);
    write('checked/handler.ts', 'export const handler = async () => ({ statusCode: 200 });\n');
    write('checked/synthetic.ts', `import 'left-pad';\n${checks}`);
    const stderr = async (service: string) =>
      (await runMain([service], { servicesDir: dir })).stderr;
    expect(await stderr('pads')).toBe(
      'synthetic: services/pads/handler.ts cannot be loaded: it imports "left-pad", which is not installed. Fix: npm install left-pad',
    );
    expect(await stderr('sdk')).toBe(
      'synthetic: services/sdk/handler.ts cannot be loaded: it imports "@aws-sdk/client-s3", which is not installed. Fix: npm install --save-dev @aws-sdk/client-s3',
    );
    expect(await stderr('checked')).toBe(
      'synthetic: services/checked/synthetic.ts cannot be loaded: it imports "left-pad", which is not installed. Fix: npm install --save-dev left-pad',
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects unknown options and a missing service name with exit 2', async () => {
    expect((await runMain(['--bogus', 'healthy'])).code).toBe(EXIT.usage);
    const none = await runMain([]);
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toBe(
      'synthetic: name at least one service. Known services: broken, healthy',
    );
  });

  it('--remote invokes each alias ARN from SYNTHETIC_TARGET_<NAME> in its region', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: lambdaPayload(apiResult(200, { ok: true })) });
    const arn = 'arn:aws:lambda:eu-central-1:123456789012:function:dev-healthy:live';
    const regions: string[] = [];

    const { code, stdout } = await runMain(['--remote', 'healthy'], {
      env: { SYNTHETIC_TARGET_HEALTHY: arn },
      createLambdaClient: (region) => {
        regions.push(region);
        return new LambdaClient({ region });
      },
    });

    expect(code).toBe(EXIT.passed);
    expect(regions).toEqual(['eu-central-1']);
    const [call] = lambdaMock.commandCalls(InvokeCommand);
    expect(call.args[0].input).toMatchObject({
      FunctionName: arn,
      InvocationType: 'RequestResponse',
    });
    expect(JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array))).toEqual({
      path: '/',
    });
    expect(rows(stdout)).toEqual([
      ['healthy', 'is ok', 'PASS', '200', expect.stringMatching(/ms$/)],
    ]);
  });

  it('--remote exits 1 when the deployed function fails a check', async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ FunctionError: 'Unhandled', Payload: lambdaPayload({ errorMessage: 'x' }) });
    const { code, stdout } = await runMain(['--remote', 'healthy'], {
      env: { SYNTHETIC_TARGET_HEALTHY: 'arn:aws:lambda:us-east-1:123456789012:function:f:live' },
    });
    expect(code).toBe(EXIT.failed);
    expect(stdout).toContain('function error (Unhandled)');
  });

  it('--remote checks every target before invoking anything', async () => {
    const { code, stderr } = await runMain(['--remote', 'healthy', 'broken'], {
      env: { SYNTHETIC_TARGET_HEALTHY: 'arn:aws:lambda:us-east-1:123456789012:function:f:live' },
    });
    expect(code).toBe(EXIT.usage);
    expect(stderr).toMatch(
      /^synthetic: SYNTHETIC_TARGET_BROKEN is not set: export it with the ARN/,
    );
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('--remote rejects a value that is not a Lambda ARN', async () => {
    const { code, stderr } = await runMain(['--remote', 'healthy'], {
      env: { SYNTHETIC_TARGET_HEALTHY: 'dev-healthy' },
    });
    expect(code).toBe(EXIT.usage);
    expect(stderr).toBe(
      'synthetic: SYNTHETIC_TARGET_HEALTHY "dev-healthy" is not a Lambda function ARN',
    );
  });
});

describe('main --targets <file>', () => {
  const lambdaMock = mockClient(LambdaClient);
  beforeEach(() => {
    lambdaMock.reset();
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: lambdaPayload(apiResult(200, { ok: true })) });
  });

  it('runs each target against its alias, one client per region, with an ENVIRONMENT column', async () => {
    const file = targetsFile({
      stage: 'prod',
      wave: 1,
      targets: [
        { service: 'healthy', environment: 'prod-eu', aliasArn: arn('eu-central-1') },
        { service: 'healthy', environment: 'prod-eu-2', aliasArn: arn('eu-central-1', 'p2') },
        { service: 'healthy', environment: 'prod-us', aliasArn: arn('us-east-1') },
      ],
    });
    const regions: string[] = [];

    const { code, stdout } = await runMain(['--remote', '--targets', file], {
      createLambdaClient: (region) => {
        regions.push(region);
        return new LambdaClient({ region });
      },
    });

    expect(code).toBe(EXIT.passed);
    expect(regions.sort()).toEqual(['eu-central-1', 'us-east-1']);
    expect(lambdaMock.commandCalls(InvokeCommand).map((c) => c.args[0].input.FunctionName)).toEqual(
      [arn('eu-central-1'), arn('eu-central-1', 'p2'), arn('us-east-1')],
    );
    expect(stdout).toMatch(/^SERVICE\s+ENVIRONMENT\s+CHECK\s+RESULT\s+STATUS\s+LATENCY\s+REASON$/m);
    expect(rows(stdout)).toEqual([
      ['healthy', 'prod-eu', 'is ok', 'PASS', '200', expect.stringMatching(/ms$/)],
      ['healthy', 'prod-eu-2', 'is ok', 'PASS', '200', expect.stringMatching(/ms$/)],
      ['healthy', 'prod-us', 'is ok', 'PASS', '200', expect.stringMatching(/ms$/)],
    ]);
  });

  it('goes through VPC Lattice, signed for the region of the URL, when a target has a url', async () => {
    const fake = await startLatticeFake(() => ({
      status: 200,
      body: JSON.stringify({ ok: true }),
    }));
    const url = 'https://healthy-0a1b.7d67968.vpc-lattice-svcs.ap-southeast-2.on.aws';
    const built: LatticeInvokerOptions[] = [];
    try {
      const file = targets({
        service: 'healthy',
        environment: 'dev',
        aliasArn: arn('eu-west-1'),
        url,
      });
      const { code, stdout } = await runMain(['--targets', file], {
        createLatticeInvoker: (options) => {
          built.push(options);
          return latticeInvoker({ ...options, url: fake.url, credentials: TEST_CREDENTIALS });
        },
      });
      expect(code).toBe(EXIT.passed);
      expect(built).toEqual([{ url, region: 'ap-southeast-2' }]);
      expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
      expect(fake.requests.map((r) => [r.method, r.path])).toEqual([['GET', '/']]);
      expect(parseAuthorization(fake.requests[0].headers.authorization)).toMatchObject({
        service: 'vpc-lattice-svcs',
        region: 'ap-southeast-2',
      });
      expect(rows(stdout)).toEqual([
        ['healthy', 'dev', 'is ok', 'PASS', '200', expect.any(String)],
      ]);
    } finally {
      await fake.close();
    }
  });

  const missing = path.join(TARGETS_DIR, 'absent.json');
  it.each([
    [
      'a missing file',
      () => missing,
      `synthetic: targets file ${missing} does not exist: pass the file synth wrote (cdk.out/smoke/<stage>-wave<N>.json after npx cdk synth '**')`,
    ],
    [
      'a file that is not JSON',
      () => targetsFile('{"stage":'),
      /^synthetic: targets file .*targets-\d+\.json is not valid JSON \(.+\): regenerate it with npx cdk synth '\*\*' \(it is written to cdk\.out\/smoke\/\)$/,
    ],
    [
      'an empty target list',
      () => targets(),
      /targets-\d+\.json: targets is empty, so nothing would be checked: regenerate it/,
    ],
    [
      'an entry without an alias ARN',
      () =>
        targets(
          { service: 'healthy', environment: 'dev', aliasArn: arn('eu-west-1') },
          { service: 'healthy', environment: 'dev', aliasArn: 'dev-healthy' },
        ),
      /targets-\d+\.json: targets\[1\]\.aliasArn "dev-healthy" is not a Lambda alias ARN \(arn:aws:lambda:<region>:<account>:function:<name>:<alias>\): regenerate it/,
    ],
    [
      'an entry with a url that is not https',
      () =>
        targets({
          service: 'healthy',
          environment: 'dev',
          aliasArn: arn('eu-west-1'),
          url: 'http://x',
        }),
      /targets\[0\]\.url "http:\/\/x" is not an https URL/,
    ],
    [
      'a service without synthetic.ts',
      () => targets({ service: 'no-checks', environment: 'dev', aliasArn: arn('eu-west-1') }),
      /targets-\d+\.json: targets\[0\]\.service "no-checks" has no services\/no-checks\/synthetic\.ts: add one \(npm run new-service writes it\) or remove the service from its stage$/,
    ],
  ])('refuses %s with one line and exit 2, invoking nothing', async (_case, file, line) => {
    const { code, stdout, stderr } = await runMain(['--remote', '--targets', file()]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toHaveLength(1);
    if (typeof line === 'string') expect(stderr).toBe(line);
    else expect(stderr).toMatch(line);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });

  it('refuses service names beside --targets, and --targets without a file', async () => {
    const both = await runMain(['--targets', 'x.json', 'healthy']);
    expect(both.code).toBe(EXIT.usage);
    expect(both.stderr).toBe(
      'synthetic: --targets runs every target of x.json; name no services with it (got healthy) (see --help)',
    );
    const bare = await runMain(['--targets']);
    expect(bare.stderr).toBe(
      'synthetic: --targets needs the path of a smoke-targets file (see --help)',
    );
  });

  it('prints one line naming the fix for missing credentials, not a table of failures', async () => {
    lambdaMock.on(InvokeCommand).rejects(
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
    );
    const file = targets(
      { service: 'healthy', environment: 'a', aliasArn: arn('eu-west-1') },
      { service: 'broken', environment: 'b', aliasArn: arn('eu-west-1', 'dev-broken') },
    );
    const { code, stdout, stderr } = await runMain(['--targets', file]);
    expect(code).toBe(EXIT.usage);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'synthetic: no AWS credentials found: configure them (e.g. export AWS_PROFILE=<profile>, or aws sso login) and run again',
    );
  });

  it('still prints the table when the targets answer, whatever they answer', async () => {
    lambdaMock.on(InvokeCommand).rejects(
      Object.assign(new Error('Function not found'), {
        name: 'ResourceNotFoundException',
        $metadata: {},
      }),
    );
    const file = targets({ service: 'healthy', environment: 'dev', aliasArn: arn('eu-west-1') });
    const { code, stdout } = await runMain(['--targets', file]);
    expect(code).toBe(EXIT.failed);
    expect(stdout).toContain('invoke failed: ResourceNotFoundException: Function not found');
  });
});
