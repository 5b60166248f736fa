import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { EXIT, knownServices, main, type SyntheticCliIo } from '../../scripts/synthetic';
import { apiResult, lambdaPayload } from '../runtime/support';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures', 'services');

/** Runs the script as `npm run synthetic` does, in a child process. */
function runCli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(
    'npx',
    ['ts-node', '--transpile-only', 'scripts/synthetic.ts', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      timeout: 60_000,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

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

/** The data rows of a printed table, split into cells. */
function rows(table: string): string[][] {
  return table
    .split('\n')
    .slice(1)
    .filter((line) => /\b(PASS|FAIL)\b/.test(line))
    .map((line) => line.split(/\s{2,}/));
}

describe('npm run synthetic (child process)', () => {
  jest.setTimeout(90_000);

  it('runs greeter in-process, prints a passing table and exits 0', () => {
    const { code, stdout } = runCli(['greeter']);
    expect(stdout).toMatch(/^SERVICE\s+CHECK\s+RESULT\s+STATUS\s+LATENCY\s+REASON$/m);
    expect(rows(stdout)).toEqual([
      ['greeter', 'greets by name', 'PASS', '200', expect.stringMatching(/^\d+ ms$/)],
      ['greeter', 'greets the world by default', 'PASS', '200', expect.stringMatching(/^\d+ ms$/)],
      ['greeter', 'rejects an over-long name', 'PASS', '400', expect.stringMatching(/^\d+ ms$/)],
    ]);
    expect(stdout).toContain('3 passed, 0 failed');
    expect(stdout).not.toContain('"level"'); // the handler's own logs stay out of the table
    expect(code).toBe(0);
  });

  it('names an unknown service on one line, lists the known ones, and exits 2', () => {
    const { code, stdout, stderr } = runCli(['no-such-service']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.startsWith('synthetic:'));
    expect(lines).toEqual([
      'synthetic: unknown service "no-such-service": there is no services/no-such-service/synthetic.ts. Known services: greeter, orders',
    ]);
  });

  it('documents --remote and the target variables in --help', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--remote');
    expect(stdout).toContain('SYNTHETIC_TARGET_<SERVICE>');
  });

  it('fails clearly when --remote has no target variable', () => {
    const { code, stderr } = runCli(['--remote', 'greeter'], { SYNTHETIC_TARGET_GREETER: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('synthetic: SYNTHETIC_TARGET_GREETER is not set');
  });
});

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
