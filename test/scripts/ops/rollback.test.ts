import { BatchGetDeploymentsCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import {
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  RollbackStageCommand,
  UnableToRollbackStageException,
  type PipelineExecutionSummary,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import { IN_PROGRESS } from '../../../scripts/ops/aws';
import { rollback } from '../../../scripts/ops/commands/rollback';
import {
  ACCOUNT,
  appModel,
  deployedIn,
  deployment,
  env,
  harness,
  OTHER_ACCOUNT,
  REGION,
  runOps,
  selection,
  serviceModel,
  stageModel,
  stageState,
  type Harness,
} from './harness';

const stage = stageModel([serviceModel('payments'), serviceModel('order-history')]);
const model = appModel([stage]);

/** The execution the stage ran last, the one that succeeded before it, and an older one. */
const CURRENT = 'b7e4c1d2-3f5a-4e6b-8c9d-0a1b2c3d4e5f';
const PREVIOUS = 'a1f2e3d4-5c6b-4a7e-9f80-1b2c3d4e5f60';
const OLDER = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const STARTED = 'c0ffee00-1234-4abc-9def-567890abcdef';

const commit = (sha: string, message: string) => ({
  revisionId: sha.repeat(40 / sha.length),
  revisionSummary: JSON.stringify({ ProviderType: 'GitHub', CommitMessage: message }),
});

function summary(id: string, fields: Partial<PipelineExecutionSummary> = {}) {
  return {
    pipelineExecutionId: id,
    status: 'Succeeded' as const,
    executionType: 'STANDARD' as const,
    startTime: new Date('2026-11-20T15:04:00Z'),
    sourceRevisions: [{ actionName: 'Source', ...commit('4f2a', 'Earlier change') }],
    ...fields,
  };
}

/** The pipeline with the stage's last run, its history, and no deployment in progress. */
function pipeline(
  h: Harness,
  opts: {
    latest?: StageState['latestExecution'];
    current?: Record<string, unknown>;
    history?: ReturnType<typeof summary>[];
  } = {},
) {
  h.mocks.codepipeline
    .on(GetPipelineStateCommand)
    .resolves({
      stageStates: [
        stageState('Source'),
        stageState('live1', {
          latestExecution: opts.latest ?? { pipelineExecutionId: CURRENT, status: 'Succeeded' },
        }),
      ],
    })
    .on(GetPipelineExecutionCommand)
    .resolves({
      pipelineExecution: {
        pipelineExecutionId: CURRENT,
        status: 'Succeeded',
        executionType: 'STANDARD',
        artifactRevisions: [
          {
            name: 'Source',
            ...commit('8d3e', 'Add refunds to payments\n\nWith a longer body.'),
          },
        ],
        ...opts.current,
      },
    })
    .on(ListPipelineExecutionsCommand)
    .resolves({
      pipelineExecutionSummaries: opts.history ?? [
        summary(CURRENT),
        summary(PREVIOUS, {
          startTime: new Date('2026-11-19T11:30:00Z'),
          sourceRevisions: [
            { actionName: 'Source', ...commit('1c9b', 'Tidy the payment handler') },
          ],
        }),
        summary(OLDER),
      ],
    })
    .on(RollbackStageCommand)
    .resolves({ pipelineExecutionId: STARTED });
  deployedIn(h.mocks, stage);
  h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
}

test('says what it rolls back from and to, asks, rolls the pipeline stage back and names the new execution', async () => {
  const h = harness();
  pipeline(h);

  expect(await rollback(selection(stage), h.deps)).toBe(0);

  expect(h.calls('codepipeline')).toEqual([
    ['GetPipelineState', { name: 'ops-test' }],
    ['GetPipelineExecution', { pipelineName: 'ops-test', pipelineExecutionId: CURRENT }],
    [
      'ListPipelineExecutions',
      {
        pipelineName: 'ops-test',
        filter: { succeededInStage: { stageName: 'live1' } },
        nextToken: undefined,
      },
    ],
    [
      'RollbackStage',
      { pipelineName: 'ops-test', stageName: 'live1', targetPipelineExecutionId: PREVIOUS },
    ],
  ]);
  // CodeDeploy is only asked whether a deployment runs; the alias is never touched.
  expect(h.calls('codedeploy').map(([name, input]) => [name, input])).toEqual([
    [
      'ListDeployments',
      {
        applicationName: 'app-payments',
        deploymentGroupName: 'ops-test-live1-payments',
        includeOnlyStatuses: IN_PROGRESS,
      },
    ],
    [
      'ListDeployments',
      {
        applicationName: 'app-order-history',
        deploymentGroupName: 'ops-test-live1-order-history',
        includeOnlyStatuses: IN_PROGRESS,
      },
    ],
  ]);
  expect(h.calls('lambda')).toEqual([]);
  expect(h.questions).toEqual([`Roll back live1 to execution ${PREVIOUS}? [y/N] `]);
  expect(h.lines).toEqual([
    'Rolling back pipeline stage live1 of pipeline ops-test: live1 (account 333333333333, eu-west-1)',
    `  from execution ${CURRENT}, Succeeded: 8d3e8d3 "Add refunds to payments"`,
    `  to   execution ${PREVIOUS}, started 2026-11-19 11:30:00 UTC: 1c9b1c9 "Tidy the payment handler"`,
    "CodePipeline deploys that execution's artifacts to the stage again: CloudFormation updates the stacks and CodeDeploy shifts each live alias with the stage's deployment, hooks and alarms.",
    `✔ rollback started: execution ${STARTED}; follow it with npm run ops -- watch --stage live1`,
  ]);
});

test('declining changes nothing and exits 1; --yes does not ask', async () => {
  const declined = harness({ answer: false });
  pipeline(declined);
  expect(await rollback(selection(stage), declined.deps)).toBe(1);
  expect(declined.lines.at(-1)).toBe('Aborted: nothing changed.');
  expect(declined.mocks.codepipeline.commandCalls(RollbackStageCommand)).toHaveLength(0);

  const yes = harness({ yes: true });
  pipeline(yes);
  expect(await rollback(selection(stage), yes.deps)).toBe(0);
  expect(yes.questions).toEqual([]);
  expect(yes.mocks.codepipeline.commandCalls(RollbackStageCommand)).toHaveLength(1);
});

test('refuses while a CodeDeploy deployment is in progress, pointing at stop', async () => {
  const h = harness({ yes: true });
  pipeline(h, { latest: { pipelineExecutionId: CURRENT, status: 'InProgress' } });
  h.mocks.codedeploy
    .on(ListDeploymentsCommand, { deploymentGroupName: 'ops-test-live1-order-history' })
    .resolves({ deployments: ['d-9'] })
    .on(BatchGetDeploymentsCommand)
    .resolves({ deploymentsInfo: [deployment('d-9')] });

  await expect(rollback(selection(stage), h.deps)).rejects.toThrow(
    'order-history has deployment d-9 in progress in live1 (eu-west-1), and CodeDeploy owns its alias until it ends: run npm run ops -- stop --stage live1 --service order-history --environment live1, which rolls it back; roll back the stage once it has ended',
  );
  expect(h.calls('codepipeline').map(([name]) => name)).toEqual(['GetPipelineState']);
});

test('refuses while the stage runs without a deployment (stacks updating, bake)', async () => {
  const h = harness({ yes: true });
  pipeline(h, { latest: { pipelineExecutionId: CURRENT, status: 'InProgress' } });

  await expect(rollback(selection(stage), h.deps)).rejects.toThrow(
    `pipeline stage live1 is InProgress in execution ${CURRENT}: CodePipeline rolls back a finished stage only. Let it finish (npm run ops -- watch --stage live1), or stop a canary with npm run ops -- stop --stage live1`,
  );
  expect(h.mocks.codepipeline.commandCalls(RollbackStageCommand)).toHaveLength(0);
});

test('with no earlier successful execution, says there is nothing to roll back to', async () => {
  const h = harness({ yes: true });
  pipeline(h, { history: [summary(CURRENT), summary(OLDER, { executionType: 'ROLLBACK' })] });

  await expect(rollback(selection(stage), h.deps)).rejects.toThrow(
    `no execution before ${CURRENT} succeeded in pipeline stage live1 in the pipeline's current version: nothing to roll back to (RollbackStage only returns to executions started since the pipeline's structure last changed). Revert the change and push instead`,
  );
  expect(h.mocks.codepipeline.commandCalls(RollbackStageCommand)).toHaveLength(0);
});

test('after a rollback, goes back past its target, never to what was rolled back from', async () => {
  const h = harness({ yes: true });
  const ROLLED_BACK = '5d6e7f80-9a1b-4c2d-8e3f-4a5b6c7d8e9f';
  pipeline(h, {
    latest: { pipelineExecutionId: ROLLED_BACK, status: 'Succeeded', type: 'ROLLBACK' },
    current: {
      pipelineExecutionId: ROLLED_BACK,
      executionType: 'ROLLBACK',
      rollbackMetadata: { rollbackTargetPipelineExecutionId: PREVIOUS },
    },
    history: [
      summary(ROLLED_BACK, { executionType: 'ROLLBACK' }),
      summary(CURRENT),
      summary(PREVIOUS),
      summary(OLDER),
    ],
  });

  expect(await rollback(selection(stage), h.deps)).toBe(0);

  expect(h.mocks.codepipeline.commandCalls(RollbackStageCommand)[0].args[0].input).toEqual({
    pipelineName: 'ops-test',
    stageName: 'live1',
    targetPipelineExecutionId: OLDER,
  });
  expect(h.lines[1]).toBe(
    `  from execution ${ROLLED_BACK} (a rollback to ${PREVIOUS}), Succeeded: 8d3e8d3 "Add refunds to payments"`,
  );
});

test('after a failed release, goes back to the last success, reading history page by page', async () => {
  const FAILED = 'e1e2e3e4-f5f6-4a7b-8c9d-0e1f2a3b4c5d';
  const h = harness({ yes: true });
  pipeline(h, {
    latest: { pipelineExecutionId: FAILED, status: 'Failed' },
    current: { pipelineExecutionId: FAILED, status: 'Failed' },
  });
  h.mocks.codepipeline
    .on(ListPipelineExecutionsCommand)
    .resolvesOnce({ pipelineExecutionSummaries: [], nextToken: 'page-2' })
    .resolves({ pipelineExecutionSummaries: [summary(PREVIOUS), summary(OLDER)] });

  expect(await rollback(selection(stage), h.deps)).toBe(0);

  expect(
    h.mocks.codepipeline.commandCalls(ListPipelineExecutionsCommand).map((c) => c.args[0].input),
  ).toEqual([
    { pipelineName: 'ops-test', filter: { succeededInStage: { stageName: 'live1' } } },
    {
      pipelineName: 'ops-test',
      filter: { succeededInStage: { stageName: 'live1' } },
      nextToken: 'page-2',
    },
  ]);
  expect(
    h.mocks.codepipeline.commandCalls(RollbackStageCommand)[0].args[0].input
      .targetPipelineExecutionId,
  ).toBe(PREVIOUS);
});

describe('failure answers, as the command line prints them', () => {
  test('CodePipeline refuses the rollback', async () => {
    const h = harness({ yes: true });
    pipeline(h);
    h.mocks.codepipeline.on(RollbackStageCommand).rejects(
      new UnableToRollbackStageException({
        message: 'Unable to roll back the stage: the pipeline version has changed',
        $metadata: { httpStatusCode: 400 },
      }),
    );

    const { code, err } = await runOps(['rollback', '--stage', 'live1', '--yes'], h, model);

    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: UnableToRollbackStageException: Unable to roll back the stage: the pipeline version has changed',
    ]);
  });

  test('a pipeline that does not know the stage yet', async () => {
    const h = harness({ yes: true });
    h.mocks.codepipeline
      .on(GetPipelineStateCommand)
      .resolves({ stageStates: [stageState('Source'), stageState('Build')] });

    const { code, err } = await runOps(['rollback', '--stage', 'live1'], h, model);

    expect(code).toBe(2);
    expect(err).toEqual([
      "ops: pipeline ops-test has no stage live1 (wave 1 of stage live1): the pipeline has not updated itself to this configuration yet; push it and let the pipeline's self-mutation run",
    ]);
  });
});

