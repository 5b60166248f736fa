/**
 * Scaffolds a service and adds it to every stage entry.
 *
 *   npm run new-service -- <name> [--root <dir>]
 *   npm run new-service -- <name> --complete [--root <dir>]
 *
 * With `--complete`, a folder `services/<name>/` that exists but lacks some of the files of a
 * service gets only the missing ones (the others are kept and validated as they are), and the
 * name is added to the stage entries unless one already lists it.
 *
 * Creates services/<name>/ (handler.ts, service.ts, synthetic.ts, handler.test.ts), appends
 * the name to the `services` list of every stage entry listed in stages/index.ts, and updates
 * the generated docs/pipeline.md. All or nothing: before anything is written, the whole
 * configuration is validated in memory with the service added, by the same validator as synth,
 * so a name it would refuse (bad, taken, clashing with a generated name, too long for a derived
 * name) is refused with its message; a failure while writing, or a configuration that does not
 * validate afterwards, restores every file touched.
 *
 * Exit codes: 0 created, 1 failed and rolled back, 2 refused (nothing written).
 */
import * as nodeFs from 'node:fs';
import * as path from 'node:path';
import { ConfigError } from '../lib/config/config-error';
import { stackForNewService } from '../lib/config/grouping';
import { loadApp, readAppInput, requireExport, SERVICE_FILES } from '../lib/config/load';
import type { AppModel } from '../lib/config/model';
import { serviceName } from '../lib/config/schema';
import { validateApp, type AppInput, type LoadedService } from '../lib/config/validate';
import { strategyLabel } from '../lib/config/strategy';
import { PIPELINE_DOC, renderPipelineDoc, WRITE_COMMAND } from '../lib/plan/markdown';
import { buildPlan } from '../lib/plan/plan';
import {
  appendToList,
  applySplices,
  findServicesLists,
  StageFileError,
  type ServicesList,
} from './new-service/stage-lists';
import {
  handlerSource,
  serviceDefinition,
  serviceFiles,
  syntheticChecks,
} from './new-service/templates';

/** Exit codes of the command. */
export const EXIT = { created: 0, failed: 1, refused: 2 } as const;

/** The file operations the command performs; tests swap one to inject a failure. */
export interface FileSystem {
  existsSync(p: string): boolean;
  readFileSync(p: string, encoding: 'utf8'): string;
  writeFileSync(p: string, data: string): void;
  mkdirSync(p: string): void;
  rmSync(p: string, options: { recursive: true; force: true }): void;
}

export interface NewServiceIo {
  /** Arguments after the script name. */
  readonly argv: readonly string[];
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** The project root when `--root` is not given. */
  readonly defaultRoot: string;
  /** @default node:fs */
  readonly fs?: FileSystem;
  /** Validates the project once the files are written; a throw rolls everything back. @default loadApp */
  readonly validate?: (root: string) => AppModel;
}

const USAGE = 'npm run new-service -- <name> [--complete] [--root <project dir>]';

const HELP = `Usage: ${USAGE}

Creates services/<name>/ (handler.ts, service.ts, synthetic.ts, handler.test.ts) and adds
<name> to the services of every stage entry listed in stages/index.ts, validates the
configuration and updates docs/pipeline.md. Nothing is written for a bad or taken name; a
failure restores every file.

--complete: services/<name>/ exists but lacks some of handler.ts, service.ts and synthetic.ts.
Writes only the missing files (handler.test.ts with a handler it writes), keeps and validates
the others, and adds <name> to the stage entries unless one already lists it.

Names: lower-case letters, digits and single hyphens, starting with a letter, 2 to 28
characters, and every name derived from it within its AWS limit: the configuration is
validated with the service added, by the same rules as synth, before anything is written.

Exit codes: 0 created, 1 failed and rolled back, 2 refused (nothing written).`;

/** Refused before anything was written. */
class Refusal extends Error {}

/**
 * Why `name` cannot be a service name (`the name "X" <problem>. Fix: <fix>`), or undefined when
 * it can. The same zod schema that validates service definitions decides.
 */
export function checkServiceName(name: string): string | undefined {
  const result = serviceName.safeParse(name);
  return result.success ? undefined : `the name "${name}" ${result.error.issues[0].message}`;
}

