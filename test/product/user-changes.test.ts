import * as fs from 'fs';
import * as path from 'path';
import { readServices } from '../../lib/config/load';
import { copyProject, run, type RunResult } from '../helpers/project-copy';
import { ROOT } from '../helpers/project';

/**
 * A user's first changes, made to a copy of the project the way the README tells them: add a
 * service with the scaffold, put in their own account ids, pick another canary for prod, remove a
 * service of the sample, add a stage in another region. Then `npm test`, what their pipeline's
 * Build runs, and `npx cdk synth` must stay green on the changed copy: the tests follow the
 * user's configuration, not the sample's. The hand edits leave docs/pipeline.md stale (the
 * scaffold regenerated it, the edits came after), and that must not fail their release.
 *
 * @longest runs npm test in the changed copy, after a synth: the sequencer starts it first.
 */
jest.setTimeout(600_000);

let copy: string;
let added: string;
let removed: string;
let scaffold: RunResult;
let synth: RunResult;
let suite: RunResult;
let planCheck: RunResult;

/** Replaces every match of `pattern` in a file of the copy; fails if nothing matched. */
function edit(file: string, pattern: RegExp, replacement: string): void {
  const full = path.join(copy, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!pattern.test(text)) throw new Error(`${file} does not match ${pattern}`);
  fs.writeFileSync(full, text.replace(pattern, replacement));
}

beforeAll(async () => {
  copy = copyProject();
  const existing = readServices(ROOT).map((s) => path.basename(s.dir));
  added = ['payments', 'payments-ledger', 'invoices'].find((n) => !existing.includes(n))!;
  removed = existing[0];

  scaffold = await run(copy, 'npm', ['run', 'new-service', '--', added]);
  if (scaffold.status !== 0) return;

  // Real-looking account ids for the pipeline and every environment.
  let next = 123456789012;
  const config = fs.readFileSync(path.join(copy, 'pipeline.config.ts'), 'utf8');
  fs.writeFileSync(
    path.join(copy, 'pipeline.config.ts'),
    config.replace(/account: '\d{12}'/g, () => `account: '${next++}'`),
  );
  // Another canary for every stage that had a predefined canary.
  for (const file of fs.readdirSync(path.join(copy, 'stages'))) {
    const text = fs.readFileSync(path.join(copy, 'stages', file), 'utf8');
    fs.writeFileSync(
      path.join(copy, 'stages', file),
      text.replace(/Strategy\.predefined\('CANARY_[^']+'\)/g, 'Strategy.canary(20, 5)'),
    );
  }
  // Remove a service of the sample, from its folder and from every stage entry.
  fs.rmSync(path.join(copy, 'services', removed), { recursive: true });
  for (const file of fs.readdirSync(path.join(copy, 'stages'))) {
    const full = path.join(copy, 'stages', file);
    fs.writeFileSync(
      full,
      fs
        .readFileSync(full, 'utf8')
        .replace(new RegExp(`\\s*(\\{ name: '${removed}'[^}]*\\}|'${removed}'),?`, 'g'), ''),
    );
  }
  // A staging stage in another region, between the first stage and the others.
  edit(
    'pipeline.config.ts',
    /environments: \{/,
    "environments: {\n    staging: { account: '210987654321', region: 'eu-west-1' },",
  );
  edit(
    'pipeline.config.ts',
    /pipeline: \{ account: '(\d{12})', region: '([a-z0-9-]+)'/,
    "pipeline: { account: '$1', region: '$2', regions: ['$2', 'eu-west-1']",
  );
  const stagesIndex = fs.readFileSync(path.join(copy, 'stages', 'index.ts'), 'utf8');
  const first = /export const stages = \[(\w+)/.exec(stagesIndex)![1];
  const firstFile = fs.readFileSync(path.join(copy, 'stages', `${first}.ts`), 'utf8');
  fs.writeFileSync(
    path.join(copy, 'stages', 'staging.ts'),
    firstFile
      .replace(new RegExp(`export const ${first}\\b`), 'export const staging')
      .replace(/name: '[a-z0-9]+'/, "name: 'staging'")
      .replace(/environment: '[a-z0-9-]+'/, "environment: 'staging'"),
  );
  edit(
    'stages/index.ts',
    new RegExp(`export const stages = \\[${first}`),
    `import { staging } from './staging';\nexport const stages = [${first}, staging`,
  );
  // As an editor that formats on save would leave the edited files.
  await run(copy, 'npx', ['prettier', '--write', 'pipeline.config.ts', 'stages']);

  planCheck = await run(copy, 'npm', ['run', 'plan', '--', '--check']);
  synth = await run(copy, 'npx', ['cdk', 'synth'], 240_000);
  suite = await run(copy, 'npm', ['test'], 480_000);
});

test('the scaffold adds the service', () => {
  expect(scaffold.status).toBe(0);
  expect(fs.existsSync(path.join(copy, 'services', added, 'service.ts'))).toBe(true);
});

test('npx cdk synth passes the gate on the changed configuration, with the new stage', () => {
  expect(synth.output).toMatch(/Compliance gate passed/);
  expect(synth.output).toMatch(/\n\s+staging\s/);
  expect(synth.status).toBe(0);
});

test('the generated page is stale after the hand edits', () => {
  expect(planCheck.output).toContain('docs/pipeline.md is out of date');
  expect(planCheck.status).toBe(1);
});

test('npm test passes on the changed configuration, stale page and all', () => {
  expect(suite.output).toMatch(/Tests:\s+\d+ passed, \d+ total/);
  expect(suite.status).toBe(0);
});
