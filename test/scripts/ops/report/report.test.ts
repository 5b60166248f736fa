import * as fs from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { parseArgs } from '../../../../scripts/ops/options';
import {
  ACCOUNT,
  appModel,
  awsError,
  env,
  harness,
  OTHER_ACCOUNT,
  runOps,
  stageModel,
  type Harness,
} from '../harness';
import {
  ALARM,
  buildHistory,
  executionId,
  model,
  prod,
  ROLE,
  rollbackId,
  services,
  type History,
} from './fixture';
import { serveHistory } from './serve';

const history = buildHistory();

async function report(
  argv: string[],
  opts: { h?: Harness; history?: History; app?: typeof model; then?: (h: Harness) => void } = {},
) {
  const h = opts.h ?? harness();
  serveHistory(h, opts.history ?? history);
  opts.then?.(h);
  return { ...(await runOps(['report', ...argv], h, opts.app ?? model)), h };
}

/** The lines of the release of execution `i`: its row and the lines under it. */
function releaseLines(out: string[], stage: string, commit: string): string[] {
  const from = out.findIndex((l, n) => n > out.indexOf(stage) && l.includes(commit));
  const to = out.findIndex((l, n) => n > from && /^ {2}\d{4}-/.test(l));
  return out.slice(from, to < 0 ? undefined : to);
}

describe('the terminal table', () => {
  let out: string[];
  beforeAll(async () => {
    const r = await report(['--since', '30d']);
    expect(r.code).toBe(0);
    out = r.out;
  });
  const reasons = () => out.filter((l) => l.trim().startsWith('reason: '));

  test('names each rollback’s reason, in AWS’s words where it has them', () => {
    expect(reasons().map((l) => l.trim())).toEqual([
      'reason: deploy-action: ops-test-dev-payments.Deploy failed: Resource handler returned message: "Unable to publish a version: the function is being updated" (HandlerErrorCode: ResourceConflict)',
      'reason: smoke-tests: smoke tests SmokeTest-dev failed: Build failed: 1 of 4 synthetic checks failed (payments answers)',
      'reason: hook: payments in dev: deployment d-DP017K7Q Failed (HOOK_EXECUTION_FAILURE: The BeforeAllowTraffic hook ops-test-dev-payments-pre-hook reported Failed.); rolled back by d-DP017KRB1',
      `reason: alarm: payments in prod: deployment d-PP052K7Q Stopped (ALARM_ACTIVE: One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${ALARM}>); the release judge decided to roll back; rolled back by d-PP052KRB1`,
      `reason: manual-rollback: ${ROLE} rolled prod back to execution ${executionId(36)} (rollback execution ${rollbackId(2)})`,
      'reason: bake: bake of prod: rule Bake-prod failed (Alarm ops-test-prod-health in ALARM)',
      `reason: rolled-back: CodePipeline rolled prod back to execution ${executionId(24)} (rollback execution ${rollbackId(1)})`,
      `reason: alarm: payments in prod: deployment d-PP020K7Q Stopped (ALARM_ACTIVE: One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${ALARM}>); rolled back by d-PP020KRB1`,
    ]);
  });

  test('a release: commit, result, lead time, steps; services moved with their verdicts', () => {
    expect(releaseLines(out, 'prod (production: lead time ends here)', '2026-11-15 10:00')).toEqual(
      [
        '  2026-11-15 10:00  a0da0d1 "Raise the payments timeout (#…"  ✖ failed       -          approval 30m 00s · deploy 25m 00s',
        '                    payments 46 → 47  d-PP052K7Q Stopped  judge: roll back (240 invocations, 14 errors, 3 slow, 0 throttles, evidence 5.30)',
        '                    orders 20 → 21  d-PO052K7Q Succeeded',
        expect.stringMatching(
          /^ {20}reason: alarm: payments in prod: deployment d-PP052K7Q Stopped/,
        ),
      ],
    );
    expect(releaseLines(out, 'prod (production: lead time ends here)', '2026-11-19 12:00')).toEqual(
      [
        '  2026-11-19 12:00  db5ef3f "Cache the currency table (#14…"  ✔ succeeded    2h 04m     approval 30m 00s · deploy 25m 00s · smoke tests 2m 00s · bake 15m 00s',
        '                    payments 52 → 53  d-PP059K7Q Succeeded  judge: pass (1,490 invocations, 1 error, 4 slow, 0 throttles, evidence 0.25)',
      ],
    );
    // From the push, marked; CodeDeploy's own rollback deployment is not a service moved.
    expect(
      releaseLines(out, 'prod (production: lead time ends here)', '2026-11-11 22:00')[0],
    ).toContain('✔ succeeded    1h 44m*');
    expect(releaseLines(out, 'dev', '2026-10-26 00:00')).toEqual([
      '  2026-10-26 00:00  99ecd36 "Raise the payments timeout (#…"  ✖ failed       -          deploy 10m 00s',
      '                    payments 18 → 19  d-DP017K7Q Failed',
      expect.stringMatching(/^ {20}reason: hook: /),
    ]);
  });

  test('the release still running', () => {
    expect(releaseLines(out, 'prod (production: lead time ends here)', '2026-11-20 02:00')).toEqual(
      [
        '  2026-11-20 02:00  2e0b780 "Add refunds to payments (#150)"  … in progress  -          approval 31h 30m · deploy running',
        '                    payments 53 → 54  d-PP060K7Q InProgress',
      ],
    );
  });
});