/** Runs the command and returns its exit code; never calls `process.exit`. */
export function main(io: NewServiceIo): number {
  const fs = io.fs ?? realFs;
  let plan: Plan;
  try {
    const args = parseArgs(io.argv, io.defaultRoot);
    if (args.help) {
      io.stdout(HELP);
      return EXIT.created;
    }
    plan = makePlan(args.name, args.root, fs, args.complete);
  } catch (error) {
    if (error instanceof Refusal || error instanceof StageFileError) {
      io.stderr(`new-service: ${error.message}`);
      return EXIT.refused;
    }
    throw error;
  }
  return apply(plan, io, fs);
}

interface Args {
  readonly name: string;
  readonly root: string;
  readonly help: boolean;
  /** Write only the files a half-made `services/<name>/` lacks. */
  readonly complete: boolean;
}

function parseArgs(argv: readonly string[], defaultRoot: string): Args {
  let root = defaultRoot;
  let help = false;
  let complete = false;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--complete') complete = true;
    else if (arg === '--root' || arg.startsWith('--root=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (!value) throw new Refusal(`--root needs a folder. Fix: ${USAGE}`);
      root = value;
    } else if (arg.startsWith('-')) throw new Refusal(`unknown option "${arg}". Fix: ${USAGE}`);
    else names.push(arg);
  }
  if (help) return { name: '', root, help, complete };
  if (names.length !== 1) {
    throw new Refusal(
      `${names.length === 0 ? 'no service name given' : `one name at a time, got ${names.map((n) => `"${n}"`).join(' ')}`}. Fix: ${USAGE}, e.g. npm run new-service -- payments`,
    );
  }
  return { name: names[0], root: path.resolve(root), help, complete };
}

/** Everything the command will write, computed before it writes anything. */
interface Plan {
  readonly name: string;
  readonly root: string;
  readonly dir: string;
  /** The folder exists (`--complete`): files are added to it, and it is never removed. */
  readonly completing: boolean;
  /** Files of the folder kept as they are (`--complete`). */
  readonly kept: readonly string[];
  readonly create: ReadonlyArray<{ readonly file: string; readonly text: string }>;
  readonly edit: ReadonlyArray<{
    readonly file: string;
    readonly before: string;
    readonly after: string;
    readonly note: string;
  }>;
}

