import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from './config-error';
import type { AppModel } from './model';
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

export function readAppInput(rootDir: string, options: LoadOptions = {}): AppInput {
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
  const index = requireExport(rootDir, path.join(stagesDir, 'index.ts'), 'stages');
  if (!Array.isArray(index.value)) {
    throw new ConfigError(
      `Stage entries (${index.file}): \`stages\` is not an array. Fix: export const stages = [dev, prod]`,
    );
  }
  const stages: Loaded[] = (index.value as unknown[]).flat(Infinity).map((value) => ({
    file: (value !== null && typeof value === 'object' && files.get(value)) || index.file,
    value,
  }));
  return { config, stages, services: readServices(rootDir), stagesFile: index.file };
}

/** Every folder under `services/`, sorted by name. */
export function readServices(rootDir: string): LoadedService[] {
  const servicesDir = path.resolve(rootDir, 'services');
  if (!fs.existsSync(servicesDir)) return [];
  return fs
    .readdirSync(servicesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => {
      const dir = path.join(servicesDir, name);
      return {
        dir,
        definition: requireExport(rootDir, path.join(dir, 'service.ts'), 'service'),
        checks: requireExport(rootDir, path.join(dir, 'synthetic.ts'), 'checks'),
      };
    });
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

function requireExport(rootDir: string, full: string, exportName: string): Loaded {
  const shown = shownPath(rootDir, full);
  if (!fs.existsSync(full)) {
    throw new ConfigError(
      `${shown} does not exist. Fix: create it${shown.startsWith('services/') ? ', e.g. with npm run new-service -- <name>' : ''}`,
    );
  }
  const mod = load(rootDir, full);
  if (!(exportName in mod)) {
    throw new ConfigError(
      `${shown} does not export \`${exportName}\`. Fix: add \`export const ${exportName} = ...\``,
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
      `${shownPath(rootDir, full)} cannot be loaded: ${firstProblem(error, rootDir)}. Fix: correct the file (npx tsc --noEmit shows every error)`,
    );
  }
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
