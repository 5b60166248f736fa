import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ServiceModel, StageModel } from '../../lib/config/model';

/** Exit codes of `npm run ops`. */
export const EXIT = {
  /** Done, or every check passed. */
  ok: 0,
  /** A check failed, a deployment failed or rolled back, a change did not verify, or aborted. */
  failed: 1,
  /** Could not act: bad usage, unknown stage or service, no credentials, nothing in progress. */
  unusable: 2,
} as const;

/** A problem that ends a command with one line and a non-zero exit. */
export class OpsError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.unusable,
  ) {
    super(message);
    this.name = 'OpsError';
  }
}

/** The AWS clients a command uses, all for the stage's region. */
export interface Clients {
  readonly cloudformation: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly codedeploy: CodeDeployClient;
  readonly cloudwatch: CloudWatchClient;
}

/** Where a command prints, one line at a time. */
export type Writer = (line: string) => void;

/** One service of the stage, with its deployed resources as its stack's outputs name them. */
export interface ServiceTarget {
  readonly service: ServiceModel;
  readonly stackName: string;
  readonly functionName: string;
  readonly aliasArn: string;
  /** The alias name, from the alias ARN (`live`). */
  readonly aliasName: string;
  readonly application: string;
  readonly deploymentGroup: string;
  readonly alarms: readonly string[];
}

/** What a command acts on: a stage and the services chosen in it. */
export interface Target {
  readonly stage: StageModel;
  readonly services: readonly ServiceTarget[];
}

/** Everything a command needs besides its target: injected so tests control all of it. */
export interface CommandDeps {
  readonly clients: Clients;
  readonly out: Writer;
  /** `--yes` was given: do not ask. */
  readonly yes: boolean;
  /** Asks a yes/no question; resolves true for yes. */
  readonly confirm: (question: string) => Promise<boolean>;
  /** Current time. */
  readonly now: () => Date;
  /** Waits between polls of `watch`. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds between polls of `watch`. */
  readonly pollMs: number;
  /** Minutes of metrics `metrics` checks. */
  readonly windowMinutes: number;
}

/** A command: acts on the target and resolves with the exit code. */
export type Command = (target: Target, deps: CommandDeps) => Promise<number>;
