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
  /**
   * A wave does not start while the stage's health alarm fires in one of its environments (a
   * `beforeEntry` condition); it waits up to `blockWaitMinutes`, then fails.
   */
  readonly blockWhileAlarming: boolean;
  /** Minutes the alarm blocker holds a release before failing it. */
  readonly blockWaitMinutes: number;
  /** The stage starts only inside this window. */
  readonly deploymentWindow?: DeploymentWindowModel;
  readonly services: readonly ServiceModel[];
  /**
   * The services this stage, which requires approval, deploys though no earlier stage deploys
   * them, and the stage entry's `untestedReason` for it. Absent: every service was deployed
   * by an earlier stage first.
   */
  readonly untested?: { readonly services: readonly string[]; readonly reason: string };
}

export interface AlarmThresholds {
  /**
   * The error rate, in percent, a release is rolled back for (the release judge), and that
   * fires the service's fleet alarm in a minute.
   */
  readonly errorRatePercent: number;
  /** Fleet alarm: invocations a minute needs before its error rate counts (fewer: not breaching). */
  readonly minInvocationsPerMinute: number;
  /** The p99 duration, in milliseconds, a release is rolled back for, and the fleet alarm's. */
  readonly p99LatencyMs: number;
  /** Fleet alarm: throttles in one minute that fire it. */
  readonly maxThrottles: number;
}

/**
 * How a release of the service is judged (see `runtime/judge/judge.ts`): a test of its failed,
 * slow and throttled calls over the whole release, against the thresholds of `alarms`.
 */
export interface CanaryJudgement {
  /** A healthy version's error rate, in percent: the rate the judge must not roll back. */
  readonly baselineErrorRatePercent: number;
  /** How sure a rollback must be, in percent (1 − the false-rollback rate). */
  readonly confidencePercent: number;
  /** How sure a pass must be, in percent (1 − the chance of passing a version at the threshold). */
  readonly powerPercent: number;
  /**
   * What the post-traffic hook does when real traffic cannot give a conclusive verdict: `fail`
   * the release, or `generate-traffic` (call the new version with the synthetic checks until it
   * can).
   */
  readonly onQuiet: 'fail' | 'generate-traffic';
  /** Let the old version's measured rates raise the acceptable ones. */
  readonly compareToBaseline: boolean;
  /** Minutes the post-traffic hook watches real traffic at 100% at most. */
  readonly watchMinutes: number;
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
  /**
   * Why it deploys all at once in a stage that requires approval (`allAtOnceReason` of its
   * entry, or of the stage). Absent where the rule does not apply.
   */
  readonly allAtOnceReason?: string;
  /** The calls a minute its stage entry says it expects; absent: not declared. */
  readonly requestsPerMinute?: number;
  readonly checks: readonly SyntheticCheck[];
}

/** Every environment of a stage, in wave order. */
export function stageEnvironments(stage: StageModel): EnvironmentModel[] {
  return stage.waves.flatMap((w) => w.environments);
}
