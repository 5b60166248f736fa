import { spawnSync } from 'node:child_process';
import { loadApp } from '../../lib/config/load';
import { buildPlan, describeEnvironment } from '../../lib/plan/plan';
import { releaseTiming } from '../../lib/plan/timing';
import { ROOT } from '../helpers/project';

/**
 * `npm run plan` as a command, in a child process, on the project's configuration; and what
 * keeps it fast. test/scripts/plan.test.ts tests its `main` in-process.
 */

describe('npm run plan (child process)', () => {
  jest.setTimeout(60_000);

  test('prints the Monitoring wave, every stage, wave, environment and service of the real configuration', () => {
    const result = spawnSync('npm', ['run', '--silent', 'plan'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    const plan = buildPlan(loadApp(ROOT));
    for (const m of plan.monitoring.stacks) {
      expect(result.stdout).toMatch(
        new RegExp(
          `^ {2}${m.stage} +${describeEnvironment(m.environment).replace(/[()]/g, '\\$&')} +${m.stackName} +health alarm ${m.healthAlarm}, `,
          'm',
        ),
      );
    }
    plan.stages.forEach((stage, index) => {
      const waves = stage.waves.length === 1 ? '' : `, ${stage.waves.length} waves`;
      const heading = `Stage ${index + 1} of ${plan.stages.length}: ${stage.name}${waves}\n`;
      expect(result.stdout).toContain(heading);
      const block = result.stdout.slice(result.stdout.indexOf(heading)).split('\n\n')[0];
      expect(block).toMatch(new RegExp(`^ {2}strategy +${stage.strategy.label} `, 'm'));
      expect(block).toMatch(
        stage.approval
          ? /^ {2}approval +manual approval, a pipeline stage of its own before wave 1$/m
          : /^ {2}approval +none$/m,
      );
      for (const wave of stage.waves) {
        const where = `pipeline stage ${wave.pipelineStage}: ${wave.environments.map(describeEnvironment).join(', ')}`;
        expect(block).toMatch(
          new RegExp(`^ {2}wave ${wave.index} +${where.replace(/[()/.]/g, '\\$&')}$`, 'm'),
        );
      }
      for (const service of stage.services) {
        expect(block).toMatch(new RegExp(`^ {4}(.*, )?${service.name}(,.*)?$`, 'm'));
      }
      expect(block).toMatch(
        new RegExp(
          `^ {2}roll back +${stage.ops.rollback.join(', then ').replace(/[-[\]()]/g, '\\$&')}`,
          'm',
        ),
      );
    });
    expect(result.stdout).toMatch(/^Release time, push to the end of \S+ \(estimate/m);
    expect(result.stdout).toMatch(/^ {2}total: ~\d+ min \(estimate; /m);
  });
});

describe('lib/plan', () => {
  test('loads no aws-cdk-lib or constructs, so `npm run plan` stays fast', () => {
    const modules = ['plan', 'text', 'markdown', 'mermaid', 'timing', 'groups', 'ops', 'release'];
    const script = [
      ...modules.map((m) => `require('./lib/plan/${m}');`),
      'const cdk = Object.keys(require.cache).filter((f) => /node_modules[\\\\/](aws-cdk-lib|constructs)[\\\\/]/.test(f));',
      'const plan = Object.keys(require.cache).filter((f) => /lib[\\\\/]plan[\\\\/]/.test(f));',
      'process.stdout.write(JSON.stringify({ cdk, plan: plan.length }));',
    ].join('\n');
    const child = spawnSync(
      process.execPath,
      ['--require', require.resolve('ts-node/register/transpile-only'), '-e', script],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    const loaded = JSON.parse(child.stdout);
    expect(loaded.cdk).toEqual([]);
    expect(loaded.plan).toBeGreaterThanOrEqual(modules.length);
  });

  test('the pipeline takes at most 15 minutes of its own to bring the sample to 100% in prod', () => {
    const timing = releaseTiming(loadApp(ROOT).stages);
    expect(timing.overheadMinutes).toBeLessThanOrEqual(15);
    for (const step of timing.steps.filter((s) => s.basis === 'estimate')) {
      // Each estimate says what it is made of.
      expect(step.note).not.toBe('');
    }
  });
});
