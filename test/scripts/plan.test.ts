import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError } from '../../lib/config/config-error';
import { loadApp } from '../../lib/config/load';
import type { AppModel } from '../../lib/config/model';
import { EXIT, main } from '../../lib/plan/cli';
import { buildPlan } from '../../lib/plan/plan';
import { stressModel } from '../lib/plan/model-fixture';

const ROOT = path.resolve(__dirname, '..', '..');

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

describe('npm run plan (child process)', () => {
  jest.setTimeout(60_000);

  test('prints every stage, strategy, approval and service of the real configuration', () => {
    const result = spawnSync('npm', ['run', '--silent', 'plan'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const plan = buildPlan(loadApp(ROOT));
    plan.stages.forEach((stage, index) => {
      const heading = `Stage ${index + 1} of ${plan.stages.length}: ${stage.name} (${stage.env.account} / ${stage.env.region})`;
      const block = result.stdout.slice(result.stdout.indexOf(heading)).split('\n\n')[0];
      expect(block).toContain(heading);
      expect(block).toMatch(new RegExp(`^ {2}strategy +${stage.strategy.label} `, 'm'));
      expect(block).toMatch(
        stage.approval
          ? /^ {2}approval +manual approval before this stage$/m
          : /^ {2}approval +none before this stage$/m,
      );
      for (const service of stage.services) {
        expect(block).toMatch(new RegExp(`^ {2}service ${service.name}$`, 'm'));
      }
    });
    expect(result.stdout).toMatch(/^Release time, push to \w+ \(estimate/m);
    expect(result.stdout).toMatch(/^ {2}total: ~\d+ min \(estimate; /m);
  });
});

describe('plan main()', () => {
  let root: string;
  const doc = () => path.join(root, 'docs', 'pipeline.md');
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-cli-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  test('prints stages, strategies, approvals, smoke tests, services, alarms and hooks', () => {
    const { code, stdout } = runMain([], root);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('Stage 2 of 3: staging (444444444444 / eu-west-1)');
    expect(stdout).toMatch(/^ {2}strategy +CANARY_25PERCENT_5MINUTES \(custom: 25% for 5 min/m);
    expect(stdout).toMatch(/^ {2}smoke tests +after this stage: 4 synthetic checks$/m);
    expect(stdout).toMatch(/^ {2}service order-history$/m);
    expect(stdout).toMatch(
      /^ {4}alarms +error rate > 5% \(from 20 invocations\/min\), p99 > 2500 ms \(2 of 3 min\), throttles ≥ 10\/min$/m,
    );
    expect(stdout).toMatch(/^ {4}hooks +pre-traffic: new version; post-traffic: live alias$/m);
    expect(stdout).toMatch(/^ {4}checks +1 synthetic check$/m);
    expect(stdout).toMatch(/^ {2}staging: manual approval +not counted +human time$/m);
    expect(stdout).toMatch(/manual approvals before staging, prod \(human time, not counted\)$/m);
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
