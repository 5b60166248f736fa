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
  /** Where the pipeline runs (the tools account and its home region). */
  readonly pipelineEnv: Env;
  /**
   * Every region the tools account is bootstrapped in (`pipeline.regions`, always including
   * the pipeline's own region). Every environment a stage deploys to is in one of them.
   */
  readonly pipelineRegions: readonly string[];
  readonly notificationEmails: readonly string[];
  /** In pipeline order. */
  readonly stages: readonly StageModel[];
}

export interface Env {
  readonly account: string;
  readonly region: string;
}

/** One named environment of `pipeline.config.ts`: an account and a region. */
export interface EnvironmentModel extends Env {
  /** Its key in `environments`, e.g. `prod-eu`. */
  readonly name: string;
  /** The VPC Lattice service network of the environment, used by services with a front door. */
  readonly lattice: LatticeNetworkModel;
}

/** Where the Lattice front doors of an environment attach, and who may call them. */
export interface LatticeNetworkModel {
  /**
   * An existing service network (id `sn-...` or ARN) to associate services with; absent: the
   * stage creates one per environment.
   */
  readonly serviceNetwork?: string;
  /** VPCs (`vpc-...`) associated with a service network the stage creates. */
  readonly vpcIds: readonly string[];
  /** Accounts whose principals may call the services (the environment's own by default). */
  readonly allowedAccounts: readonly string[];
  /** An organization (`o-...`) whose principals may call the services. */
  readonly organizationId?: string;
}

/** A set of environments a stage deploys to at the same time. */
export interface WaveModel {
  /** 1-based position in the stage. */
  readonly index: number;
  readonly environments: readonly EnvironmentModel[];
}

/** When a stage may start: a CodePipeline `DeploymentWindow` rule. */
export interface DeploymentWindowModel {
  /** CodePipeline cron: six fields and an optional year, seconds `*`, e.g. `* 0-59 9-16 ? * MON-FRI`. */
  readonly cron: string;
  /** IANA time zone, e.g. `Europe/Berlin`. */
  readonly timeZone: string;
}

export interface StageModel {
  readonly name: string;
  /** `<pipelineName>-<stage>`: the prefix of every physical name the stage sets. */
  readonly prefix: string;
  /** In order; a stage with one environment has one wave of one environment. */
  readonly waves: readonly WaveModel[];
  readonly strategy: DeploymentStrategy;
  readonly requiresApproval: boolean;
  /** Run every service's synthetic checks through its alias after each wave deploys. */
  readonly smokeTests: boolean;
  /**
   * Minutes each wave's alarms are watched after it reaches 100%, before the next wave or
   * stage; an alarm in that time rolls the wave back. 0: no bake.
   */
  readonly bakeMinutes: number;
  /** The stage does not start while any of its alarms fires (a `beforeEntry` condition). */
  readonly blockWhileAlarming: boolean;
  /** The stage starts only inside this window. */
  readonly deploymentWindow?: DeploymentWindowModel;
  readonly services: readonly ServiceModel[];
}

export interface AlarmThresholds {
  /** Errors as a percentage of invocations, per minute, that fire the error-rate alarm. */
  readonly errorRatePercent: number;
  /** Invocations a minute needs before its error rate is judged (fewer: not breaching). */
  readonly minInvocationsPerMinute: number;
  /** p99 duration over one minute, in milliseconds, that fires the alarm. */
  readonly p99LatencyMs: number;
  /** Throttles in one minute that fire the alarm. */
  readonly maxThrottles: number;
}

/** How a release of the service is judged beyond the alarms' fixed thresholds. */
export interface CanaryJudgement {
  /**
   * Invocations of the new version the canary window must see; fewer and the release does not
   * pass on silence. 0 for strategies without a window (all at once).
   */
  readonly minInvocations: number;
  /**
   * What the post-traffic hook does when the window saw fewer: `fail` the release, or
   * `generate-traffic` (run the synthetic checks through the alias until there are enough).
   */
  readonly onQuiet: 'fail' | 'generate-traffic';
  /**
   * Alarm when the new version's error rate exceeds the old version's by this many percentage
   * points during the canary; absent: no comparison.
   */
  readonly baselineMarginPercent?: number;
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
  readonly canary: CanaryJudgement;
  /** A VPC Lattice front door for the service in this stage. */
  readonly lattice: boolean;
  /**
   * The stack it deploys in within the stage: its own name, or the shared stack its stage entry
   * names (see `grouping.ts`).
   */
  readonly stack: string;
  /** The strategy this service deploys with in this stage (the stage's, or the entry's override). */
  readonly strategy: DeploymentStrategy;
  readonly checks: readonly SyntheticCheck[];
}

/** Every environment of a stage, in wave order. */
export function stageEnvironments(stage: StageModel): EnvironmentModel[] {
  return stage.waves.flatMap((w) => w.environments);
}
