/**
 * The delivery history of a stage as `npm run ops -- report` computes its figures from it:
 * releases, their outcome and why they failed, normalized from CodePipeline's execution history
 * (history.ts, releases.ts) and CodeDeploy's deployments (deployments.ts). Nothing here reads AWS.
 */

/** When the change of a release was committed, as well as CodePipeline records it. */
export interface Commit {
  /** The commit id (`CommitId`, or the source revision). */
  readonly id?: string;
  /** The first line of the commit message. */
  readonly message?: string;
  readonly time: Date;
  /**
   * `author-date`: the `AuthorDate` output variable of the source action (CodeStarSourceConnection);
   * `execution-start`: CodePipeline recorded none, so the execution's start (the push) stands in.
   */
  readonly timeFrom: 'author-date' | 'execution-start';
}

/**
 * How a release of a stage ended. Only `succeeded` and `failed` enter the figures; a release
 * still running, stopped by a person, superseded between two waves, or cancelled by a change of
 * the pipeline is listed but counted apart.
 */
export type Outcome =
  'succeeded' | 'failed' | 'in-progress' | 'stopped' | 'superseded' | 'cancelled';

/** What failed a release, for the figures' change failure rate and the table's reason column. */
export type FailureKind =
  /** CodeDeploy stopped a deployment because a rollback alarm fired (ALARM_ACTIVE). */
  | 'alarm'
  /** A traffic hook reported Failed (HOOK_EXECUTION_FAILURE). */
  | 'hook'
  /** Another CodeDeploy failure, or a person stopped the deployment. */
  | 'deployment'
  /** A deploy action failed without a CodeDeploy deployment to say why (CloudFormation). */
  | 'deploy-action'
  /** The smoke tests after a wave failed. */
  | 'smoke-tests'
  /** The stage's success condition (the bake) failed: CodePipeline rolls the stage back. */
  | 'bake'
  /** A later wave's entry condition failed the execution. */
  | 'entry'
  /** A person rolled the stage back (RollbackStage). */
  | 'manual-rollback'
  /** CodePipeline rolled the stage back after it failed (an automated rollback execution). */
  | 'rolled-back'
  /** Anything else CodePipeline reports as a failure. */
  | 'other';

export interface Failure {
  readonly kind: FailureKind;
  readonly at: Date;
  /** One line: what failed and why, in AWS's words where it has them. */
  readonly text: string;
}

/** A step of a release in a stage: waiting at the entry, approval, deploy, smoke tests, bake. */
export interface Step {
  /** `entry`, `approval`, `deploy`, `smoke tests`, `bake`, prefixed `wave <n> ` in a stage of several waves. */
  readonly name: string;
  readonly start: Date;
  /** Absent while it runs. */
  readonly end?: Date;
}

/** A deploy action of a release: the window in which CodeDeploy deployed its stack's functions. */
export interface DeployAction {
  readonly environment: string;
  readonly stackName: string;
  readonly start: Date;
  /** Absent while it runs. */
  readonly end?: Date;
}

/** What the release judge recorded for one deployment (runtime/judge/verdict-metric.ts). */
export interface Verdict {
  /** The judge decided to roll the release back. */
  readonly rollback: boolean;
  readonly invocations?: number;
  readonly errors?: number;
  readonly slow?: number;
  readonly throttles?: number;
  /** The largest log-likelihood ratio of its tests. */
  readonly evidence?: number;
}

/** One CodeDeploy deployment of a service in one environment, made by a release. */
export interface ServiceDeployment {
  readonly service: string;
  readonly environment: string;
  readonly deploymentId: string;
  /** CodeDeploy's status: `Succeeded`, `Stopped`, `Failed`, or one still running. */
  readonly status: string;
  readonly fromVersion?: string;
  readonly toVersion?: string;
  readonly created: Date;
  readonly completed?: Date;
  /** CodeDeploy's `errorInformation`. */
  readonly error?: { readonly code: string; readonly message: string };
  /** The deployment CodeDeploy rolled it back with (`rollbackInfo.rollbackDeploymentId`). */
  readonly rolledBackBy?: string;
  /** CodeDeploy's `rollbackInfo.rollbackMessage`. */
  readonly rollbackMessage?: string;
  /** Absent where the judge recorded nothing. */
  readonly verdict?: Verdict;
}

/** One pipeline execution that entered the deploy of a stage. */
export interface Release {
  readonly stage: string;
  readonly executionId: string;
  readonly executionStart: Date;
  readonly commit: Commit;
  /** When it entered the stage (its first action there: the approval or the deploy). */
  readonly start: Date;
  /** When it left the stage: its last wave's last action or bake; absent while it runs. */
  readonly end?: Date;
  readonly outcome: Outcome;
  /** Why it failed, the first cause first; empty unless `outcome` is `failed`. */
  readonly failures: readonly Failure[];
  readonly steps: readonly Step[];
  /** The pipeline stages (one per wave) it ran in, and when it entered each. */
  readonly pipelineStages: readonly { readonly name: string; readonly start: Date }[];
  readonly deployActions: readonly DeployAction[];
  /** The services it moved: CodeDeploy deployments during its deploy actions. */
  readonly deployments: readonly ServiceDeployment[];
}

/** The releases of one stage in the window, oldest first, and the approvals rejected. */
export interface StageHistory {
  readonly stage: string;
  /** The last stage behind an approval (or the last stage): where lead time ends for DORA. */
  readonly production: boolean;
  readonly releases: readonly Release[];
  /** Executions whose approval was rejected before the stage's deploy: not releases. */
  readonly rejected: number;
}

/** The moment a failed release failed (its first failure), or undefined. */
export function failedAt(release: Release): Date | undefined {
  return release.outcome === 'failed' ? release.failures[0]?.at : undefined;
}