describe('a stage in waves', () => {
  const edge = stageModel([serviceModel('payments')], 'edge', {
    waves: [
      [env('edge-eu', ACCOUNT, REGION)],
      [env('edge-us', ACCOUNT, 'us-east-1'), env('edge-ap', OTHER_ACCOUNT, 'ap-southeast-2')],
    ],
  });
  const edgeModel = appModel([edge]);

  test('needs --wave', async () => {
    const { code, err } = await runOps(['rollback', '--stage', 'edge'], harness(), edgeModel);
    expect(code).toBe(2);
    expect(err).toEqual([
      "ops: rollback acts on one wave's pipeline stage: add --wave (stage edge deploys in waves 1 to 2; roll back the later waves first)",
    ]);
  });

  test("rolls back the wave's pipeline stage, checking that wave's environments it reaches", async () => {
    const h = harness({ yes: true });
    h.mocks.codepipeline
      .on(GetPipelineStateCommand)
      .resolves({
        stageStates: [
          stageState('edge-edge-eu', {
            latestExecution: { pipelineExecutionId: CURRENT, status: 'Succeeded' },
          }),
          stageState('edge-wave2', {
            latestExecution: { pipelineExecutionId: CURRENT, status: 'Succeeded' },
          }),
        ],
      })
      .on(GetPipelineExecutionCommand)
      .resolves({ pipelineExecution: { pipelineExecutionId: CURRENT, status: 'Succeeded' } })
      .on(ListPipelineExecutionsCommand)
      .resolves({ pipelineExecutionSummaries: [summary(CURRENT), summary(PREVIOUS)] })
      .on(RollbackStageCommand)
      .resolves({ pipelineExecutionId: STARTED });
    const us = h.region('us-east-1');
    deployedIn(us, edge, { account: ACCOUNT, region: 'us-east-1' });
    us.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });

    const { code, out } = await runOps(
      ['rollback', '--stage', 'edge', '--wave', '2', '--yes'],
      h,
      edgeModel,
    );

    expect(code).toBe(0);
    expect(h.mocks.codepipeline.commandCalls(RollbackStageCommand)[0].args[0].input).toEqual({
      pipelineName: 'ops-test',
      stageName: 'edge-wave2',
      targetPipelineExecutionId: PREVIOUS,
    });
    expect(h.calls('codedeploy', REGION)).toEqual([]);
    expect(h.calls('codedeploy', 'us-east-1').map(([name]) => name)).toEqual(['ListDeployments']);
    expect(out).toContain(
      '  not checked for deployments in progress: edge-ap: not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
    );
    expect(out[0]).toBe(
      'Rolling back pipeline stage edge-wave2 of pipeline ops-test: edge-us (account 333333333333, us-east-1), edge-ap (account 555555555555, ap-southeast-2)',
    );
  });
});
