import path from 'node:path';
import { buildSync } from 'esbuild';
import { DEFAULT_CHECKS_FILE } from '../../../runtime/hooks/checks-file';
import { readHookConfig } from '../../../runtime/hooks/hook-config';
import { CHECKS, checksFolder, hookEnv } from './fixtures';

const folder = checksFolder();
afterAll(() => folder.remove());
const checksFile = folder.write(CHECKS);
const { pre, post } = hookEnv(checksFile);
const withoutFile = (env: Record<string, string>) => {
  const copy = { ...env };
  delete copy.SYNTHETIC_CHECKS_FILE;
  return copy;
};

describe('readHookConfig', () => {
  it('reads the checks from the default file when SYNTHETIC_CHECKS_FILE is not set', () => {
    const config = readHookConfig(withoutFile(pre), checksFile);
    expect(config).toEqual({
      functionName: 'prod-greeter',
      qualifier: '7',
      phase: 'pre-traffic',
      checks: CHECKS,
    });
  });

  it('looks for checks.json beside the handler by default', () => {
    expect(DEFAULT_CHECKS_FILE).toBe(
      path.resolve(__dirname, '..', '..', '..', 'runtime', 'hooks', 'checks.json'),
    );
    expect(() => readHookConfig(withoutFile(pre))).toThrow(
      `checks file ${DEFAULT_CHECKS_FILE} does not exist`,
    );
  });

  it('reads the post-traffic judgement and the Lattice URL with its region', () => {
    const url = 'https://orders-0a1b.7d67968.vpc-lattice-svcs.eu-central-1.on.aws';
    const judgement = {
      policy: {
        errorRatePercent: 1,
        baselineErrorRatePercent: 0.1,
        p99LatencyMs: 800,
        confidencePercent: 99,
        powerPercent: 90,
        compareToBaseline: true,
        requireVerdict: true,
      },
      onQuiet: 'generate-traffic',
      watchMinutes: 10,
    };
    expect(
      readHookConfig({
        ...post,
        RELEASE_JUDGEMENT: JSON.stringify(judgement),
        TARGET_URL: url,
        AWS_REGION: 'us-east-1',
      }),
    ).toMatchObject({ judgement, lattice: { url, region: 'eu-central-1' } });
    expect(
      readHookConfig({ ...post, TARGET_URL: 'https://orders.example.com', AWS_REGION: 'us-east-1' })
        .lattice,
    ).toEqual({ url: 'https://orders.example.com', region: 'us-east-1' });
  });

  it('names every problem in one message', () => {
    expect(() =>
      readHookConfig({
        HOOK_PHASE: 'post-traffic',
        TARGET_QUALIFIER: 'live',
        RELEASE_JUDGEMENT: '{"onQuiet":"fail"}',
        SYNTHETIC_CHECKS_FILE: folder.write('{}'),
      }),
    ).toThrow(
      /^invalid hook configuration: TARGET_FUNCTION_NAME is not set; RELEASE_JUDGEMENT is invalid at policy: .*; .*checks-\d+\.json must be an array of synthetic checks, got object$/,
    );
  });
});

describe('the bundled hook', () => {
  it('reads checks.json from the folder of its bundle (/var/task in Lambda)', () => {
    const out = path.join(folder.dir, 'bundle');
    buildSync({
      entryPoints: [path.resolve(__dirname, '../../../runtime/hooks/traffic-hook.ts')],
      outfile: path.join(out, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      logLevel: 'silent',
    });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const bundled = require(path.join(out, 'index.js')) as { DEFAULT_CHECKS_FILE: string };
    expect(bundled.DEFAULT_CHECKS_FILE).toBe(path.join(out, 'checks.json'));
  });
});
