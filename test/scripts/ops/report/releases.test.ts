import type { ExecutionRecord } from '../../../../scripts/ops/report/history';
import type { Release } from '../../../../scripts/ops/report/model';
import { productionStage, stageHistory } from '../../../../scripts/ops/report/releases';
import { ACCOUNT, appModel, env, serviceModel, stageModel } from '../harness';
import {
  action,
  buildHistory,
  commitId,
  dev,
  executionId,
  model,
  prod,
  ROLE,
  rollbackId,
  rule,
  startOf,
} from './fixture';

const history = buildHistory();
const minutes = (i: number, m: number) => new Date(startOf(i).getTime() + m * 60_000);
const byNumber = (releases: readonly Release[]) =>
  new Map(releases.map((r) => [Number(r.executionId.slice(0, 8)), r]));

describe('the releases of the fixture history, from CodePipeline alone', () => {
  const devHistory = stageHistory(model, dev, history.executions);
  const prodHistory = stageHistory(model, prod, history.executions);
  const devReleases = byNumber(devHistory.releases);
  const prodReleases = byNumber(prodHistory.releases);

  test('a release is an execution that entered the stage’s deploy', () => {
    // Not in dev: 12 failed its build, 40 was stopped during it; -1 and 0 are the older two,
    // which the history also holds here.
    expect([...devReleases.keys()].sort((a, b) => a - b)).toEqual(
      [90, 91, ...Array.from({ length: 50 }, (_, i) => i + 1)]
        .filter((i) => ![12, 40].includes(i))
        .sort((a, b) => a - b),
    );
    // Not in prod besides: 7, 33 and 47 failed dev; 15 and 28 were rejected at the approval;
    // 21 was superseded before it reached prod.
    for (const i of [7, 12, 15, 21, 28, 33, 40, 47]) expect(prodReleases.has(i)).toBe(false);
    expect(prodHistory.rejected).toBe(2);
    expect(devHistory.rejected).toBe(0);
    expect(prodReleases.size).toBe(44); // 42 in the window and the 2 older
  });

  test('outcomes and the first cause of each failure, oldest first', () => {
    const failed = (releases: Map<number, Release>) =>
      [...releases]
        .filter(([, r]) => r.outcome !== 'succeeded')
        .map(([i, r]) => [i, r.outcome, r.failures.map((f) => f.kind)]);
    expect(failed(devReleases)).toEqual([
      // CodePipeline alone sees a failed deploy action; CodeDeploy tells it was the hook.
      [7, 'failed', ['deploy-action']],
      [33, 'failed', ['smoke-tests']],
      [47, 'failed', ['deploy-action']],
    ]);
    expect(failed(prodReleases)).toEqual([
      [10, 'failed', ['deploy-action']],
      [25, 'failed', ['bake', 'rolled-back']],
      [37, 'failed', ['manual-rollback']],
      [42, 'failed', ['deploy-action']],
      [50, 'in-progress', []],
    ]);
  });

  test('the reasons name the bake’s rule and the rollbacks’ executions', () => {
    expect(prodReleases.get(25)!.failures).toEqual([
      {
        kind: 'bake',
        at: minutes(25, 95),
        text: 'bake of prod: rule Bake-prod failed (Alarm ops-test-prod-health in ALARM)',
      },
      {
        kind: 'rolled-back',
        at: minutes(25, 95),
        text: `CodePipeline rolled prod back to execution ${executionId(24)} (rollback execution ${rollbackId(1)})`,
      },
    ]);
    // A person rolled 37 back three hours after it had succeeded.
    expect(prodReleases.get(37)!.failures).toEqual([
      {
        kind: 'manual-rollback',
        at: minutes(37, 104 + 180),
        text: `${ROLE} rolled prod back to execution ${executionId(36)} (rollback execution ${rollbackId(2)})`,
      },
    ]);
    expect(devReleases.get(33)!.failures[0].text).toBe(
      'smoke tests SmokeTest-dev failed: Build failed: 1 of 4 synthetic checks failed (payments answers)',
    );
  });

  test('a superseded execution completed every stage it ran; a retried action counts once', () => {
    expect(devReleases.get(21)!.outcome).toBe('succeeded');
    expect(devReleases.get(21)!.end).toEqual(minutes(21, 32));
    // 44's smoke tests failed, then passed on a retry: dev ends with the retry.
    const retried = devReleases.get(44)!;
    expect(retried.outcome).toBe('succeeded');
    expect(retried.end).toEqual(minutes(44, 52));
    expect(retried.steps).toEqual([
      { name: 'deploy', start: minutes(44, 20), end: minutes(44, 30) },
      { name: 'smoke tests', start: minutes(44, 50), end: minutes(44, 52) },
    ]);
  });

  test('steps, deploy actions and the end of a release in prod', () => {
    const r = prodReleases.get(22)!;
    // 22 entered prod 162 minutes after dev, when 20 left it; approved after 10 minutes.
    const P = 32 + 162;
    expect(r.start).toEqual(minutes(22, P));
    expect(r.end).toEqual(minutes(22, P + 10 + 42));
    expect(r.steps.map((s) => [s.name, s.start, s.end])).toEqual([
      ['approval', minutes(22, P), minutes(22, P + 10)],
      ['deploy', minutes(22, P + 10), minutes(22, P + 35)],
      ['smoke tests', minutes(22, P + 35), minutes(22, P + 37)],
      ['bake', minutes(22, P + 37), minutes(22, P + 52)],
    ]);
    expect(r.deployActions).toEqual([
      {
        environment: 'prod',
        stackName: 'ops-test-prod-payments',
        start: minutes(22, P + 12),
        end: minutes(22, P + 35),
      },
      {
        environment: 'prod',
        stackName: 'ops-test-prod-orders',
        start: minutes(22, P + 12),
        end: minutes(22, P + 35),
      },
    ]);
    // The one running: approved, its deploy without an end.
    const running = prodReleases.get(50)!;
    expect(running.end).toBeUndefined();
    expect(running.steps.map((s) => [s.name, s.end === undefined])).toEqual([
      ['approval', false],
      ['deploy', true],
    ]);
  });

  test('the commit time is the source action’s AuthorDate, else the execution’s start', () => {
    expect(prodReleases.get(5)!.commit).toEqual({
      id: commitId(5),
      message: 'Add refunds to payments (#105)',
      time: minutes(5, -90),
      timeFrom: 'author-date',
    });
    expect(prodReleases.get(3)!.commit).toEqual({
      id: commitId(3),
      // No output variables: the message from the source revision's summary.
      message: 'Log the order id on errors (#103)',
      time: startOf(3),
      timeFrom: 'execution-start',
    });
  });

  test('the production stage is the last behind an approval, else the last', () => {
    expect(productionStage(model)).toBe(prod);
    const open = stageModel([serviceModel('payments')], 'qa', { requiresApproval: false });
    const gated = stageModel([serviceModel('payments')], 'live', { requiresApproval: true });
    expect(productionStage(appModel([gated, open])).name).toBe('live');
    expect(productionStage(appModel([open])).name).toBe('qa');
    expect(stageHistory(model, dev, history.executions).production).toBe(false);
  });
});

