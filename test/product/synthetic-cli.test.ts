import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadApp } from '../../lib/config/load';
import { LIVE_ALIAS, serviceBaseName, stagePrefix } from '../../lib/resource-names';
import { knownServices } from '../../scripts/synthetic';
import { ROOT } from '../helpers/project';
import { arn, rows, targets } from '../helpers/smoke-targets';

/**
 * `npm run synthetic` as a command: arguments, output and exit codes of the real script in a
 * child process. test/scripts/synthetic.test.ts tests its `main` in-process, and
 * test/app/synthetic.test.ts runs the project's own services' checks.
 */

/** The project's own services, whatever the user has made of the sample. */
const PROJECT_SERVICES = path.join(ROOT, 'services');

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

describe('npm run synthetic (child process)', () => {
  jest.setTimeout(90_000);

  it("runs the project's services in-process, prints a passing table and exits 0", async () => {
    const services = knownServices(PROJECT_SERVICES);
    expect(services.length).toBeGreaterThan(0);
    const { code, stdout } = runCli(services);
    expect(stdout).toMatch(/^SERVICE\s+CHECK\s+RESULT\s+STATUS\s+LATENCY\s+REASON$/m);
    const expected: string[][] = [];
    for (const service of services) {
      const { checks } = (await import(path.join(PROJECT_SERVICES, service, 'synthetic.ts'))) as {
        checks: { name: string }[];
      };
      for (const check of checks) expected.push([service, check.name, 'PASS']);
    }
    expect(rows(stdout).map((r) => r.slice(0, 3))).toEqual(expected);
    expect(stdout).toContain(`${expected.length} passed, 0 failed`);
    expect(stdout).not.toContain('"level"'); // the handler's own logs stay out of the table
    expect(code).toBe(0);
  });

  it('names an unknown service on one line, lists the known ones, and exits 2', () => {
    const { code, stdout, stderr } = runCli(['no-such-service']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter((l) => l.startsWith('synthetic:'));
    expect(lines).toEqual([
      `synthetic: unknown service "no-such-service": there is no services/no-such-service/synthetic.ts. Known services: ${knownServices(PROJECT_SERVICES).join(', ')}`,
    ]);
  });

  it('documents --remote and the target variables in --help', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--remote');
    expect(stdout).toContain('SYNTHETIC_TARGET_<SERVICE>');
    expect(stdout).toContain('--targets <file>');
    // The example ARN names a function as the sample's pipeline names it.
    const example = /SYNTHETIC_TARGET_ORDER_HISTORY=(\S+)/.exec(stdout)?.[1];
    const name = serviceBaseName(stagePrefix(loadApp(ROOT).pipelineName, 'dev'), 'order-history');
    expect(example).toMatch(/^arn:aws:lambda:[a-z0-9-]+:\d{12}:function:/);
    expect(example?.endsWith(`:function:${name}:${LIVE_ALIAS}`)).toBe(true);
  });

  it('turns network trouble into one line per fix, without a stack trace or SDK notice, and exits 2', () => {
    const file = targets(
      { service: 'greeter', environment: 'far', aliasArn: arn('us-east-9', 'dev-greeter') },
      {
        service: 'greeter',
        environment: 'lattice',
        aliasArn: arn('eu-west-1', 'dev-greeter'),
        url: 'https://greeter-0a1b.7d67968.vpc-lattice-svcs.eu-west-1.on.aws',
      },
    );
    const { code, stdout, stderr } = runCli(['--remote', '--targets', file], {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n').sort()).toEqual([
      expect.stringMatching(
        /^synthetic: cannot resolve greeter-0a1b\.7d67968\.vpc-lattice-svcs\.eu-west-1\.on\.aws \((ENOTFOUND|EAI_AGAIN)\): a VPC Lattice service is reachable only from a VPC associated with its service network;/,
      ),
      expect.stringMatching(
        /^synthetic: cannot resolve lambda\.us-east-9\.amazonaws\.com \((ENOTFOUND|EAI_AGAIN)\): check that "us-east-9" is an AWS region \(it comes from the target ARN\)/,
      ),
    ]);
  });

  it('fails clearly when --remote has no target variable', () => {
    const { code, stderr } = runCli(['--remote', 'greeter'], { SYNTHETIC_TARGET_GREETER: '' });
    expect(code).toBe(2);
    expect(stderr).toContain('synthetic: SYNTHETIC_TARGET_GREETER is not set');
  });
});