describe('narrowing', () => {
  test('--stage prod reads prod’s deployment groups only', async () => {
    const { code, out, h } = await report(['--stage', 'prod']);
    expect(code).toBe(0);
    expect(out.some((l) => l === 'dev')).toBe(false);
    expect(out).toContain('prod (production: lead time ends here)');
    const groups = h
      .calls('codedeploy')
      .filter(([name]) => name === 'ListDeployments')
      .map(([, i]) => (i as { deploymentGroupName: string }).deploymentGroupName);
    expect(new Set(groups)).toEqual(new Set(['ops-test-prod-payments', 'ops-test-prod-orders']));
  });

  test('--service: only the releases that moved it', async () => {
    const { code, out } = await report(['--stage', 'prod', '--service', 'orders', '--json']);
    expect(code).toBe(0);
    const [stage] = JSON.parse(out.join('\n')).stages;
    // orders moves in every third execution: of 3, 6, … 48, all reached prod's deploy but 12
    // (no dev), 15 (rejected), 21 (superseded) and 33 (failed dev): 12.
    expect(stage.releases).toBe(12);
    expect(
      stage.releaseList.every((r: { deployments: { service: string }[] }) =>
        r.deployments.every((d) => d.service === 'orders'),
      ),
    ).toBe(true);
    // 42's alarm was payments': the release failed all the same.
    expect(stage.failed).toBe(1);
  });

  test('an environment out of reach: the figures from CodePipeline, and which was not read', async () => {
    const far = stageModel(services, 'prod', {
      smokeTests: true,
      bakeMinutes: 15,
      waves: [[env('prod', OTHER_ACCOUNT)]],
    });
    const app = appModel([model.stages[0], far]);
    const { code, out } = await report(['--stage', 'prod'], { app });
    expect(code).toBe(0);
    expect(out).toContain(
      '✖ not read: prod of stage prod: not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
    );
    // The same four failures, their causes from CodePipeline alone.
    expect(out).toContain('  change failure rate    9.76% (4 of 41 finished releases failed)');
  });

  test('verdicts CloudWatch refuses: the report without them, and why', async () => {
    const { code, out } = await report(['--stage', 'prod'], {
      then: (h) =>
        h.mocks.cloudwatch
          .on(GetMetricDataCommand)
          .rejects(
            awsError(
              'AccessDeniedException',
              'not authorized to perform: cloudwatch:GetMetricData',
            ),
          ),
    });
    expect(code).toBe(0);
    expect(out[out.length - 1]).toBe(
      '✖ not read: canary verdicts in stage prod (CloudWatch GetMetricData): AccessDeniedException: not authorized to perform: cloudwatch:GetMetricData',
    );
  });
});