function makePlan(name: string, root: string, fs: FileSystem, complete: boolean): Plan {
  const problem = checkServiceName(name);
  if (problem) throw new Refusal(problem);

  const rel = `services/${name}/`;
  const dir = path.join(root, 'services', name);
  const exists = fs.existsSync(dir);
  const missing = exists ? SERVICE_FILES.filter((f) => !fs.existsSync(path.join(dir, f))) : [];
  if (complete && !exists) {
    throw new Refusal(
      `${rel} does not exist: there is nothing to complete. Fix: npm run new-service -- ${name}`,
    );
  }
  if (complete && missing.length === 0) {
    throw new Refusal(
      `${rel} already holds ${SERVICE_FILES.join(', ')}: there is nothing to complete. Fix: edit ${rel} directly`,
    );
  }
  if (!complete && exists) {
    throw new Refusal(
      missing.length > 0
        ? `the name "${name}" is taken: ${rel} already exists, without ${missing.join(', ')}. Fix: npm run new-service -- ${name} --complete writes the missing files and keeps the others, or remove ${rel} first`
        : `the name "${name}" is taken: ${rel} already exists. Fix: choose another name, or edit ${rel} directly`,
    );
  }
  const allLists = findServicesLists(root, (file) => fs.readFileSync(file, 'utf8'));
  const listing = allLists.find((l) => l.names.includes(name));
  if (listing && !complete) {
    throw new Refusal(
      `the name "${name}" is taken: ${listing.file} already lists it in stage "${listing.stage}". Fix: choose another name, or remove "${name}" from ${listing.file} first`,
    );
  }
  // Completing a folder the stage entries already list leaves them as they are.
  const lists = listing ? [] : allLists;

  // The configuration as it is, then with the service added: the validator decides.
  const current = freshInput(root, name, complete);
  const model = listing
    ? undefined
    : validateOrRefuse(
        current,
        (message) =>
          new Refusal(
            `cannot add "${name}" to a configuration that is already invalid: ${message}; then run the command again`,
          ),
      );
  const widest = new Map(
    (model?.stages ?? []).map((s) => [
      s.name,
      Math.max(...s.waves.map((w) => w.environments.length)),
    ]),
  );
  // Past the single-stack budget, a stage places new services in shared stacks, so that each of
  // its waves stays one pipeline stage (one canary window); existing ones stay put.
  const stackOf = new Map(
    lists.map((l) => [l, stackForNewService(l.placements, widest.get(l.stage) ?? 1)]),
  );
  const kept = complete ? keptFiles(root, name, fs) : {};
  validateOrRefuse(
    withService(current, root, name, lists, stackOf, kept),
    (message) =>
      new Refusal(`the name "${name}" cannot be ${complete ? 'completed' : 'added'}: ${message}`),
  );

  const printWidth = readPrintWidth(root, fs);
  const edit = [...new Set(lists.map((l) => l.file))].map((file) => {
    const inFile = lists.filter((l) => l.file === file);
    const before = inFile[0].source.text;
    const stacks = inFile.map((l) => stackOf.get(l));
    const after = applySplices(
      before,
      inFile.map((l, i) => appendToList(l, name, printWidth, stacks[i])),
    );
    const note = inFile
      .map(
        (l, i) =>
          `stage "${l.stage}" services: ${[...l.names, name].join(', ')}${stacks[i] ? ` (${name} in shared stack "${stacks[i]}")` : ''}`,
      )
      .join('; ');
    return { file, before, after, note };
  });

  // Completing: only what is absent, the handler where the definition expects it, and the
  // scaffold's handler test only beside the scaffold's handler.
  const absent = (file: string) => !fs.existsSync(path.join(dir, file));
  const scaffoldHandler = handlerFileOf(kept) === 'handler.ts' && absent('handler.ts');
  const writes = (file: string) =>
    !complete ||
    (file === 'handler.ts' || file === 'handler.test.ts'
      ? scaffoldHandler && absent(file)
      : absent(file));
  const create = serviceFiles(name)
    .filter(([file]) => writes(file))
    .map(([file, text]) => ({ file: `${rel}${file}`, text }));
  if (complete && create.length === 0) {
    throw new Refusal(
      `${rel} lacks ${missing.join(', ')}, but its service.ts names another handler file: there is nothing the scaffold writes. Fix: edit ${rel} directly`,
    );
  }
  const keptShown = complete
    ? nodeFs.readdirSync(dir).filter((f) => !create.some((c) => c.file === `${rel}${f}`))
    : [];
  return {
    name,
    root,
    dir,
    completing: complete,
    kept: keptShown.sort().map((f) => `${rel}${f}`),
    create,
    edit,
  };
}

/** The definition and checks a half-made folder already has, loaded (and refused) as synth would. */
function keptFiles(root: string, name: string, fs: FileSystem): Partial<LoadedService> {
  const dir = path.join(root, 'services', name);
  const has = (file: string) => fs.existsSync(path.join(dir, file));
  try {
    return {
      ...(has('service.ts') && {
        definition: requireExport(root, path.join(dir, 'service.ts'), 'service'),
      }),
      ...(has('synthetic.ts') && {
        checks: requireExport(root, path.join(dir, 'synthetic.ts'), 'checks'),
      }),
    };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new Refusal(`cannot complete services/${name}/: ${error.message}`);
  }
}

/** The project's configuration files as loaded, read afresh. */
function freshInput(root: string, name: string, complete: boolean): AppInput {
  forget(root);
  try {
    // The folder being completed is read from its own files, beside this.
    return readAppInput(root, {}, complete ? name : undefined);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new Refusal(
      `cannot add "${name}" to a configuration that does not load: ${error.message}; then run the command again`,
    );
  }
}

/** The model, or the refusal `refuse` makes of the validator's message. */
function validateOrRefuse(input: AppInput, refuse: (message: string) => Refusal): AppModel {
  try {
    return validateApp(input);
  } catch (error) {
    if (error instanceof ConfigError) throw refuse(error.message);
    throw error;
  }
}

