import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LambdaDeploymentConfig } from 'aws-cdk-lib/aws-codedeploy';
import { loadApp } from '../../../lib/config/load';
import { PREDEFINED_CONFIGS, Strategy } from '../../../lib/config/strategy';
import { staleMessage } from '../../../lib/plan/cli';
import { codeDeployConfig, describeCodeDeployConfig } from '../../../lib/plan/codedeploy';
import { PIPELINE_DOC, renderPipelineDoc } from '../../../lib/plan/markdown';
import { mermaidId, mermaidLabel, renderMermaid } from '../../../lib/plan/mermaid';
import { buildPlan } from '../../../lib/plan/plan';
import { renderPlanText } from '../../../lib/plan/text';
import { ESTIMATED_MINUTES, formatTotal, releaseTiming } from '../../../lib/plan/timing';
import { appModel, service, stage, stressModel } from './model-fixture';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const FIXED =
  ESTIMATED_MINUTES.source +
  ESTIMATED_MINUTES.build +
  ESTIMATED_MINUTES.selfMutation +
  ESTIMATED_MINUTES.assetPublishing;

describe(PIPELINE_DOC, () => {
  test('is what `npm run plan -- --write` generates from the configuration', () => {
    const expected = renderPipelineDoc(buildPlan(loadApp(ROOT)));
    const file = path.join(ROOT, PIPELINE_DOC);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
    if (committed !== expected) throw new Error(staleMessage(committed === undefined));
  });

  test('is generated in Prettier format, so `prettier --check` and the staleness test agree', () => {
    const doc = renderPipelineDoc(buildPlan(stressModel()));
    const prettier = spawnSync(
      path.join(ROOT, 'node_modules', '.bin', 'prettier'),
      ['--stdin-filepath', PIPELINE_DOC],
      { cwd: ROOT, input: doc, encoding: 'utf8' },
    );
    expect(prettier.stderr).toBe('');
    expect(prettier.stdout).toBe(doc);
  });

  test('has no timestamp or other run-dependent content', () => {
    const model = stressModel();
    expect(renderPipelineDoc(buildPlan(model))).toBe(renderPipelineDoc(buildPlan(model)));
    expect(renderPipelineDoc(buildPlan(model))).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});

describe('release timing', () => {
  test('counts the fixed overheads, each stage once, and its longest traffic shift', () => {
    const timing = releaseTiming(stressModel().stages);
    const deploys = 3 * ESTIMATED_MINUTES.stageDeploy;
    const smokeTests = 2 * ESTIMATED_MINUTES.smokeTests;
    // dev all at once: 0; staging: canary 5 min vs linear 20% every 3 min = 4 × 3 = 12;
    // prod: linear 10% every 10 min = 9 × 10 = 90 vs canary 30.
    expect(timing.shiftMinutes).toBe(0 + 12 + 90);
    expect(timing.totalMinutes).toBe(FIXED + deploys + smokeTests + 102);
    expect(timing.approvals).toEqual(['staging', 'prod']);
  });

  test('names the service that sets the window, and every service that ties', () => {
    const timing = releaseTiming(stressModel().stages);
    const shift = (name: string) => timing.steps.find((s) => s.label === `${name}: traffic shift`);
    expect(shift('staging')).toMatchObject({ minutes: 12, basis: 'configured' });
    expect(shift('staging')?.note).toBe(
      'LINEAR_20PERCENT_EVERY_3MINUTES, longest of 2 services (payments)',
    );
    expect(shift('dev')?.note).toBe('ALL_AT_ONCE, longest of 2 services (order-history, payments)');
  });

  test('approvals are human time: listed, never counted', () => {
    const one = [stage('prod', Strategy.canary(10, 7), [service('a', Strategy.canary(10, 7))])];
    const withApproval = releaseTiming([{ ...one[0], requiresApproval: true }]);
    const without = releaseTiming(one);
    expect(withApproval.totalMinutes).toBe(without.totalMinutes);
    expect(without.totalMinutes).toBe(FIXED + ESTIMATED_MINUTES.stageDeploy + 7);
    const approval = withApproval.steps.find((s) => s.basis === 'human');
    expect(approval).toEqual({
      label: 'prod: manual approval',
      basis: 'human',
      note: 'human time',
    });
    expect(formatTotal(withApproval)).toBe(
      `~${FIXED + 4 + 7} min (estimate; 7 min of it configured traffic shifts) + manual approval before prod (human time, not counted)`,
    );
    expect(formatTotal(without)).not.toContain('approval');
  });

  test('every overhead is labelled an estimate, and only the shifts are exact', () => {
    const plan = buildPlan(stressModel());
    for (const step of plan.timing.steps) {
      if (step.basis === 'estimate') expect(step.note).toBe('estimate');
      if (step.basis === 'configured') expect(step.label).toMatch(/traffic shift$/);
    }
    const text = renderPlanText(plan);
    expect(text).toMatch(/^ {2}build, tests, synth and compliance gate +~10 min +estimate$/m);
    expect(text).toContain('human time, not counted');
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

  test('in a generated diagram are valid and unique, and every edge joins defined nodes', () => {
    const diagram = renderMermaid(buildPlan(stressModel()));
    const defined = [...diagram.matchAll(/^\s+(?:subgraph )?([^\s[{(]+)\s?[[{]/gm)].map(
      (m) => m[1],
    );
    expect(defined).toContain('svc_staging_order_history');
    expect(new Set(defined).size).toBe(defined.length);
    for (const id of defined) expect(id).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
    const edges = [...diagram.matchAll(/^\s+(\S+) --> (\S+)$/gm)];
    // One chain: source, build, self-mutation, assets, dev, its smoke tests, approval, staging,
    // its smoke tests, approval, prod.
    expect(edges.length).toBe(11 - 1);
    for (const [, from, to] of edges) expect(defined).toEqual(expect.arrayContaining([from, to]));
  });

  test('labels escape what Mermaid would parse', () => {
    expect(mermaidLabel('a "b" <c> #1 & d', 'second')).toBe(
      '"a #quot;b#quot; #lt;c#gt; #35;1 #amp; d<br/>second"',
    );
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
  test('sums the smoke-test checks of a stage and plans no smoke tests where there are none', () => {
    const plan = buildPlan(stressModel());
    expect(plan.stages.map((s) => s.smokeTestChecks)).toEqual([4, 4, undefined]);
  });

  test('shows a service override of the stage strategy', () => {
    const model = appModel([
      stage('prod', Strategy.canary(10, 5), [service('a', Strategy.linear(50, 1))], {
        requiresApproval: true,
      }),
    ]);
    const text = renderPlanText(buildPlan(model));
    expect(text).toMatch(/^ {2}strategy +CANARY_10PERCENT_5MINUTES \(custom: 10% for 5 min/m);
    expect(text).toMatch(/^ {4}strategy +LINEAR_50PERCENT_EVERY_1MINUTES .*traffic shift 1 min$/m);
  });
});
