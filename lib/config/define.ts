import type { PipelineConfigInput, ServiceDefinitionInput, StageEntryInput } from './schema';

/**
 * Identity helpers that give config files their types. They do not validate: the whole
 * configuration is validated at once by `validateApp()`, so one bad entry gives one clear error.
 */
export const definePipelineConfig = (config: PipelineConfigInput): PipelineConfigInput => config;
export const defineService = (service: ServiceDefinitionInput): ServiceDefinitionInput => service;
export const defineStage = (stage: StageEntryInput): StageEntryInput => stage;

export { Strategy } from './strategy';
export type { PipelineConfigInput, ServiceDefinitionInput, StageEntryInput } from './schema';
