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

/**
 * Reads the configuration files of a project (`pipeline.config.ts`, `stages/index.ts` and every
 * `services/<name>/`) and validates them into the model. The only place that reads them.
 */
export function loadApp(rootDir: string, options: ValidateOptions = {}): AppModel {
  return validateApp(readAppInput(rootDir), options);
}

export function readAppInput(rootDir: string): AppInput {
  const config = requireExport(rootDir, 'pipeline.config.ts', 'config');
  const stagesExport = requireExport(rootDir, path.join('stages', 'index.ts'), 'stages');
  if (!Array.isArray(stagesExport.value)) {
    throw new ConfigError(
      'Stage entries (stages/index.ts): `stages` is not an array. Fix: export const stages = [dev, prod]',
    );
  }
  const stages: Loaded[] = stagesExport.value.map((value: unknown) => ({
    file: stageFile(rootDir, value),
    value,
  }));
  return { config, stages, services: readServices(rootDir) };
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
        definition: requireExport(rootDir, path.join('services', name, 'service.ts'), 'service'),
        checks: requireExport(rootDir, path.join('services', name, 'synthetic.ts'), 'checks'),
      };
    });
}

function requireExport(rootDir: string, file: string, exportName: string): Loaded {
  const full = path.resolve(rootDir, file);
  const shown = file.split(path.sep).join('/');
  if (!fs.existsSync(full)) {
    throw new ConfigError(
      `${shown} does not exist. Fix: create it${file.startsWith('services') ? ', e.g. with npm run new-service -- <name>' : ''}`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(full) as Record<string, unknown>;
  if (!(exportName in mod)) {
    throw new ConfigError(
      `${shown} does not export \`${exportName}\`. Fix: add \`export const ${exportName} = ...\``,
    );
  }
  return { file: shown, value: mod[exportName] };
}

/** Stage entries are imported objects; name their file by the entry's name for messages. */
function stageFile(rootDir: string, value: unknown): string {
  const name =
    value && typeof value === 'object' && 'name' in value ? String(value.name) : undefined;
  if (name && fs.existsSync(path.join(rootDir, 'stages', `${name}.ts`))) return `stages/${name}.ts`;
  return 'stages/index.ts';
}
