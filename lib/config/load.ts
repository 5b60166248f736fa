import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './config-error';
import { closest } from './describe-issue';
import { packageName } from './handler-check';
import type { AppModel } from './model';
import { serviceName } from './schema';
import {
  validateApp,
  type AppInput,
  type Loaded,
  type LoadedService,
  type ValidateOptions,
} from './validate';

export interface LoadOptions extends ValidateOptions {
  /**
   * The folder holding `pipeline.config.ts` and `stages/`, absolute or relative to the project
   * root; services always come from the project's `services/`. Used to synthesize an example
   * configuration, e.g. `examples/three-region-prod`.
   * @default the project root
   */
  readonly configRoot?: string;
}

/**
 * Reads the configuration files of a project (`pipeline.config.ts`, `stages/index.ts` and every
 * `services/<name>/`) and validates them into the model. The only place that reads them.
 */
export function loadApp(rootDir: string, options: LoadOptions = {}): AppModel {
  return validateApp(readAppInput(rootDir, options), options);
}

export function readAppInput(
  rootDir: string,
  options: LoadOptions = {},
  except?: string,
): AppInput {
  const configRoot = path.resolve(rootDir, options.configRoot ?? '.');
  if (!fs.existsSync(configRoot) || !fs.statSync(configRoot).isDirectory()) {
    throw new ConfigError(
      `The configuration folder ${options.configRoot} does not exist. Fix: name a folder of the project holding pipeline.config.ts and stages/, e.g. examples/three-region-prod`,
    );
  }
  const config = requireExport(rootDir, path.join(configRoot, 'pipeline.config.ts'), 'config');
  const stagesDir = path.join(configRoot, 'stages');
  // Each stage file first, so that one that does not load is named, not the index importing it.
  const files = stageFiles(rootDir, stagesDir);
  const indexFile = path.join(stagesDir, 'index.ts');
  const index = requireExport(rootDir, indexFile, 'stages');
  if (!Array.isArray(index.value)) {
    throw new ConfigError(
      `Stage entries (${index.file}): \`stages\` is not an array. Fix: export const stages = [dev, prod]`,
    );
  }
  const stages: Loaded[] = positions(index.value, 'stages').map(({ at, value }) => {
    if (value === null || typeof value !== 'object') {
      throw new ConfigError(notAnEntry(rootDir, indexFile, at, value));
    }
    return { file: files.get(value) || index.file, value };
  });
  return {
    config,
    stages,
    services: readServices(rootDir, except),
    stagesFile: index.file,
  };
}

/** The entries of a list of stages, nested groups flattened in order, each with its position. */
function positions(list: readonly unknown[], at: string): { at: string; value: unknown }[] {
  return list.flatMap((value, i) =>
    Array.isArray(value) ? positions(value, `${at}[${i}]`) : [{ at: `${at}[${i}]`, value }],
  );
}

/**
 * Why an entry of `stages` is not a stage entry: mostly `undefined`, from a name imported from a
 * stage file that does not export it (TypeScript's transpiler lets that through). The import at
 * fault is named when one is.
 */
