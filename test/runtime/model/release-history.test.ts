import {
  EMPTY,
  release,
  rollbackStage,
  type DeletionPolicy,
  type FunctionHistory,
  type ReleaseResult,
} from '../../../runtime/model/release-history';

/** Runs steps in order and returns what each did. */
function run(
  policy: DeletionPolicy,
  steps: readonly (['release', string, 'passes' | 'fails'] | ['rollback-stage', string, boolean])[],
): ReleaseResult[] {
  let history: FunctionHistory = EMPTY;
  return steps.map((step) => {
    const next =
      step[0] === 'release'
        ? release(history, step[1], step[2], policy)
        : rollbackStage(history, step[1], step[2], policy);
    history = next.history;
    return next.result;
  });
}

describe('shipping a commit again after a rollback', () => {
  test('with RetainExceptOnCreate (the product): a release CodeDeploy rolled back ships again', () => {
    expect(
      run('RetainExceptOnCreate', [
        ['release', 'A', 'passes'],
        ['release', 'B', 'fails'],
        ['release', 'B', 'passes'],
      ]),
    ).toEqual([
      { kind: 'deployed', version: 1 },
      { kind: 'rolled-back', version: 2 },
      { kind: 'deployed', version: 3 },
    ]);
  });

  test('with Retain, the same commit cannot ship again: its version survived the rollback', () => {
    expect(
      run('Retain', [
        ['release', 'A', 'passes'],
        ['release', 'B', 'fails'],
        ['release', 'B', 'passes'],
      ]).at(-1),
    ).toEqual({
      kind: 'failed',
      message:
        'A version for this Lambda function exists ( 2 ). Modify the function to create a new version.',
    });
  });

  test('after a stage rollback (a bake that failed), the rolled-back commit ships again', () => {
    expect(
      run('RetainExceptOnCreate', [
        ['release', 'A', 'passes'],
        ['release', 'B', 'passes'],
        // The bake fails: CodePipeline deploys A's template again, which publishes A anew.
        ['rollback-stage', 'A', true],
        ['release', 'B', 'passes'],
      ]),
    ).toEqual([
      { kind: 'deployed', version: 1 },
      { kind: 'deployed', version: 2 },
      { kind: 'deployed', version: 3 },
      { kind: 'deployed', version: 4 },
    ]);
  });

  test('versions stay for rollbacks: every version a release reached 100% with is kept', () => {
    let history = EMPTY;
    for (const code of ['A', 'B', 'C'])
      history = release(history, code, 'passes', 'RetainExceptOnCreate').history;
    expect([...history.versions.entries()]).toEqual([
      [1, 'A'],
      [2, 'B'],
      [3, 'C'],
    ]);
  });

  test('a stage rollback across a change of the pipeline structure is refused', () => {
    expect(
      run('RetainExceptOnCreate', [
        ['release', 'A', 'passes'],
        ['release', 'B', 'passes'],
        ['rollback-stage', 'A', false],
      ]).at(-1),
    ).toEqual({
      kind: 'failed',
      message:
        'The specified pipeline execution is outdated and cannot be used as a target pipeline execution for rollback.',
    });
  });

  test('an unchanged commit deploys nothing', () => {
    expect(
      run('RetainExceptOnCreate', [
        ['release', 'A', 'passes'],
        ['release', 'A', 'passes'],
      ]).at(-1),
    ).toEqual({ kind: 'unchanged' });
  });
});