describe('a stage in two waves', () => {
  const edge = stageModel([serviceModel('payments')], 'edge', {
    waves: [[env('edge-eu')], [env('edge-us', ACCOUNT, 'us-east-1'), env('edge-ap')]],
  });
  const app = appModel([edge]);
  const t0 = new Date('2026-11-10T09:00:00Z');
  const at = (m: number) => new Date(t0.getTime() + m * 60_000);
  const wave1 = (id: string, status: 'Succeeded' | 'Failed' = 'Succeeded') => [
    action(id, 'edge-edge-eu', 'Approve-edge', 'Approval', at(0), at(5)),
    action(id, 'edge-edge-eu', 'ops-test-edge-payments.Deploy', 'Deploy', at(5), at(20), status),
  ];
  const wave2 = (id: string, failing?: string) =>
    ['edge-us', 'edge-ap'].map((e) =>
      action(
        id,
        'edge-wave2',
        `edge-${e}.ops-test-edge-payments.Deploy`,
        'Deploy',
        at(30),
        at(50),
        e === failing ? 'Failed' : 'Succeeded',
      ),
    );
  const record = (
    id: string,
    status: ExecutionRecord['summary']['status'],
    actions: ExecutionRecord['actions'],
    rules: ExecutionRecord['rules'] = [],
  ): ExecutionRecord => ({
    summary: { pipelineExecutionId: id, status, startTime: t0, executionType: 'STANDARD' },
    actions,
    rules,
  });

  const releases = byNumber(
    stageHistory(app, edge, [
      record('00000001', 'Succeeded', [...wave1('00000001'), ...wave2('00000001')]),
      record('00000002', 'Failed', [...wave1('00000002'), ...wave2('00000002', 'edge-ap')]),
      // Waited for wave 2 and was superseded there: wave 1 done, the stage not.
      record('00000003', 'Superseded', wave1('00000003')),
      // Wave 2's entry condition failed it.
      record('00000004', 'Failed', wave1('00000004'), [
        rule('00000004', 'edge-wave2', 'Healthy-edge-us', at(21), at(22), 'Failed', 'In ALARM'),
      ]),
      record('00000005', 'InProgress', wave1('00000005')),
      // Its bake failed, and a person retried the stage: the second bake passed.
      record(
        '00000006',
        'Succeeded',
        [...wave1('00000006'), ...wave2('00000006')],
        [
          rule('00000006', 'edge-edge-eu', 'Bake-edge-eu', at(20), at(24), 'Failed', 'In ALARM'),
          rule('00000006', 'edge-edge-eu', 'Bake-edge-eu', at(26), at(29), 'Succeeded', 'OK'),
        ],
      ),
    ]).releases,
  );

  test('succeeds when every wave did; fails in the wave that failed', () => {
    expect([...releases].map(([i, r]) => [i, r.outcome, r.failures.map((f) => f.text)])).toEqual([
      [1, 'succeeded', []],
      [2, 'failed', ['edge-edge-ap.ops-test-edge-payments.Deploy failed']],
      [3, 'superseded', []],
      [4, 'failed', ['entry condition of edge-wave2: rule Healthy-edge-us failed (In ALARM)']],
      [5, 'in-progress', []],
      [6, 'succeeded', []],
    ]);
    expect(releases.get(1)!.end).toEqual(at(50));
  });

  test('steps by wave, and a deploy action per environment', () => {
    const r = releases.get(1)!;
    expect(r.steps.map((s) => s.name)).toEqual([
      'wave 1 approval',
      'wave 1 deploy',
      'wave 2 deploy',
    ]);
    expect(r.deployActions.map((a) => a.environment)).toEqual(['edge-eu', 'edge-us', 'edge-ap']);
    expect(r.pipelineStages.map((p) => p.name)).toEqual(['edge-edge-eu', 'edge-wave2']);
  });
});