describe('--json and --out', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ops-report-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--json prints one JSON document and nothing else', async () => {
    const { code, out } = await report(['--json']);
    expect(code).toBe(0);
    const doc = JSON.parse(out.join('\n'));
    expect(Object.keys(doc)).toEqual([
      'pipeline',
      'window',
      'historyDays',
      'executions',
      'stages',
      'unread',
    ]);
    expect(doc.window).toEqual({
      start: '2026-10-22T10:07:30.000Z',
      end: '2026-11-21T10:07:30.000Z',
    });
    const failed = doc.stages[1].releaseList.find(
      (r: { executionId: string }) => r.executionId === executionId(37),
    );
    expect(failed).toMatchObject({
      outcome: 'failed',
      failures: [{ kind: 'manual-rollback', at: '2026-11-12T16:44:00.000Z' }],
      steps: [
        { name: 'approval', durationMs: 30 * 60_000 },
        { name: 'deploy', durationMs: 25 * 60_000 },
        { name: 'smoke tests', durationMs: 2 * 60_000 },
        { name: 'bake', durationMs: 15 * 60_000 },
      ],
    });
  });

  test('a Markdown file with a Mermaid chart of the weeks', async () => {
    const file = path.join(dir, 'delivery.md');
    const { code, out } = await report(['--out', file]);
    expect(code).toBe(0);
    expect(out[out.length - 1]).toBe(`Chart written to ${file}`);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(
      [
        '```mermaid',
        'xychart-beta',
        '  title "prod: releases a week (bars succeeded, line failed)"',
        '  x-axis ["Oct 19", "Oct 26", "Nov 2", "Nov 9", "Nov 16"]',
        '  y-axis "releases" 0 --> 9',
        '  bar [6, 8, 9, 8, 6]',
        '  line [0, 1, 1, 2, 0]',
        '```',
      ].join('\n'),
    );
    expect(text).toContain('| change failure rate | 9.76% (4 of 41 finished releases failed) |');
    expect(text).toContain('| Nov 9 | 8 | 2 |');
    expect(fs.readdirSync(dir)).toEqual(['delivery.md']);
  });

  test('an HTML file for .html: one page, no script, nothing from elsewhere', async () => {
    const file = path.join(dir, 'delivery.html');
    const { code } = await report(['--stage', 'prod', '--out', file, '--json']);
    expect(code).toBe(0);
    const html = fs.readFileSync(file, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).toContain('<title>Nov 16 succeeded: 6</title>');
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  test('nothing is written without --out; an existing file is replaced whole', async () => {
    const before = fs.readdirSync(dir);
    await report(['--stage', 'prod']);
    expect(fs.readdirSync(dir)).toEqual(before);
    const file = path.join(dir, 'delivery.md');
    fs.writeFileSync(file, 'old');
    await report(['--stage', 'dev', '--out', file]);
    expect(fs.readFileSync(file, 'utf8').startsWith('# Delivery record of pipeline ops-test')).toBe(
      true,
    );
    expect(fs.readdirSync(dir)).toEqual(['delivery.md']);
  });
});

