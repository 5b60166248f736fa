import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import type { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { STSClient } from '@aws-sdk/client-sts';
import type {
  AppModel,
  EnvironmentModel,
  ServiceModel,
  StageModel,
  WaveModel,
} from '../../lib/config/model';
import type { Since } from './report/window';

/** Exit codes of `npm run ops`. */
export const EXIT = {
  /** Done, or every check passed. */
  ok: 0,
  /** A check failed, a deployment failed or rolled back, a stop came too late, or aborted. */
  failed: 1,
  /**
   * Could not act: bad usage, unknown stage or service, no credentials, no network, an account
   * out of reach, nothing in progress.
   */
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

/** The AWS clients of one region, for the stage accounts' resources. */
export interface RegionClients {
  readonly cloudformation: CloudFormationClient;
  readonly lambda: LambdaClient;
  readonly codedeploy: CodeDeployClient;
  readonly cloudwatch: CloudWatchClient;
}

/** Every client a command may use, all on one credential chain. */
export interface Clients {
  /** Tells whose credentials these are (GetCallerIdentity). */
  readonly sts: STSClient;
  /** CodePipeline in the pipeline's own region. */
  readonly codepipeline: CodePipelineClient;
  /** The clients of a region, created on first use. */
  readonly region: (region: string) => RegionClients;
  /** Closes every client made (the command line does, at the end). */
  readonly destroy: () => void;
}

/** Where a command prints, one line at a time. */
export type Writer = (line: string) => void;

/** One environment of the stage, with the wave that deploys it. */
export interface EnvironmentChoice {
  readonly environment: EnvironmentModel;
  readonly wave: WaveModel;
}

/** What a command acts on: a stage, the services and environments chosen in it. */
export interface Selection {
  readonly app: AppModel;
  readonly stage: StageModel;
  /** The services chosen (`--service`), or all of the stage; none for commands on a wave. */
  readonly services: readonly ServiceModel[];
  /** The environments chosen (`--wave`, `--region`, `--environment`), in wave order. */
  readonly environments: readonly EnvironmentChoice[];
  /** The wave chosen with `--wave`. */
  readonly wave?: WaveModel;
}

/** One service in one environment, with its deployed resources as its stack's outputs name them. */
export interface ServiceTarget {
  readonly service: ServiceModel;
  readonly stackName: string;
  readonly functionName: string;
  readonly aliasArn: string;
  /** The alias name, from the alias ARN (`live`). */
  readonly aliasName: string;
  readonly application: string;
  readonly deploymentGroup: string;
  /** The alarms the deployment group rolls back on. */
  readonly alarms: readonly string[];
}

/** One environment with the clients of its region and its services' resources. */
export interface EnvironmentTarget extends EnvironmentChoice {
  readonly clients: RegionClients;
  readonly services: readonly ServiceTarget[];
}

/** Everything a command needs besides its selection: injected so tests control all of it. */
export interface CommandDeps {
  readonly clients: Clients;
  /** The account the credentials belong to: the only one the commands can reach. */
  readonly account: string;
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

/** A command: acts on the selection and resolves with the exit code. */
export type Command = (selection: Selection, deps: CommandDeps) => Promise<number>;

/**
 * What `report` reads: the stages chosen (`--stage`, or every stage, in pipeline order), each as
 * the selection of its services (`--service`, or all) in all its environments.
 */
export interface HistorySelection {
  readonly app: AppModel;
  readonly stages: readonly Selection[];
  /** `--service`: only the releases that moved it. */
  readonly service?: string;
}

/** The options of `report`. */
export interface ReportOptions {
  /** `--since`: where the window starts. */
  readonly since: Since;
  /** `--json`: one JSON document instead of the terminal's text. */
  readonly json: boolean;
  /** `--out`: the file to write the weekly chart to (HTML for `.html`, else Markdown). */
  readonly out?: string;
}

/** A command over the pipeline's history: reads the selection's stages, resolves with the exit code. */
export type HistoryCommand = (
  selection: HistorySelection,
  deps: CommandDeps,
  options: ReportOptions,
) => Promise<number>;
