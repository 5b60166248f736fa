import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { stackForNewService, type Placement } from '../../lib/config/grouping';
import { isAllAtOnce, type DeploymentStrategy } from '../../lib/config/strategy';
import { copyProject } from '../lib/copy-project';
import { serviceFiles } from '../new-service/templates';

/**
 * Throw-away copies of the project with N services, for `npm run bench`.
 *
 * - `app`: the project as it is, with N services added the way `npm run new-service` adds
 *   them: the scaffold's files, and placement in shared stacks once a stage has its budget of
 *   single-service stacks (fewer when a wave deploys to several environments at once).
 * - `baseline`: the naive set-up, see `baseline-app.ts`: one stack per service per stage, a
 *   type-checked app command, no pipeline-limit checks and no stage conditions.
 */

export type Variant = 'app' | 'baseline';

export interface FixtureSpec {
  readonly services: number;
  readonly variant: Variant;
  /**
   * A folder of the project holding another `pipeline.config.ts` and `stages/` (for example
   * `examples/three-region-prod`), installed as the copy's own configuration.
   * @default the project's own configuration
   */
  readonly config?: string;
}

/** A stage entry of the fixture, as the bench needs it. */
export interface FixtureStage {
  readonly name: string;
  /** Project-relative file of the entry, e.g. `stages/prod.ts`. */
  readonly file: string;
  /** The environment names of each wave, in order (one wave of one for a single environment). */
  readonly waves: readonly (readonly string[])[];
  /** Distinct regions of its environments. */
  readonly regions: number;
  /** Shifts traffic gradually (canary or linear): each of its pipeline stages is a canary window. */
  readonly gradual: boolean;
  /** Its services and the stacks they are placed in. */
  readonly placements: readonly Placement[];
}

export interface Fixture {
  readonly dir: string;
  readonly spec: FixtureSpec;
  readonly stages: readonly FixtureStage[];
}

/** The app command of the baseline: `ts-node` type-checks, as `cdk init` sets it up. */
export const BASELINE_APP = 'npx ts-node --prefer-ts-exts scripts/bench/baseline-app.ts';

/** The most environments one wave of the stage deploys to at once. */
export function widestWave(stage: Pick<FixtureStage, 'waves'>): number {
  return Math.max(...stage.waves.map((w) => w.length));
}

/** `svc-0001`, `svc-0002`, ...: valid service names that sort in order. */
export function serviceName(i: number): string {
  return `svc-${String(i).padStart(4, '0')}`;
}

/** Builds the fixture in `dest` (an empty folder) from the project at `root`. */
export function buildFixture(root: string, dest: string, spec: FixtureSpec): Fixture {
  if (!Number.isInteger(spec.services) || spec.services < 1) {
    throw new Error(`a fixture needs a whole number of services from 1, not ${spec.services}`);
  }
  copyProject(root, dest);
  if (spec.config !== undefined) installConfig(root, spec.config, dest);

  const servicesDir = path.join(dest, 'services');
  fs.rmSync(servicesDir, { recursive: true, force: true });
  const names = Array.from({ length: spec.services }, (_, i) => serviceName(i + 1));
  for (const name of names) {
    fs.mkdirSync(path.join(servicesDir, name), { recursive: true });
    for (const [file, text] of serviceFiles(name)) {
      if (file.endsWith('.test.ts')) continue;
      fs.writeFileSync(path.join(servicesDir, name, file), text);
    }
  }

  const configDir = spec.config === undefined ? root : path.join(root, spec.config);
  const stages = readStageEntries(configDir).map((entry) => {
    const placements: Placement[] = [];
    for (const name of names) {
      const stack =
        spec.variant === 'app' ? stackForNewService(placements, widestWave(entry)) : undefined;
      placements.push(stack === undefined ? { name } : { name, stack });
    }
    return { ...entry, placements };
  });
  for (const stage of stages) {
    const file = path.join(dest, stage.file);
    fs.writeFileSync(file, withServices(fs.readFileSync(file, 'utf8'), stage));
  }

  if (spec.variant === 'baseline') {
    const cdkJson = path.join(dest, 'cdk.json');
    const settings = JSON.parse(fs.readFileSync(cdkJson, 'utf8'));
    fs.writeFileSync(cdkJson, JSON.stringify({ ...settings, app: BASELINE_APP }, null, 2));
  }
  return { dir: dest, spec, stages };
}

/**
 * Replaces the copy's `pipeline.config.ts` and `stages/` with those of the project's folder
 * `config`, their relative imports rewritten for the new place: an import of a file of the
 * same folder stays within it, any other names the same project file from the copy's root.
 */