/** `input` with the new service's files (in memory) and its name in every stage list. */
function withService(
  input: AppInput,
  root: string,
  name: string,
  lists: readonly ServicesList[],
  stackOf: ReadonlyMap<ServicesList, string | undefined>,
  kept: Partial<LoadedService> = {},
): AppInput {
  const dir = path.join(root, 'services', name);
  const service: LoadedService = {
    dir,
    definition: kept.definition ?? {
      file: `services/${name}/service.ts`,
      value: serviceDefinition(name),
    },
    checks: kept.checks ?? { file: `services/${name}/synthetic.ts`, value: syntheticChecks(name) },
    // A handler on disk is checked there; else the scaffold's.
    ...(!nodeFs.existsSync(path.join(dir, handlerFileOf(kept))) && {
      handlerSource: handlerSource(name),
    }),
  };
  const stages = input.stages.map((loaded) => {
    const entry = loaded.value as { name?: unknown; services?: unknown };
    const list = lists.find((l) => l.stage === entry.name);
    if (!list || !Array.isArray(entry.services)) return loaded;
    const stack = stackOf.get(list);
    const item = stack === undefined ? name : { name, stack };
    return { ...loaded, value: { ...entry, services: [...entry.services, item] } };
  });
  return { ...input, stages, services: [...input.services, service] };
}

/** The handler file a kept definition names, or the default. */
function handlerFileOf(kept: Partial<LoadedService>): string {
  const handler = (kept.definition?.value as { handler?: unknown } | undefined)?.handler;
  return typeof handler === 'string' ? handler : 'handler.ts';
}

/** Prettier's printWidth from `.prettierrc(.json)`, or Prettier's default of 80. */
function readPrintWidth(root: string, fs: FileSystem): number {
  for (const file of ['.prettierrc.json', '.prettierrc']) {
    const full = path.join(root, file);
    if (!fs.existsSync(full)) continue;
    try {
      const width = (JSON.parse(fs.readFileSync(full, 'utf8')) as { printWidth?: unknown })
        .printWidth;
      if (typeof width === 'number') return width;
    } catch {
      // Not JSON (YAML is allowed there): fall back to the default.
    }
  }
  return 80;
}

