import { LambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import type { AppModel, StageModel } from '../../../lib/config/model';
import { PREDEFINED_CONFIGS, Strategy } from '../../../lib/config/strategy';
import { codeDeployConfig, describeCodeDeployConfig } from '../../../lib/plan/codedeploy';
import { groupServices, wrapList } from '../../../lib/plan/groups';
import { PIPELINE_DOC, renderPipelineDoc } from '../../../lib/plan/markdown';
import { mermaidId, mermaidLabel, renderMermaid } from '../../../lib/plan/mermaid';
import { buildPlan } from '../../../lib/plan/plan';
import { evidenceText } from '../../../lib/plan/release';
import { renderPlanText } from '../../../lib/plan/text';
import {
  ESTIMATED_MINUTES,
  formatTotal,
  JUDGEMENT_MINUTES,
  releaseTiming,
} from '../../../lib/plan/timing';
import {
  fleetAlarmName,
  latticeServiceName,
  monitoringStackName,
  pipelineStageName,
  stageHealthAlarmName,
  verdictAlarmName,
} from '../../../lib/resource-names';
import { judgePolicy } from '../../../lib/service/judge-policy';
import { parseArgs } from '../../../scripts/ops/options';
import { appModel, manyServices, service, stage, stressModel, WINDOW } from './model-fixture';

const FIXED =
  ESTIMATED_MINUTES.source.minutes +
  ESTIMATED_MINUTES.build.minutes +
  ESTIMATED_MINUTES.selfMutation.minutes +
  ESTIMATED_MINUTES.assetPublishing.minutes +
  ESTIMATED_MINUTES.monitoring.minutes;
const DEPLOY = ESTIMATED_MINUTES.waveDeploy.minutes;

/** The stress model's last stage: two waves, window, blocker, bake, approval, smoke tests. */
const inWaves = (model: AppModel) => model.stages.find((s) => s.waves.length > 1)!;

describe(PIPELINE_DOC, () => {
  test('has no timestamp or other run-dependent content', () => {
    const model = stressModel();
    expect(renderPipelineDoc(buildPlan(model))).toBe(renderPipelineDoc(buildPlan(model)));
    expect(renderPlanText(buildPlan(model))).toBe(renderPlanText(buildPlan(model)));
    expect(renderPipelineDoc(buildPlan(model))).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  test('explains how a release is judged, the bake, windows, the blocker, overriding, rolling back and the Monitoring wave', () => {
    const doc = renderPipelineDoc(buildPlan(stressModel()));
    for (const heading of [
      '## Before any stage: the Monitoring wave',
      '## Stages and waves',
      '## How a release is judged',
      '## VPC Lattice front doors',
      '## Deployment windows, the alarm blocker, and overriding them',
      '## The bake',
      '## Rolling back',
    ]) {
      expect(doc).toContain(`\n${heading}\n`);
    }
    expect(doc).toContain('judged on the **new version only**');
    expect(doc).toMatch(/exist before a stage's\s+first release/);
    expect(doc).toContain('`npm run ops -- override --stage live`');
    expect(doc).toContain('`npm run ops -- stop --stage live --service <service>`');
    expect(doc).toContain(
      '`npm run ops -- rollback --stage live --wave 2`, then `npm run ops -- rollback --stage live --wave 1`',
    );
    expect(doc).toContain(`\`${WINDOW.cron}\` ${WINDOW.timeZone}`);
  });
});

describe('release timing', () => {
  test('counts the fixed overheads, then per wave its deploy, longest traffic shift, judgement at 100% and bake (smoke tests beside it)', () => {
    const model = stressModel();
    const timing = releaseTiming(model.stages);
    // qa: all at once, no smoke tests, no bake, no judgement. live: linear 20% every 3 min =
    // 4 × 3 = 12 min (longer than its canary of 5 min), in two waves, each judged at 100% and
    // baked 20 min with the smoke tests beside the bake.
    const live = DEPLOY + 12 + JUDGEMENT_MINUTES + 20;
    expect(timing.shiftMinutes).toBe(0 + 2 * 12);
    expect(timing.bakeMinutes).toBe(2 * 20);
    expect(timing.judgementMinutes).toBe(2 * JUDGEMENT_MINUTES);
    expect(timing.totalMinutes).toBe(FIXED + DEPLOY + 0 + 2 * live);
    // The pipeline's own steps until the last wave reaches 100%: the overheads, qa's deploy,
    // and the deploys of both waves of live (its shifts, judgements and bakes apart).
    expect(timing.overheadMinutes).toBe(FIXED + DEPLOY + 2 * DEPLOY);
    expect(timing.approvals).toEqual(['live']);
    expect(timing.windows).toEqual(['live']);
    expect(timing.steps.map((s) => s.label).filter((l) => /^(live|Approve-live)/.test(l))).toEqual([
      'Approve-live: manual approval',
      'live-live-eu: deployment window',
      'live-live-eu: alarm blocker',
      'live-live-eu: deploy (CloudFormation, CodeDeploy)',
      'live-live-eu: traffic shift',
      'live-live-eu: judged at 100%',
      'live-live-eu: bake (smoke tests beside it)',
      'live-wave2: deployment window',
      'live-wave2: alarm blocker',
      'live-wave2: deploy (CloudFormation, CodeDeploy, 2 environments)',
      'live-wave2: traffic shift',
      'live-wave2: judged at 100%',
      'live-wave2: bake (smoke tests beside it)',
    ]);
  });

  test('every wave adds a full traffic shift, judgement and bake, however many environments it has', () => {
    const model = stressModel();
    const staged = inWaves(model);
    const oneWave: StageModel = {
      ...staged,
      waves: [{ index: 1, environments: staged.waves.flatMap((w) => w.environments) }],
    };
    const perWave = (stages: readonly StageModel[]) => releaseTiming(stages).totalMinutes;
    const difference = perWave(model.stages) - perWave([model.stages[0], oneWave]);
    const shift = buildPlan(model).stages.find((s) => s.name === staged.name)!.shiftMinutes;
    expect(difference).toBe(DEPLOY + shift + JUDGEMENT_MINUTES + staged.bakeMinutes);
  });

  test('names the service that sets the window, every one that ties, and counts the rest', () => {
    const timing = releaseTiming(stressModel().stages);
    const shift = (label: string) => timing.steps.find((s) => s.label === label);
    expect(shift('live-live-eu: traffic shift')).toMatchObject({
      minutes: 12,
      basis: 'configured',
    });
    expect(shift('live-live-eu: traffic shift')?.note).toBe(
      'LINEAR_20PERCENT_EVERY_3MINUTES, longest of 2 services (order-history)',
    );
    expect(shift('qa: traffic shift')?.note).toBe(
      'ALL_AT_ONCE, longest of 2 services (order-history, payments)',
    );
    expect(shift('bulk-bulk-eu: traffic shift')).toBeUndefined();
    const bulk = releaseTiming(manyServices(200).stages);
    expect(bulk.steps.find((s) => s.label === 'bulk-bulk-eu: traffic shift')?.note).toBe(
      'CANARY_10PERCENT_5MINUTES, longest of 200 services (service-0, service-1, service-2 and 197 more)',
    );
  });

  test('approvals and windows are waiting: listed, never counted', () => {
    const one = stage('solo', Strategy.canary(10, 7), [service('a', Strategy.canary(10, 7))]);
    const waiting = releaseTiming([{ ...one, requiresApproval: true, deploymentWindow: WINDOW }]);
    const without = releaseTiming([one]);
    expect(waiting.totalMinutes).toBe(without.totalMinutes);
    expect(without.totalMinutes).toBe(FIXED + DEPLOY + 7 + JUDGEMENT_MINUTES);
    expect(waiting.steps.filter((s) => s.minutes === undefined)).toEqual([
      {
        label: 'Approve-solo: manual approval',
        basis: 'human',
        note: 'human time, asked for inside the window',
      },
      {
        label: 'solo: deployment window',
        basis: 'window',
        note: `waits until ${WINDOW.cron} (${WINDOW.timeZone}) is open`,
      },
    ]);
    expect(formatTotal(waiting)).toBe(
      `~${FIXED + DEPLOY + 7 + JUDGEMENT_MINUTES} min (estimate; of it 7 min traffic shifts, ${JUDGEMENT_MINUTES} min judgement at 100% and 0 min bakes; the pipeline's own steps to 100% in the last stage ~${FIXED + DEPLOY} min) + manual approval before solo (human time) + waiting for the deployment window of solo, not counted`,
    );
    expect(formatTotal(without)).not.toContain('not counted');
  });

  test('every overhead is an estimate that says what it is made of; only shifts, judgements and bakes are configured', () => {
    const plan = buildPlan(stressModel());
    for (const step of plan.timing.steps) {
      if (step.basis === 'estimate') {
        expect(Object.values(ESTIMATED_MINUTES).map((e) => e.parts)).toContain(step.note);
      }
      if (step.basis === 'configured') {
        expect(step.label).toMatch(/: (traffic shift|judged at 100%|bake.*)$/);
      }
    }
    const text = renderPlanText(plan);
    expect(text).toMatch(
      /^ {2}build, tests, synth and compliance gate +~4 min +CodeBuild start ~1, npm ci from the cached npm folder/m,
    );
    expect(text).toMatch(
      /^ {2}live-wave2: bake \(smoke tests beside it\) +20 min +bakeMinutes of the stage entry/m,
    );
    expect(text).toContain('(human time) + waiting for the deployment window of live, not counted');
  });
});

describe('Mermaid ids', () => {
  test('turn hyphens and other characters into underscores', () => {
    expect(mermaidId('svc', 'prod', 'order-history')).toBe('svc_prod_order_history');
    expect(mermaidId('a b.c/d"e', '--x--')).toBe('a_b_c_d_e_x');
  });

  test('start with a letter and are never a keyword', () => {
    expect(mermaidId('end')).toBe('n_end');
    expect(mermaidId('Subgraph')).toBe('n_Subgraph');
    expect(mermaidId('2fa')).toBe('n_2fa');
    expect(mermaidId('-')).toBe('n_');
  });

  test('labels escape what Mermaid would parse', () => {
    expect(mermaidLabel('a "b" <c> #1 & d', 'second')).toBe(
      '"a #quot;b#quot; #lt;c#gt; #35;1 #amp; d<br/>second"',
    );
  });
});

describe('the diagram', () => {
  const parse = (diagram: string) => ({
    defined: [...diagram.matchAll(/^\s+(?:subgraph )?([^\s[{(]+)\s?[[{(]/gm)].map((m) => m[1]),
    edges: [...diagram.matchAll(/^\s+(\S+) --> (\S+)$/gm)].map((m) => [m[1], m[2]]),
    stops: [...diagram.matchAll(/^\s+(\S+) -\.->\|[^|]+\| (\S+)$/gm)].map((m) => [m[1], m[2]]),
  });

  test('has valid, unique ids, and every edge joins defined nodes', () => {
    const { defined, edges, stops } = parse(renderMermaid(buildPlan(stressModel())));
    expect(new Set(defined).size).toBe(defined.length);
    for (const id of defined) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    for (const [from, to] of [...edges, ...stops]) {
      expect(defined).toEqual(expect.arrayContaining([from, to]));
    }
  });

  test('draws one chain: build, Monitoring, then per wave its approval, entry, environments, smoke tests and bake', () => {
    const plan = buildPlan(stressModel());
    const { edges } = parse(renderMermaid(plan));
    // A chain: every node but the first has one edge in, every node but the last one edge out.
    const chain = [edges[0][0], ...edges.map(([, to]) => to)];
    expect(new Set(chain).size).toBe(chain.length);
    expect(chain.slice(0, 5)).toEqual(['source', 'build', 'self_mutation', 'assets', 'monitoring']);
    const waveSteps = plan.stages.flatMap((s) =>
      s.waves.flatMap((w) => [
        ...(w.approval ? [mermaidId('approve', s.name, `w${w.index}`)] : []),
        ...(w.entry ? [mermaidId('entry', s.name, `w${w.index}`)] : []),
        mermaidId('wave', s.name, `w${w.index}`),
        ...(w.smokeTest ? [mermaidId('smoke', s.name, `w${w.index}`)] : []),
        ...(w.bake ? [mermaidId('bake', s.name, `w${w.index}`)] : []),
      ]),
    );
    expect(chain.slice(5)).toEqual(waveSteps);
  });

  test('shows what stops a release: every wave, smoke test and bake', () => {
    const plan = buildPlan(stressModel());
    const { stops } = parse(renderMermaid(plan));
    const expected = plan.stages.flatMap((s) =>
      s.waves.flatMap((w) =>
        ['wave', ...(w.smokeTest ? ['smoke'] : []), ...(w.bake ? ['bake'] : [])].map((kind) =>
          mermaidId(kind, s.name, `w${w.index}`),
        ),
      ),
    );
    expect(stops.map(([from]) => from)).toEqual(expected);
    expect(new Set(stops.map(([, to]) => to)).size).toBe(1);
  });

  test('has one node per environment, not per service, so it stays readable at 200 services', () => {
    const nodes = (count: number) => parse(renderMermaid(buildPlan(manyServices(count)))).defined;
    expect(nodes(200)).toHaveLength(nodes(1).length);
  });
});

describe('CodeDeploy configs', () => {
  test.each(PREDEFINED_CONFIGS)('%s has the name CDK gives it', (name) => {
    expect(codeDeployConfig(Strategy.predefined(name))).toEqual({
      name: LambdaDeploymentConfig[name].deploymentConfigName,
    });
  });

  test('custom strategies become time-based traffic routings', () => {
    expect(describeCodeDeployConfig(codeDeployConfig(Strategy.canary(25, 5)))).toBe(
      'custom: 25% for 5 min, then 100%',
    );
    expect(describeCodeDeployConfig(codeDeployConfig(Strategy.linear(20, 3)))).toBe(
      'custom: +20% every 3 min',
    );
  });
});

describe('the plan', () => {
  const model = stressModel();
  const plan = buildPlan(model);

  test("deploys every stage's monitoring first, once per environment of each stage", () => {
    expect(plan.monitoring.stacks.map((m) => [m.stage, m.environment.name])).toEqual(
      model.stages.flatMap((s) =>
        s.waves.flatMap((w) => w.environments.map((e) => [s.name, e.name])),
      ),
    );
    for (const m of plan.monitoring.stacks) {
      const s = model.stages.find((st) => st.name === m.stage)!;
      expect(m).toMatchObject({
        stackName: monitoringStackName(s.prefix),
        healthAlarm: stageHealthAlarmName(s.prefix),
        fleetAlarms: s.services.length,
      });
    }
  });

  test('has the waves of every stage, with their environments, in their pipeline stages', () => {
    model.stages.forEach((s, i) => {
      expect(plan.stages[i].waves.map((w) => w.pipelineStage)).toEqual(
        s.waves.map((w) => pipelineStageName(s, w)),
      );
      expect(plan.stages[i].waves.map((w) => w.environments)).toEqual(
        s.waves.map((w) =>
          w.environments.map((e) => ({ name: e.name, account: e.account, region: e.region })),
        ),
      );
    });
  });

  test('puts the window and the alarm blocker (with its wait) before every wave', () => {
    const s = inWaves(model);
    const [first, second] = plan.stages.find((p) => p.name === s.name)!.waves;
    const rules = (names: readonly string[]) =>
      names.map((name) => ({
        alarm: stageHealthAlarmName(s.prefix),
        environment: expect.objectContaining({ name }),
      }));
    expect(first.entry).toEqual({ window: WINDOW, alarms: rules(['live-eu']), waitMinutes: 60 });
    expect(second.entry).toEqual({
      window: WINDOW,
      alarms: rules(['live-us', 'live-ap']),
      waitMinutes: 60,
    });
    expect(plan.stages[0].waves[0].entry).toBeUndefined();
    const windowOnly = buildPlan(appModel([{ ...s, blockWhileAlarming: false, bakeMinutes: 0 }]))
      .stages[0].waves;
    expect(windowOnly.map((w) => w.entry)).toEqual([
      { window: WINDOW, alarms: [], waitMinutes: 60 },
      { window: WINDOW, alarms: [], waitMinutes: 60 },
    ]);
    expect(windowOnly.map((w) => w.bake)).toEqual([undefined, undefined]);
  });

  test('asks for the approval before the first wave only, and bakes every wave', () => {
    const live = plan.stages.find((p) => p.name === inWaves(model).name)!;
    expect(live.waves.map((w) => w.approval)).toEqual(['Approve-live', undefined]);
    expect(live.waves.map((w) => w.bake?.minutes)).toEqual([20, 20]);
    expect(live.waves[1].bake?.alarms.map((r) => r.environment.name)).toEqual([
      'live-us',
      'live-ap',
    ]);
    expect(plan.stages[0].waves.map((w) => [w.approval, w.bake])).toEqual([[undefined, undefined]]);
  });

  test("smoke-tests each wave with every service's checks in each of its environments", () => {
    const live = plan.stages.find((p) => p.name === inWaves(model).name)!;
    const perEnvironment = live.services.reduce((n, s) => n + s.checks, 0);
    expect(live.waves.map((w) => w.smokeTest)).toEqual([
      { step: 'SmokeTest-live-wave1', targets: 'smoke/live-wave1.json', checks: perEnvironment },
      {
        step: 'SmokeTest-live-wave2',
        targets: 'smoke/live-wave2.json',
        checks: 2 * perEnvironment,
      },
    ]);
    expect(plan.stages[0].waves[0].smokeTest).toBeUndefined();
  });

  test('judges each release on its verdict alarm, with the policy the deployed judge gets', () => {
    for (const [i, s] of model.stages.entries()) {
      for (const [j, svc] of s.services.entries()) {
        const judgement = plan.stages[i].services[j].judgement;
        expect(judgement.verdictAlarm).toBe(verdictAlarmName(s.prefix, svc.name, '<version>'));
        expect(judgement.policy).toEqual(judgePolicy(svc));
        expect(judgement.fleetAlarm).toBe(fleetAlarmName(s.prefix, svc.name));
        expect(judgement.verdictAlarm).not.toBe(judgement.fleetAlarm);
      }
    }
  });

  test('knows the sample a pass rests on and the failures that roll back at once', () => {
    // payments in live: healthy 0.2% against 5%, 99% confidence over three tests, 90% power:
    // ln 10 / -ln(0.95 / 0.998) = 46.7 good calls, and ln 300 / (ln 25 + 0.0493) = 1.75 failures.
    const judgement = plan.stages[1].services[1].judgement;
    expect(judgement.minimumSample).toBe(47);
    expect(judgement.failuresToRollBack).toBe(2);
  });

  test('says what it takes to pass', () => {
    const policy = judgePolicy(model.stages[1].services[1]);
    expect(evidenceText({ policy, minimumSample: 128, onQuiet: 'fail', watchMinutes: 12 })).toBe(
      'a pass needs ≥ 128 good calls (more after a failure); fewer after 12 min at 100%: the release fails',
    );
    expect(
      evidenceText({ policy, minimumSample: 128, onQuiet: 'generate-traffic', watchMinutes: 12 }),
    ).toBe(
      'a pass needs ≥ 128 good calls (more after a failure); fewer after the first minute at 100%: synthetic calls on the new version make up the rest',
    );
    expect(
      evidenceText({
        policy: { ...policy, requireVerdict: false },
        minimumSample: 128,
        onQuiet: 'fail',
        watchMinutes: 12,
      }),
    ).toBe('no minimum: all at once');
  });

  test('names the VPC Lattice front door of exactly the services that have one', () => {
    for (const [i, s] of model.stages.entries()) {
      expect(plan.stages[i].services.map((svc) => svc.frontDoor)).toEqual(
        s.services.map((svc) => (svc.lattice ? latticeServiceName(s.prefix, svc.name) : undefined)),
      );
    }
    expect(plan.stages.flatMap((s) => s.services).some((svc) => svc.frontDoor)).toBe(true);
    expect(plan.stages.flatMap((s) => s.services).some((svc) => !svc.frontDoor)).toBe(true);
  });

  test('gives ops commands the ops command line accepts, for the stage and its waves', () => {
    for (const s of plan.stages) {
      const { override, rollback, stop, status, watch } = s.ops;
      const commands = [status, watch, stop, ...rollback, ...(override ? [override] : [])];
      for (const command of commands) {
        expect(command.startsWith('npm run ops -- ')).toBe(true);
        const argv = command.slice('npm run ops -- '.length).split(' ');
        const options = parseArgs(argv.map((a) => (a === '<service>' ? s.services[0].name : a)));
        expect(options.stage).toBe(s.name);
        if (options.wave !== undefined) {
          expect(s.waves.map((w) => w.index)).toContain(options.wave);
        }
      }
      expect(rollback.map((c) => parseArgs(c.split(' ').slice(4)).wave)).toEqual(
        s.waves.length === 1 ? [undefined] : s.waves.map((w) => w.index).reverse(),
      );
      expect(override !== undefined).toBe(s.waves.some((w) => w.entry !== undefined));
    }
  });
});

describe('the printed plan', () => {
  test('shows each wave step by step, in the order CodePipeline runs them', () => {
    const text = renderPlanText(buildPlan(stressModel()));
    const block = text.slice(text.indexOf('Stage 2 of 2: live, 2 waves'));
    const steps = [...block.matchAll(/^ {2}(wave \d| {2}[a-z ]+?) {2}/gm)].map((m) => m[1].trim());
    expect(steps.slice(0, 11)).toEqual([
      'wave 1',
      'approval',
      'entry',
      'deploy',
      'smoke test',
      'bake',
      'wave 2',
      'entry',
      'deploy',
      'smoke test',
      'bake',
    ]);
    expect(block).toMatch(
      /^ {4}bake +Bake-live-wave1: 20 min once the wave is at 100% \(beside the smoke tests\), watching fixture-pipeline-live-health in live-eu; an alarm fails the stage, which rolls the wave back and wave 2 never starts/m,
    );
    expect(block).toMatch(
      /^ {4}entry +holds the release outside the window \* 0-59 9-16 \? \* MON-FRI \(Europe\/Berlin\) and while fixture-pipeline-live-health is in ALARM in live-eu, up to 60 min, then fails naming it/m,
    );
  });

  test('shows a service override of the stage strategy', () => {
    const model = appModel([
      stage('prod', Strategy.canary(10, 5), [service('a', Strategy.linear(50, 1))], {
        requiresApproval: true,
      }),
    ]);
    const text = renderPlanText(buildPlan(model));
    expect(text).toMatch(/^ {2}strategy +CANARY_10PERCENT_5MINUTES \(custom: 10% for 5 min/m);
    expect(text).toMatch(/^ {6}strategy +LINEAR_50PERCENT_EVERY_1MINUTES .*traffic shift 1 min$/m);
  });

  test('names the front doors of a stage, or says it has none', () => {
    const plan = buildPlan(stressModel());
    const text = renderPlanText(plan);
    for (const s of plan.stages) {
      const block = text.slice(text.indexOf(`: ${s.name}`));
      const doors = s.services.flatMap((x) => (x.frontDoor ? [x.frontDoor] : []));
      expect(block).toMatch(
        doors.length === 0
          ? /^ {2}front doors +none$/m
          : new RegExp(
              `^ {2}front doors +VPC Lattice services?, HTTPS to the live alias: ${doors.join(', ')}$`,
              'm',
            ),
      );
    }
  });

  test('stays short at 200 services that share their settings, and names every one', () => {
    const text = renderPlanText(buildPlan(manyServices(200, { lattice: true })));
    const lines = text.split('\n');
    expect(lines.length).toBeLessThan(120);
    expect(text).toMatch(
      /^ {2}front doors +VPC Lattice services, HTTPS to the live alias: fixture-pipeline-bulk-<service> for 200 services:$/m,
    );
    for (let i = 0; i < 200; i++) expect(text).toMatch(new RegExp(`\\bservice-${i}\\b`));
  });
});

describe('service groups', () => {
  test('services with the same release settings share a group; others get their own', () => {
    const plan = buildPlan(stressModel());
    for (const s of plan.stages) {
      const groups = groupServices(s.services);
      expect(groups.flatMap((g) => g.services.map((x) => x.name)).sort()).toEqual(
        s.services.map((x) => x.name).sort(),
      );
      for (const g of groups) {
        for (const member of g.services) {
          expect(member.strategy.label).toBe(g.strategy.label);
          expect(evidenceText(member.judgement)).toBe(g.evidence);
        }
      }
    }
    const bulk = manyServices(200);
    expect(groupServices(buildPlan(bulk).stages[0].services)).toHaveLength(1);
    const [only] = bulk.stages;
    const odd = only.services.map((x, i) =>
      i === 7 ? { ...x, alarms: { ...x.alarms, p99LatencyMs: x.alarms.p99LatencyMs + 1 } } : x,
    );
    const groups = groupServices(
      buildPlan(appModel([{ ...only, services: odd }])).stages[0].services,
    );
    expect(groups.map((g) => g.services.length)).toEqual([199, 1]);
    expect(groups[1].services[0].name).toBe('service-7');
  });

  test('wrap long lists without splitting a name', () => {
    const names = Array.from({ length: 50 }, (_, i) => `name-${i}`);
    const lines = wrapList(names, 40);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
    expect(lines.join(' ').split(/,? /)).toEqual(names);
    expect(wrapList(['a-very-long-name-indeed'], 5)).toEqual(['a-very-long-name-indeed']);
  });
});