function installConfig(root: string, config: string, dest: string): void {
  const configDir = path.join(root, config);
  if (!fs.existsSync(path.join(configDir, 'pipeline.config.ts'))) {
    throw new Error(
      `${config}/pipeline.config.ts does not exist: the bench synthesizes that configuration (with its stages/). Fix: restore ${config}/ in the project`,
    );
  }
  const files = [
    'pipeline.config.ts',
    ...fs
      .readdirSync(path.join(configDir, 'stages'))
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => `stages/${f}`),
  ];
  fs.rmSync(path.join(dest, 'stages'), { recursive: true, force: true });
  fs.mkdirSync(path.join(dest, 'stages'));
  for (const file of files) {
    const from = path.join(configDir, file);
    const to = path.join(dest, file);
    const text = fs
      .readFileSync(from, 'utf8')
      .replace(
        /(from\s+['"])(\.{1,2}\/[^'"]*)(['"])/g,
        (_, open: string, spec: string, close: string) => {
          const resolved = path.resolve(path.dirname(from), spec);
          const inConfig = path.relative(configDir, resolved);
          const inCopy = inConfig.startsWith('..') ? path.relative(root, resolved) : inConfig;
          const relative = path
            .relative(path.dirname(to), path.join(dest, inCopy))
            .split(path.sep)
            .join('/');
          return `${open}${relative.startsWith('.') ? relative : `./${relative}`}${close}`;
        },
      );
    fs.writeFileSync(to, text);
  }
}

type StageEntry = Omit<FixtureStage, 'placements'>;

/**
 * Every stage entry that `stages/index.ts` of the configuration in `dir` exports, loaded as the
 * app loads them. Read from the project, not from the copy: the copy's files change next, and
 * a module loaded once is not loaded again in this process.
 */
function readStageEntries(dir: string): StageEntry[] {
  const stagesDir = path.join(dir, 'stages');
  const files = new Map<unknown, string>();
  for (const file of fs.readdirSync(stagesDir).filter((f) => /(?<!\.d|\.test)\.ts$/.test(f))) {
    if (file === 'index.ts') continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(path.join(stagesDir, file)) as Record<string, unknown>;
    for (const value of Object.values(exported)) files.set(value, `stages/${file}`);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { stages } = require(path.join(stagesDir, 'index.ts')) as { stages: unknown[] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { config } = require(path.join(dir, 'pipeline.config.ts')) as {
    config: { environments: Record<string, { region: string }> };
  };
  return stages.flat(Infinity).map((value) => {
    const entry = value as {
      name: string;
      environment?: string;
      waves?: { environments: string[] }[];
      strategy: DeploymentStrategy;
    };
    const file = files.get(value);
    if (file === undefined) {
      throw new Error(
        `stage "${entry.name}" is not exported by a file in stages/: the bench edits each stage's file`,
      );
    }
    const waves = entry.waves?.map((w) => w.environments) ?? [[entry.environment ?? '']];
    const regions = new Set(waves.flat().map((e) => config.environments[e]?.region ?? e));
    return {
      name: entry.name,
      file,
      waves,
      regions: regions.size,
      gradual: !isAllAtOnce(entry.strategy),
    };
  });
}

/**
 * The source of a stage file with the `services` of the entry named `stage.name` replaced by
 * the fixture's placements (an import left unused by that goes too: ts-node's type check
 * refuses unused locals).
 */
export function withServices(source: string, stage: Pick<FixtureStage, 'name' | 'placements'>) {
  const file = ts.createSourceFile('stage.ts', source, ts.ScriptTarget.Latest, true);
  let target: ts.PropertyAssignment | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node)) {
      const props = node.properties.filter(ts.isPropertyAssignment);
      const name = props.find((p) => p.name.getText(file) === 'name')?.initializer;
      const services = props.find((p) => p.name.getText(file) === 'services');
      if (services && name && ts.isStringLiteralLike(name) && name.text === stage.name) {
        target = services;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!target) {
    throw new Error(
      `no stage entry named "${stage.name}" with a services list found in its file: the bench needs name: '${stage.name}' and services: ... written in the entry`,
    );
  }
  const list = stage.placements
    .map((p) =>
      p.stack === undefined ? `'${p.name}'` : `{ name: '${p.name}', stack: '${p.stack}' }`,
    )
    .join(',\n    ');
  const replaced = `${source.slice(0, target.initializer.getStart(file))}[\n    ${list},\n  ]${source.slice(target.initializer.end)}`;
  return withoutUnusedImports(replaced);
}

/** Drops named imports the source no longer uses. */
function withoutUnusedImports(source: string): string {
  const file = ts.createSourceFile('stage.ts', source, ts.ScriptTarget.Latest, true);
  const used = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) used.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(file);
  const unused = file.statements
    .filter(ts.isImportDeclaration)
    .flatMap((statement) => {
      const bindings = statement.importClause?.namedBindings;
      return bindings && ts.isNamedImports(bindings) ? [...bindings.elements] : [];
    })
    .filter((element) => !used.has(element.name.text));
  return unused
    .sort((a, b) => b.getStart(file) - a.getStart(file))
    .reduce((text, element) => {
      const comma = /^\s*,\s*/.exec(text.slice(element.end))?.[0].length ?? 0;
      return text.slice(0, element.getStart(file)) + text.slice(element.end + comma);
    }, source);
}
