import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../lib/config/config-error';
import type { AppModel } from '../../lib/config/model';
import { EXIT, main } from '../../lib/plan/cli';
import { stressModel } from '../lib/plan/model-fixture';

/** Runs `main` in this process in a scratch root, capturing its output. */
function runMain(argv: string[], root: string, load: () => AppModel = stressModel) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main({
    argv,
    root,
    load,
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('plan main()', () => {
  let root: string;
  const doc = () => path.join(root, 'docs', 'pipeline.md');
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('prints the Monitoring wave, the waves step by step, what a release is judged on, and how to operate it', () => {
    const { code, stdout } = runMain([], root);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toMatch(
      /^Monitoring: every stage's monitoring stack in every environment, in parallel, before any stage$/m,
    );
    expect(stdout).toMatch(
      /^ {2}live +live-ap \(666666666666 \/ ap-southeast-2\) +fixture-pipeline-live-Monitoring +health alarm fixture-pipeline-live-health, 2 fleet alarms$/m,
    );
    expect(stdout).toContain('Stage 2 of 2: live, 2 waves');
    expect(stdout).toMatch(/^ {2}strategy +CANARY_25PERCENT_5MINUTES \(custom: 25% for 5 min/m);
    expect(stdout).toMatch(/^ {2}window +\* 0-59 9-16 \? \* MON-FRI \(Europe\/Berlin\)$/m);
    expect(stdout).toMatch(
      /^ {2}wave 2 +pipeline stage live-wave2: live-us \(555555555555 \/ us-east-1\), live-ap \(666666666666 \/ ap-southeast-2\)$/m,
    );
    expect(stdout).toMatch(
      /^ {4}approval +pipeline stage Approve-live: a person promotes the release \(asked for inside the window\)$/m,
    );
    expect(stdout).toMatch(
      /^ {4}smoke test +SmokeTest-live-wave2: 6 synthetic checks through the live aliases \(targets smoke\/live-wave2\.json/m,
    );
    expect(stdout).toMatch(
      /^ {4}bake +Bake-live-wave2: 20 min once the wave is at 100% \(beside the smoke tests\), watching fixture-pipeline-live-health in live-us and live-ap; an alarm fails the stage, which rolls the wave back \(on failure: ROLLBACK\)$/m,
    );
    expect(stdout).toMatch(/^ {4}order-history$/m);
    expect(stdout).toMatch(
      /^ {6}judged on +failed, slow \(> 2500 ms\) and throttled calls since the shift started: 5% against a healthy 0\.2%, or the old version's rate if higher \(99% confidence, 90% power\)$/m,
    );
    expect(stdout).toMatch(
      /^ {6}judged on +failed, slow \(> 800 ms\) and throttled calls since the shift started: 2% against a healthy 0\.2% \(99% confidence, 90% power\)$/m,
    );
    expect(stdout).toMatch(
      /^ {6}evidence +a pass needs ≥ 47 good calls \(more after a failure\); fewer after 12 min at 100%: the release fails$/m,
    );
    expect(stdout).toMatch(
      /^ {6}hooks +pre-traffic: 1 synthetic check on the new version; post-traffic: judges the release, then runs the same checks through the live alias$/m,
    );
    expect(stdout).toMatch(
      /^ {2}front doors +VPC Lattice service, HTTPS to the live alias: fixture-pipeline-live-order-history$/m,
    );
    expect(stdout).toMatch(/^ {2}override +npm run ops -- override --stage live /m);
    expect(stdout).toMatch(
      /^ {2}stop a canary +npm run ops -- stop --stage live --service <service>$/m,
    );
    expect(stdout).toMatch(
      /^ {2}Approve-live: manual approval +not counted +human time, asked for inside the window$/m,
    );
    expect(stdout).toMatch(
      /manual approval before live \(human time\) \+ waiting for the deployment window of live, not counted$/m,
    );
    // Printing alone writes nothing, and says the page is missing.
    expect(fs.existsSync(doc())).toBe(false);
    expect(stdout).toMatch(/docs\/pipeline\.md is out of date\. Fix: npm run plan -- --write$/);
  });

  test('--write writes docs/pipeline.md; --check then passes', () => {
    expect(runMain(['--write'], root)).toMatchObject({ code: EXIT.ok });
    expect(fs.readFileSync(doc(), 'utf8')).toMatch(/^# Delivery pipeline\n/);
    expect(runMain(['--check'], root)).toEqual({
      code: EXIT.ok,
      stdout: 'docs/pipeline.md is up to date.',
      stderr: '',
    });
    expect(runMain(['--write'], root).stdout).toMatch(/was already up to date\.$/);
  });

  test('--check fails on a stale or missing page, naming the file and the fix', () => {
    const missing = runMain(['--check'], root);
    expect(missing.code).toBe(EXIT.stale);
    expect(missing.stderr).toBe(
      'docs/pipeline.md does not exist. Fix: run `npm run plan -- --write` and commit docs/pipeline.md.',
    );
    runMain(['--write'], root);
    fs.appendFileSync(doc(), 'edited by hand\n');
    const stale = runMain(['--check'], root);
    expect(stale.code).toBe(EXIT.stale);
    expect(stale.stdout).toBe('');
    expect(stale.stderr).toMatch(
      /^docs\/pipeline\.md is out of date: .*Fix: run `npm run plan -- --write`/,
    );
  });

  test('--config prints the plan of the configuration in that folder, and writes nothing', () => {
    const folders: (string | undefined)[] = [];
    const load = (configRoot?: string) => {
      folders.push(configRoot);
      return stressModel();
    };
    const shown = runMain(['--config', 'examples/other'], root, load);
    expect(shown.code).toBe(EXIT.ok);
    expect(folders).toEqual(['examples/other']);
    expect(shown.stdout).toMatch(/^Delivery plan: pipeline /);
    expect(shown.stdout).not.toContain('docs/pipeline.md');
    expect(fs.existsSync(doc())).toBe(false);
    for (const flag of ['--write', '--check']) {
      expect(runMain(['--config', 'examples/other', flag], root, load)).toEqual({
        code: EXIT.usage,
        stdout: '',
        stderr:
          "plan: docs/pipeline.md describes the project's own configuration: --config only prints the plan of another",
      });
    }
    expect(runMain(['--config'], root, load).stderr).toBe(
      'plan: --config needs a folder (see --help)',
    );
  });

  test('a configuration error or a bad argument exits 2 with the reason', () => {
    const bad = runMain([], root, () => {
      throw new ConfigError('Stage "prod" (stages/prod.ts): services[0] is "nope", ...');
    });
    expect(bad.code).toBe(EXIT.usage);
    expect(bad.stderr).toContain('Stage "prod" (stages/prod.ts): services[0] is "nope"');
    expect(runMain(['--frobnicate'], root).stderr).toBe(
      'plan: unknown argument "--frobnicate" (see --help)',
    );
    expect(runMain(['--write', '--check'], root).code).toBe(EXIT.usage);
    expect(runMain(['--help'], root).stdout).toContain('npm run plan -- --check');
  });
});
