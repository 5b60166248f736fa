/**
 * What releases do to a function's versions, for the question "can I ship this commit again
 * after a rollback?", from AWS's documented behaviour:
 *
 * - Lambda (PublishVersion): "Lambda doesn't publish a version if the function's configuration
 *   and code haven't changed since the last version"; CloudFormation's `AWS::Lambda::Version`
 *   then fails with "A version for this Lambda function exists". This model compares with the
 *   latest version that still exists (what happens once it is deleted is not documented).
 * - CloudFormation: an update that fails rolls back; a resource the update created is deleted
 *   on rollback unless its DeletionPolicy is `Retain` (`RetainExceptOnCreate` deletes it); a
 *   resource the update removed from the template is kept at cleanup unless it is `Delete`.
 * - CodeDeploy: a canary stopped by an alarm or a failed hook shifts the alias back and fails the
 *   stack update.
 * - CodePipeline (RollbackStage): deploys the stage's last successful execution again, only if
 *   that execution ran in the pipeline's current structure version (self-mutation that changes
 *   the pipeline starts a new one).
 *
 * Each service's `live` alias points at a version resource whose logical id follows its code
 * (CDK's `currentVersion`), so a release of new code creates a new version resource.
 */
export type DeletionPolicy = 'Retain' | 'RetainExceptOnCreate' | 'Delete';

export interface FunctionHistory {
  /** Published versions that exist, by number: the code each holds. */
  readonly versions: ReadonlyMap<number, string>;
  /** The highest version number Lambda ever published. */
  readonly published: number;
  /** The code the stack's template deploys, and the version its alias points at. */
  readonly deployed: { readonly code: string; readonly version: number } | undefined;
}

export type ReleaseResult =
  | { readonly kind: 'deployed'; readonly version: number }
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'rolled-back'; readonly version: number }
  | { readonly kind: 'failed'; readonly message: string };

export const EMPTY: FunctionHistory = { versions: new Map(), published: 0, deployed: undefined };

/**
 * Deploys `code` through CloudFormation and CodeDeploy; `canary` says whether the canary passes.
 */
export function release(
  history: FunctionHistory,
  code: string,
  canary: 'passes' | 'fails',
  policy: DeletionPolicy,
): { history: FunctionHistory; result: ReleaseResult } {
  if (history.deployed?.code === code) return { history, result: { kind: 'unchanged' } };
  const latest = Math.max(0, ...history.versions.keys());
  if (latest > 0 && history.versions.get(latest) === code) {
    // CloudFormation cannot create the version resource and rolls the update back.
    return {
      history,
      result: {
        kind: 'failed',
        message: `A version for this Lambda function exists ( ${latest} ). Modify the function to create a new version.`,
      },
    };
  }
  const number = history.published + 1;
  const versions = new Map(history.versions).set(number, code);
  if (canary === 'fails') {
    // CodeDeploy shifted the alias back; CloudFormation rolls the update back and deletes the
    // version resource it created, unless that is retained.
    if (policy !== 'Retain') versions.delete(number);
    return {
      history: { versions, published: number, deployed: history.deployed },
      result: { kind: 'rolled-back', version: number },
    };
  }
  // The old version resource left the template: kept at cleanup, unless its policy is Delete.
  if (policy === 'Delete' && history.deployed) versions.delete(history.deployed.version);
  return {
    history: { versions, published: number, deployed: { code, version: number } },
    result: { kind: 'deployed', version: number },
  };
}

/**
 * CodePipeline's stage rollback: the last successful execution's template (its code) again,
 * when that execution ran in the current pipeline structure.
 */
export function rollbackStage(
  history: FunctionHistory,
  lastSuccessfulCode: string,
  sameStructure: boolean,
  policy: DeletionPolicy,
): { history: FunctionHistory; result: ReleaseResult } {
  if (!sameStructure) {
    return {
      history,
      result: {
        kind: 'failed',
        message:
          'The specified pipeline execution is outdated and cannot be used as a target pipeline execution for rollback.',
      },
    };
  }
  return release(history, lastSuccessfulCode, 'passes', policy);
}