/** Writes the plan, validates, and on any failure undoes every step already taken. */
function apply(plan: Plan, io: NewServiceIo, fs: FileSystem): number {
  const undo: Array<{ readonly what: string; readonly run: () => void }> = [];
  let doing = 'starting';
  io.stdout(`${plan.completing ? 'Completing' : 'Creating'} service "${plan.name}"`);
  try {
    const servicesDir = path.dirname(plan.dir);
    if (!plan.completing) {
      if (!fs.existsSync(servicesDir)) {
        doing = 'creating services/';
        fs.mkdirSync(servicesDir);
        undo.push({ what: 'removed services/', run: () => removeDir(fs, servicesDir) });
      }
      doing = `creating services/${plan.name}/`;
      fs.mkdirSync(plan.dir);
      undo.push({ what: `removed services/${plan.name}/`, run: () => removeDir(fs, plan.dir) });
    }
    for (const file of plan.kept) io.stdout(`  kept    ${file}`);
    for (const { file, text } of plan.create) {
      doing = `writing ${file}`;
      const full = path.join(plan.root, file);
      // In a folder of the user's, each file written is removed again, and nothing else.
      if (plan.completing) undo.push({ what: `removed ${file}`, run: () => removeDir(fs, full) });
      fs.writeFileSync(full, text);
      io.stdout(`  created ${file}`);
    }
    for (const { file, before, after, note } of plan.edit) {
      doing = `writing ${file}`;
      // Registered first: a write that fails half-way may still have changed the file.
      undo.push({
        what: `restored ${file}`,
        run: () => fs.writeFileSync(path.join(plan.root, file), before),
      });
      fs.writeFileSync(path.join(plan.root, file), after);
      io.stdout(`  edited  ${file}: ${note}`);
    }
    doing = `validating the configuration with "${plan.name}" added`;
    const model = (io.validate ?? freshLoadApp)(plan.root);
    const placed = model.stages.map((stage) => ({
      stage: stage.name,
      service: stage.services.find((s) => s.name === plan.name),
    }));
    const missing = placed.filter((p) => !p.service).map((p) => `"${p.stage}"`);
    // A folder completed where the stage entries already list it stays where they put it.
    const listedBefore = plan.completing && plan.edit.length === 0;
    if (missing.length > 0 && !listedBefore) {
      throw new Error(`stage ${missing.join(', ')} still does not deploy "${plan.name}"`);
    }
    io.stdout(
      `  checked the configuration: ${plan.name} deploys in ${placed
        .filter((p) => p.service)
        .map((p) => `${p.stage} (${strategyLabel(p.service!.strategy)})`)
        .join(', ')}`,
    );
    // The generated pipeline page must match the configuration, or npm test fails.
    const doc = path.join(plan.root, PIPELINE_DOC);
    if (fs.existsSync(doc)) {
      doing = `writing ${PIPELINE_DOC}`;
      const before = fs.readFileSync(doc, 'utf8');
      undo.push({ what: `restored ${PIPELINE_DOC}`, run: () => fs.writeFileSync(doc, before) });
      fs.writeFileSync(doc, renderPipelineDoc(buildPlan(model)));
      io.stdout(`  updated ${PIPELINE_DOC} (as ${WRITE_COMMAND} does)`);
    }
  } catch (error) {
    io.stderr(`✖ new-service: failed while ${doing}: ${(error as Error).message ?? error}`);
    const done: string[] = [];
    const failed: string[] = [];
    for (const step of undo.reverse()) {
      try {
        step.run();
        done.push(step.what);
      } catch (undoError) {
        failed.push(`${step.what} FAILED (${(undoError as Error).message ?? undoError})`);
      }
    }
    io.stderr(`  rolled back: ${done.join(', ') || 'nothing had been written'}`);
    if (failed.length > 0) {
      io.stderr(`  ✖ rollback incomplete, fix by hand (see git status): ${failed.join('; ')}`);
    }
    return EXIT.failed;
  }
  const tested = plan.create.some((c) => c.file.endsWith('/handler.test.ts'));
  io.stdout(nextSteps(plan.name, tested || !plan.completing));
  return EXIT.created;
}

function removeDir(fs: FileSystem, dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** `loadApp`, after forgetting any earlier load of the project's files in this process. */
function freshLoadApp(root: string): AppModel {
  forget(root);
  return loadApp(root);
}

/** Forgets the modules this process loaded from the project's config folders. */
function forget(root: string): void {
  const folders = ['stages', 'services', 'pipeline.config.ts'].map((f) => path.join(root, f));
  for (const key of Object.keys(require.cache)) {
    if (folders.some((f) => key === f || key.startsWith(f + path.sep))) delete require.cache[key];
  }
}

/** What to do next; `tested`: the scaffold wrote handler.test.ts, which tests its handler. */
function nextSteps(name: string, tested: boolean): string {
  const step2 = tested
    ? `type-check, lint and unit tests, including services/${name}/handler.test.ts`
    : `type-check, lint and unit tests (add services/${name}/handler.test.ts for your handler)`;
  return `
Next steps:
  1. Write the service in services/${name}/handler.ts; keep synthetic.ts${tested ? ' and handler.test.ts' : ''} in step.
  2. npm test         ${step2}
  3. npx cdk synth    ${name} in every stage, with that stage's strategy; the compliance gate must pass
  Another strategy in one stage: { name: '${name}', strategy: Strategy.canary(25, 5) } in its services.
  See docs/adding-a-service.md.`;
}

const realFs: FileSystem = {
  existsSync: (p) => nodeFs.existsSync(p),
  readFileSync: (p, encoding) => nodeFs.readFileSync(p, encoding),
  writeFileSync: (p, data) => nodeFs.writeFileSync(p, data),
  mkdirSync: (p) => nodeFs.mkdirSync(p),
  rmSync: (p, options) => nodeFs.rmSync(p, options),
};

if (require.main === module) {
  process.exitCode = main({
    argv: process.argv.slice(2),
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    defaultRoot: path.resolve(__dirname, '..'),
  });
}
