import * as fs from 'node:fs';
import * as os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadApp } from '../../lib/config/load';
import { stageEnvironments } from '../../lib/config/model';
import { COMMAND_NAMES } from '../../scripts/ops/options';
import { ROOT } from '../helpers/project';

/**
 * `npm run ops` as a command, in a child process: its help, and the one line it prints without
 * credentials or network. test/scripts/ops/ tests the commands in-process on fake AWS clients.
 */

describe('npm run ops (child process)', () => {
  jest.setTimeout(90_000);
  /** The CLI with no credentials, no profile and no instance metadata to find them in. */
  const isolated: NodeJS.ProcessEnv = {
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_PROFILE: '',
    AWS_CONFIG_FILE: path.join(ROOT, 'no-such-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, 'no-such-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
    AWS_WEB_IDENTITY_TOKEN_FILE: '',
  };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, ...isolated, ...extra };
    // The CLI itself must silence the SDK's Node notice: nothing here may do it for it.
    delete environment.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
    return spawnSync('npx', ['ts-node', '--transpile-only', 'scripts/ops/main.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: environment,
      timeout: 90_000,
    });
  };
  const stderrLines = (stderr: string) =>
    stderr.split('\n').filter((l) => l.trim() && !l.startsWith('npm warn'));

  test('--help documents every command and option', () => {
    const { status, stdout } = cli(['--help']);
    expect(status).toBe(0);
    for (const command of COMMAND_NAMES) expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    for (const option of [
      '--stage',
      '--service',
      '--wave',
      '--region',
      '--environment',
      '--yes',
      '--window',
      '--interval',
      '--help',
    ]) {
      expect(stdout).toContain(option);
    }
    expect(stdout).toContain('There is no promote');
  });

  test('without credentials: one line naming the accounts, exit 2, and no SDK notice', () => {
    const stage = loadApp(ROOT).stages[0];
    const { status, stderr } = cli(['status', '--stage', stage.name]);
    expect(status).toBe(2);
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|will require node/);
    const lines = stderrLines(stderr);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^ops: no AWS credentials: configure credentials for account /);
    for (const e of stageEnvironments(stage)) expect(lines[0]).toContain(`account ${e.account}`);
    expect(lines[0]).toMatch(/e\.g\. AWS_PROFILE=<profile> or aws sso login$/);
  });

  test('an AWS profile that does not exist: named, with the profiles there, before any usage of AWS', () => {
    const stage = loadApp(ROOT).stages[0];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-profile-'));
    const config = path.join(dir, 'config');
    fs.writeFileSync(
      config,
      '[default]\nregion = eu-west-1\n\n[profile dev-admin]\nregion = eu-west-1\n',
    );
    const { status, stderr } = cli(['status', '--stage', stage.name], {
      AWS_PROFILE: 'dev-admn',
      AWS_CONFIG_FILE: config,
    });
    expect(status).toBe(2);
    expect(stderrLines(stderr)).toEqual([
      `ops: AWS profile "dev-admn" (AWS_PROFILE) is not in ${config} or ${path.join(ROOT, 'no-such-aws-credentials')}: the AWS SDK finds no credentials for it (the profiles there are default and dev-admin). Fix: did you mean "dev-admin"? set AWS_PROFILE to a profile that exists, create this one (aws configure --profile dev-admn, or aws configure sso --profile dev-admn), or unset AWS_PROFILE to use the default credentials`,
    ]);
    // A usage error still comes first.
    const usage = cli(['status', '--stage', 'no-such-stage'], {
      AWS_PROFILE: 'dev-admn',
      AWS_CONFIG_FILE: config,
    });
    expect(stderrLines(usage.stderr)).toEqual([
      expect.stringMatching(
        /^ops: unknown stage "no-such-stage": the stages \(stages\/index\.ts\) are /,
      ),
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('without network: one line naming the fix, exit 2', () => {
    const stage = loadApp(ROOT).stages[0];
    const { status, stderr } = cli(['status', '--stage', stage.name], {
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      // Nothing listens there: the connection is refused, as with no network.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(status).toBe(2);
    expect(stderr).not.toMatch(/NodeVersionSupportWarning|will require node/);
    expect(stderrLines(stderr)).toEqual([
      'ops: no network: AWS did not answer (connect ECONNREFUSED 127.0.0.1:9): check the internet connection, VPN or proxy (HTTPS_PROXY), then run the command again',
    ]);
  });
});