function notAnEntry(rootDir: string, indexFile: string, at: string, value: unknown): string {
  const shown = shownPath(rootDir, indexFile);
  const what = value === undefined ? 'undefined' : JSON.stringify(value);
  const head = `Stage entries (${shown}): ${at} is ${what}, not a stage entry`;
  const missing = value === undefined ? missingImport(rootDir, indexFile) : undefined;
  if (missing) {
    const { name, from, file, exported } = missing;
    const guess = closest(name, exported);
    const has = exported.length
      ? `it exports ${exported.map((e) => `\`${e}\``).join(', ')}`
      : 'it exports nothing';
    return `${head}: ${shown} imports \`${name}\` from '${from}', which ${file} does not export (${has}). Fix: ${guess ? `import \`${guess}\` instead (import { ${guess} } from '${from}') and list ${guess} in stages` : `export \`${name}\` from ${file} (export const ${name} = defineStage({ ... })), or import a name it exports`}`;
  }
  if (value === undefined) {
    return `${head}: a name listed there holds no value, usually one imported from a stage file that does not export it. Fix: import each stage by the name its file exports (npx tsc --noEmit names the import that does not match)`;
  }
  return `${head}. Fix: list the stage objects the stage files export, e.g. import { prod } from './prod' and export const stages = [dev, prod]`;
}

/** The first name `stages/index.ts` imports from a local file that does not export it. */
function missingImport(
  rootDir: string,
  indexFile: string,
): { name: string; from: string; file: string; exported: string[] } | undefined {
  const source = fs.readFileSync(indexFile, 'utf8');
  const imports =
    /import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s*['"](\.[^'"]+)['"]/g;
  for (const [, defaultName, named, from] of source.matchAll(imports)) {
    const names = [
      ...(defaultName ? ['default'] : []),
      ...(named ?? '')
        .split(',')
        .map(
          (n) =>
            n
              .trim()
              .replace(/^type\s+/, '')
              .split(/\s+as\s+/)[0],
        )
        .filter((n) => n !== ''),
    ];
    const full = moduleFile(path.resolve(path.dirname(indexFile), from));
    if (full === undefined) continue;
    const mod = load(rootDir, full);
    const name = names.find((n) => !(n in mod));
    if (name !== undefined) {
      return { name, from, file: shownPath(rootDir, full), exported: Object.keys(mod).sort() };
    }
  }
  return undefined;
}

/** The file an import of `base` loads: `base.ts`, `base/index.ts` or `base` itself. */
function moduleFile(base: string): string | undefined {
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find(
    (f) => fs.existsSync(f) && fs.statSync(f).isFile(),
  );
}

/** The files every service folder holds (the handler's name can be changed in `service.ts`). */
export const SERVICE_FILES = ['handler.ts', 'service.ts', 'synthetic.ts'] as const;

/** Every folder under `services/` but `except`, sorted by name. */
export function readServices(rootDir: string, except?: string): LoadedService[] {
  const servicesDir = path.resolve(rootDir, 'services');
  if (!fs.existsSync(servicesDir)) return [];
  return fs
    .readdirSync(servicesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== except)
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(servicesDir, name);
      const missing = missingServiceFiles(dir);
      if (missing.length > 0) throw new ConfigError(incompleteFolder(rootDir, dir, missing));
      return {
        dir,
        definition: requireExport(rootDir, path.join(dir, 'service.ts'), 'service'),
        checks: requireExport(rootDir, path.join(dir, 'synthetic.ts'), 'checks'),
      };
    });
}

/**
 * The files of `SERVICE_FILES` a service folder lacks: `service.ts` and `synthetic.ts`, and
 * `handler.ts` while there is no `service.ts` to name another handler file.
 */
export function missingServiceFiles(dir: string): string[] {
  const has = (file: string) => fs.existsSync(path.join(dir, file));
  return SERVICE_FILES.filter(
    (file) => !has(file) && (file !== 'handler.ts' || !has('service.ts')),
  );
}

/** What a half-made service folder lacks, and the two ways out: complete it, or remove it. */
function incompleteFolder(rootDir: string, dir: string, missing: readonly string[]): string {
  const shown = `${shownPath(rootDir, dir)}/`;
  const name = path.basename(dir);
  const lacks =
    missing.length === SERVICE_FILES.length
      ? `has none of the files of a service (${orList(SERVICE_FILES)})`
      : `has no ${orList(missing)} (a service folder holds ${SERVICE_FILES.join(', ')})`;
  const complete = serviceName.safeParse(name).success
    ? `npm run new-service -- ${name} --complete writes the missing files and keeps the others, or `
    : '';
  return `${shown} ${lacks}: every folder under services/ is a service. Fix: ${complete}remove ${shown} if it is not a service (code that services share belongs outside services/)`;
}

/** "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/**
 * The file each stage entry object comes from: every module in the stages folder is loaded
 * (`stages/index.ts` has loaded them already) and its exported objects are mapped to it. Two
 * entries with the same name are told apart by identity, not guessed from their names.
 */
function stageFiles(rootDir: string, stagesDir: string): Map<object, string> {
  const files = new Map<object, string>();
  if (!fs.existsSync(stagesDir)) return files;
  const modules = fs
    .readdirSync(stagesDir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .filter((f) => f !== 'index.ts')
    .sort();
  for (const file of modules) {
    const full = path.join(stagesDir, file);
    const mod = load(rootDir, full);
    for (const value of Object.values(mod)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        if (!files.has(value)) files.set(value, shownPath(rootDir, full));
      }
    }
  }
  return files;
}

/** The export `exportName` of a config file, or a ConfigError naming the file and the fix. */
export function requireExport(rootDir: string, full: string, exportName: string): Loaded {
  const shown = shownPath(rootDir, full);
  if (!fs.existsSync(full)) {
    throw new ConfigError(
      `${shown} does not exist. Fix: create it${shown.startsWith('services/') ? ', e.g. with npm run new-service -- <name>' : ''}`,
    );
  }
  const mod = load(rootDir, full);
  if (!(exportName in mod)) {
    const names = Object.keys(mod).sort();
    const has = names.length
      ? `it exports ${names.map((n) => `\`${n}\``).join(', ')}`
      : 'it exports nothing';
    const guess = names.length === 1 ? names[0] : closest(exportName, names);
    throw new ConfigError(
      `${shown} does not export \`${exportName}\` (${has}). Fix: ${guess ? `export it as \`${exportName}\` (${guess === 'default' ? `export const ${exportName} = ... instead of export default` : `rename \`${guess}\``}), or add` : 'add'} \`export const ${exportName} = ...\``,
    );
  }
  return { file: shown, value: mod[exportName] };
}

