import type { SyntheticCheck } from '../../runtime/synthetic/types';
import type { DeploymentStrategy } from './strategy';

/**
 * The validated, resolved model that the constructs are built from. Produced once by
 * `validateApp()`; nothing downstream reads config files, context or environment variables.
 */
export interface AppModel {
  readonly pipelineName: string;
  readonly source: {
    readonly connectionArn: string;
    readonly repository: string;
    readonly branch: string;
  };
  readonly pipelineEnv: Env;
  readonly notificationEmails: readonly string[];
  /** In pipeline order. */
  readonly stages: readonly StageModel[];
}

export interface Env {
  readonly account: string;
  readonly region: string;
}

export interface StageModel {
  readonly name: string;
  readonly environmentName: string;
  readonly env: Env;
  readonly strategy: DeploymentStrategy;
  readonly requiresApproval: boolean;
  readonly smokeTests: boolean;
  readonly services: readonly ServiceModel[];
}

export interface AlarmThresholds {
  /** Errors in one minute, across the alias, that fire the alarm. */
  readonly maxErrors: number;
  /** p99 duration over one minute, in milliseconds, that fires the alarm. */
  readonly p99LatencyMs: number;
  /** Throttles in one minute that fire the alarm. */
  readonly maxThrottles: number;
}

export interface ServiceModel {
  readonly name: string;
  readonly description?: string;
  /** Absolute path of the service folder. */
  readonly dir: string;
  /** Absolute path of the handler file. */
  readonly entry: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly reservedConcurrency?: number;
  readonly environment: Readonly<Record<string, string>>;
  readonly alarms: AlarmThresholds;
  /**
   * The stack it deploys in within the stage: its own name, or the shared stack its stage entry
   * names (see `grouping.ts`).
   */
  readonly stack: string;
  /** The strategy this service deploys with in this stage (the stage's, or the entry's override). */
  readonly strategy: DeploymentStrategy;
  readonly checks: readonly SyntheticCheck[];
}
