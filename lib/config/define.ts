import * as fs from 'fs';
import * as path from 'path';
import type { PipelineConfigInput, ServiceDefinitionInput, StageEntryInput } from './schema';

/**
 * Identity helpers that give config files their types. They do not validate: the whole
 * configuration is validated at once by `validateApp()`, so one bad entry gives one clear error.
 * docs/configuration.md describes every field.
 */
export const definePipelineConfig = (config: PipelineConfigInput): PipelineConfigInput => config;
export const defineService = (service: ServiceDefinitionInput): ServiceDefinitionInput => service;
export const defineStage = (stage: StageDefinition): StageDefinition => stage;

/** A stage entry deploys to one `environment`, or to `waves` of environments: never both. */
export type StageDefinition = Omit<StageEntryInput, 'environment' | 'waves'> &
  (
    | { readonly environment: string; readonly waves?: never }
    | { readonly waves: NonNullable<StageEntryInput['waves']>; readonly environment?: never }
  );

/**
 * The name of every service folder of this project (`services/<name>/`), sorted: for a stage
 * entry that deploys every service, such as the example configurations in `examples/`.
 */
export function projectServices(): string[] {
  const dir = path.join(__dirname, '..', '..', 'services');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

export { Strategy } from './strategy';
export type { PipelineConfigInput, ServiceDefinitionInput, StageEntryInput } from './schema';
