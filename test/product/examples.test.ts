import * as fs from 'fs';
import * as path from 'path';
import { loadApp } from '../../lib/config/load';
import { applicationStageId, pipelineStageName } from '../../lib/resource-names';
import { copyProject, run, type RunResult } from '../helpers/project-copy';
import { ROOT } from '../helpers/project';

/**
 * What README tells a user to do with each example under examples/, done literally: in a fresh
 * copy of the project, the commands of README's block that names the example, one after the
 * other, as written. They must synthesize the example behind the compliance gate, lint its
 * templates clean and print its plan; and its stages must read as README says they do.
 */
jest.setTimeout(420_000);

const EXAMPLES = fs
  .readdirSync(path.join(ROOT, 'examples'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** The commands of README's shell block that selects `examples/<name>`, comments left out. */
function readmeCommands(name: string): string[][] {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```bash\n([\s\S]*?)```/g)]
    .map((m) => m[1])
    .find((text) => text.includes(`config=examples/${name} `));
  if (!block) throw new Error(`README.md has no bash block with -c config=examples/${name}`);
  return block
    .split('\n')
    .map((line) => line.replace(/\s#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/));
}

interface Ran {
  readonly command: string;
  readonly result: RunResult;
}

const ran = new Map<string, { copy: string; steps: Ran[] }>();

beforeAll(async () => {
  await Promise.all(
    EXAMPLES.map(async (name) => {
      const copy = copyProject();
      const steps: Ran[] = [];
      for (const [command, ...args] of readmeCommands(name)) {
        steps.push({
          command: [command, ...args].join(' '),
          result: await run(copy, command, args),
        });
      }
      ran.set(name, { copy, steps });
    }),
  );
});

test('every example has a block in README that synthesizes it', () => {
  expect(EXAMPLES.length).toBeGreaterThan(0);
  for (const name of EXAMPLES) {
    const commands = readmeCommands(name).map((c) => c.join(' '));
    expect(commands).toContain(`npx cdk synth -c config=examples/${name}`);
    expect(commands).toContain('npm run lint:templates');
  }
});

describe.each(EXAMPLES)('examples/%s, as README says', (name) => {
  const step = (prefix: string) =>
    ran.get(name)!.steps.find((s) => s.command.startsWith(prefix))!.result;

  test('every command succeeds', () => {
    for (const { command, result } of ran.get(name)!.steps) {
      expect({
        command,
        status: result.status,
        output: result.status === 0 ? '' : result.output,
      }).toEqual({ command, status: 0, output: '' });
    }
  });

  test('synth passes the compliance gate on the example, not the project configuration', () => {
    const output = step('npx cdk synth').output;
    expect(output).toContain(`(configuration examples/${name})`);
    expect(output).toMatch(/✔ Compliance gate passed: 0 findings/);
  });

  test('cfn-lint finds no error in its templates', () => {
    expect(step('npm run lint:templates').output).toMatch(/✔ cfn-lint \S+: 0 error\(s\)/);
  });

  test('its stages and waves read <stage>-<environment> and <stage>-wave<N>, no name twice', () => {
    const { copy } = ran.get(name)!;
    const model = loadApp(copy, { configRoot: `examples/${name}` });
    const template = JSON.parse(
      fs.readFileSync(
        path.join(copy, 'cdk.out', `${model.pipelineName}-pipeline.template.json`),
        'utf8',
      ),
    ) as {
      Resources: Record<string, { Type: string; Properties: { Stages: { Name: string }[] } }>;
    };
    const pipeline = Object.values(template.Resources).find(
      (r) => r.Type === 'AWS::CodePipeline::Pipeline',
    )!;
    const names = pipeline.Properties.Stages.map((s) => s.Name);
    const plan = step('npm run plan').output;
    for (const stage of model.stages) {
      for (const wave of stage.waves) {
        const pipelineStage = pipelineStageName(stage, wave);
        expect(names).toContain(pipelineStage);
        expect(plan).toContain(`pipeline stage ${pipelineStage}:`);
        for (const environment of wave.environments) {
          const id = applicationStageId(stage, environment);
          expect(id).not.toMatch(new RegExp(`^${stage.name}-${stage.name}-`));
        }
      }
    }
    for (const n of names) expect(n).not.toMatch(/^([a-z0-9]+)-\1-/);
  });
});