/** Loads a config file; one that does not compile or throws is a ConfigError, not a stack trace. */
function load(rootDir: string, full: string): Record<string, unknown> {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(full) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(
      `${shownPath(rootDir, full)} cannot be loaded: ${loadProblem(error, rootDir, full)}`,
    );
  }
}

/** What went wrong loading a config file, and the fix: it does not compile, import or run. */
function loadProblem(error: unknown, rootDir: string, full: string): string {
  const e = error as Partial<NodeJS.ErrnoException> & { requireStack?: string[] };
  const missing = /^Cannot find module '([^']+)'/.exec(e?.message ?? '')?.[1];
  if (e?.code === 'MODULE_NOT_FOUND' && missing !== undefined) {
    const importer = e.requireStack?.[0];
    const where = importer && importer !== full ? ` (in ${shownPath(rootDir, importer)})` : '';
    if (/^[./]/.test(missing)) {
      return `it imports '${missing}'${where}, which does not exist. Fix: correct the import, or create the file`;
    }
    return `it imports "${missing}"${where}, which is not installed. Fix: npm install --save-dev ${packageName(missing)} (configuration files run at synth only: a dev dependency)`;
  }
  if (e?.name === 'TSError' || e?.name === 'SyntaxError') {
    const problem =
      (e.name === 'SyntaxError' && syntaxProblem(error, rootDir, full)) ||
      firstProblem(error, rootDir);
    return `${problem}. Fix: correct the file (npx tsc --noEmit shows every error)`;
  }
  const at = thrownAt(error, rootDir);
  return `it throws ${e?.name ?? 'an error'}: ${firstProblem(error, rootDir)}${at ? ` (at ${at})` : ''}. Fix: correct the file so that it loads without throwing: synth runs it to read the configuration`;
}

/**
 * A syntax error where the user wrote it. ts-node reports TypeScript's syntax errors itself (a
 * TSError, read by `firstProblem`); a loader that transpiles without reporting them (Jest's)
 * hands Node JavaScript that does not parse, and Node's `Unexpected token '}'` points into code
 * the user did not write. TypeScript's parser names the first problem in the file itself:
 * `stages/a.ts:1:26: error TS1109: Expression expected`.
 */
function syntaxProblem(error: unknown, rootDir: string, full: string): string | undefined {
  // Node's stack names the file that did not parse on a line of its own: `/abs/stages/a.ts:1`.
  const file = String((error as Error)?.stack ?? '')
    .split('\n')
    .map((line) => /^(.+\.[cm]?tsx?):\d+$/.exec(line.trim())?.[1])
    .find((f) => f !== undefined && path.isAbsolute(f));
  const source = file && fs.existsSync(file) ? file : full;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const ts = require('typescript') as typeof import('typescript');
  const { diagnostics } = ts.transpileModule(fs.readFileSync(source, 'utf8'), {
    fileName: source,
    reportDiagnostics: true,
    compilerOptions: { module: ts.ModuleKind.CommonJS },
  });
  const first = diagnostics?.find((d) => d.file && d.start !== undefined);
  if (!first) return undefined;
  const { line, character } = first.file!.getLineAndCharacterOfPosition(first.start!);
  const text = ts.flattenDiagnosticMessageText(first.messageText, ' ').replace(/\.$/, '');
  return `${shownPath(rootDir, source)}:${line + 1}:${character + 1}: error TS${first.code}: ${text}`;
}

/** `stages/prod.ts:12:7`: the first place in the project (not a package) the error was thrown. */
function thrownAt(error: unknown, rootDir: string): string | undefined {
  for (const line of String((error as Error)?.stack ?? '').split('\n')) {
    const frame = /\(?([^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (!frame || !path.isAbsolute(frame[1])) continue;
    const shown = shownPath(rootDir, frame[1]);
    if (shown.startsWith('..') || shown.includes('node_modules/')) continue;
    return `${shown}:${frame[2]}:${frame[3]}`;
  }
  return undefined;
}

/**
 * The first line of a load error a person can act on. ts-node reports compile errors as
 * `<file>(<line>,<column>): error TS...` under a heading; that becomes
 * `<project-relative file>:<line>:<column>: error TS...`.
 */
function firstProblem(error: unknown, rootDir: string): string {
  const lines = String((error as Error)?.message ?? error)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  for (const line of lines) {
    const at = /^(.+)\((\d+),(\d+)\): (.+)$/.exec(line);
    if (at)
      return `${shownPath(rootDir, path.resolve(at[1]))}:${at[2]}:${at[3]}: ${at[4].replace(/\.$/, '')}`;
  }
  return (lines[0] ?? 'unknown error').replace(/\.$/, '');
}

/** Project-relative, with `/` separators, as messages show files. */
function shownPath(rootDir: string, full: string): string {
  return path.relative(rootDir, full).split(path.sep).join('/');
}