describe('bad input: one line, exit 1', () => {
  const empty: History = {
    executions: [],
    deployments: new Map(),
    targets: new Map(),
    verdicts: new Map(),
  };
  test.each<[string, string[], string]>([
    [
      'an unknown stage',
      ['--stage', 'qa'],
      'ops: unknown stage "qa": the stages (stages/index.ts) are dev, prod',
    ],
    [
      'a malformed --since',
      ['--since', '30'],
      'ops: --since needs a duration such as 30d, 2w or 12h, or a day such as 2026-10-01, got "30" (see --help)',
    ],
    [
      'a day that does not exist',
      ['--since', '2026-02-30'],
      'ops: --since needs a duration such as 30d, 2w or 12h, or a day such as 2026-10-01, got "2026-02-30" (see --help)',
    ],
    ['--since without a value', ['--since'], 'ops: --since needs a value (see --help)'],
    [
      '--since beyond the history kept',
      ['--since', '400d'],
      'ops: --since 400d reaches further back than the 12 months of execution history CodePipeline keeps: use 365d or less',
    ],
    [
      '--since in the future',
      ['--since', '2026-12-01'],
      'ops: --since 2026-12-01 starts at 2026-12-01 00:00:00 UTC, not before now (2026-11-21 10:07:30 UTC): name a day in the past',
    ],
    ['an unknown option', ['--force'], 'ops: unknown option "--force" (see --help)'],
    [
      'a wave',
      ['--stage', 'prod', '--wave', '1'],
      'ops: report reads every wave and environment of a stage: drop --wave (narrow it with --stage and --service)',
    ],
    [
      'an unknown service in a stage',
      ['--stage', 'prod', '--service', 'ledger'],
      'ops: unknown service "ledger" in stage prod: it runs payments and orders',
    ],
    [
      'an unknown service',
      ['--service', 'ledger'],
      'ops: unknown service "ledger": the stages run payments and orders',
    ],
    [
      '--out in a folder that does not exist',
      ['--out', '/nowhere/at/all/delivery.md'],
      'ops: --out /nowhere/at/all/delivery.md: the folder /nowhere/at/all does not exist: create it or name another file',
    ],
  ])('%s', async (_, argv, line) => {
    const { code, out, err, h } = await report(argv);
    expect(err).toEqual([line]);
    expect(code).toBe(1);
    expect(out).toEqual([]);
    expect(h.calls('codepipeline')).toEqual([]);
  });

  test('no history in the window', async () => {
    const { code, err } = await report([], { history: empty });
    expect(code).toBe(1);
    expect(err).toEqual([
      'ops: pipeline ops-test has no execution since 2026-10-22 10:07:30 UTC: widen --since (CodePipeline keeps 12 months of executions), or push to run it',
    ]);
  });

  test('executions, but no release of the stage', async () => {
    const builds = history.executions.filter((e) =>
      [executionId(12), executionId(40)].includes(e.summary.pipelineExecutionId!),
    );
    const { code, err } = await report(['--stage', 'dev'], {
      history: { ...history, executions: builds },
    });
    expect(code).toBe(1);
    expect(err).toEqual([
      'ops: no release of dev since 2026-10-22 10:07:30 UTC: none of the 2 executions since then entered its deploy; widen --since',
    ]);
  });

  test('AWS out of reach is not bad input: exit 2', async () => {
    const h = harness({ account: OTHER_ACCOUNT });
    const { code, err } = await report([], { h });
    expect(code).toBe(2);
    expect(err).toEqual([
      `ops: report acts on pipeline ops-test in account ${ACCOUNT}, not reachable with the credentials of account ${OTHER_ACCOUNT}: use credentials for account ${ACCOUNT}, e.g. AWS_PROFILE=<a profile of account ${ACCOUNT}>`,
    ]);
  });

  test('the other commands keep exit 2 for usage errors', async () => {
    const h = harness();
    expect((await runOps(['status', '--since', '30'], h, model)).code).toBe(2);
    expect((await runOps(['status', '--stage', 'qa'], h, model)).code).toBe(2);
    // A command named in a value is not the command.
    expect((await runOps(['status', '--service', 'report', '--force'], h, model)).code).toBe(2);
  });
});

test('the options of report', () => {
  expect(
    parseArgs(['report', '--since=2w', '--json', '--out', 'x.md', '--stage', 'prod']),
  ).toMatchObject({
    command: 'report',
    stage: 'prod',
    since: { ago: 14 * 86_400_000, text: '2w' },
    json: true,
    out: 'x.md',
  });
  expect(parseArgs(['report', '--since', '2026-10-01']).since).toEqual({
    day: new Date('2026-10-01T00:00:00Z'),
    text: '2026-10-01',
  });
  expect(parseArgs(['report']).since).toBeUndefined();
  expect(prod.name).toBe('prod');
});
