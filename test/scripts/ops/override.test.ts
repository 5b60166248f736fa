import {
  ConditionNotOverridableException,
  GetPipelineStateCommand,
  ListRuleExecutionsCommand,
  OverrideStageConditionCommand,
  type RuleExecutionDetail,
  type StageState,
} from '@aws-sdk/client-codepipeline';
import { override } from '../../../scripts/ops/commands/override';
import {
  ACCOUNT,
  appModel,
  awsError,
  env,
  harness,
  runOps,
  selection,
  serviceModel,
  stageModel,
  stageState,
  type Harness,
} from './harness';

const WINDOW = { cron: '* 0-59 9-16 ? * MON-FRI', timeZone: 'Europe/Berlin' };
const stage = stageModel([serviceModel('payments')], 'live1', {
  deploymentWindow: WINDOW,
  blockWhileAlarming: true,
});
const model = appModel([stage]);
const WAITING = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const EARLIER = '2b3c4d5e-6f70-4a1b-9c2d-3e4f5a6b7c8d';

/** An entry condition holding an execution: the window is shut, the alarms are quiet. */
const waitingEntry: StageState['beforeEntryConditionState'] = {
  latestExecution: { status: 'InProgress', summary: 'Waiting for the deployment window' },
  conditionStates: [
    {
      latestExecution: { status: 'InProgress' },
      ruleStates: [
        {
          ruleName: 'DeploymentWindow',
          latestExecution: {
            status: 'InProgress',
            summary: 'The next window opens at 2026-11-23 09:00 Europe/Berlin',
          },
        },
        {
          ruleName: 'AlarmBlocker',
          latestExecution: { status: 'Succeeded', summary: 'No alarm in ALARM' },
        },
      ],
    },
  ],
};

function ruleExecution(
  stageName: string,
  ruleName: string,
  fields: Partial<RuleExecutionDetail>,
): RuleExecutionDetail {
  return { pipelineExecutionId: WAITING, stageName, ruleName, ...fields };
}

/** The rule executions of the waiting execution, newest first, with others around them. */
const ruleExecutions = [
  ruleExecution('live1', 'DeploymentWindow', {
    status: 'InProgress',
    input: {
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'DeploymentWindow', version: '1' },
      configuration: { Cron: WINDOW.cron, TimeZone: WINDOW.timeZone },
    },
  }),
  ruleExecution('live1', 'AlarmBlocker', {
    status: 'Succeeded',
    input: {
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'CloudWatchAlarm', version: '1' },
      configuration: { AlarmName: 'ops-test-live1-blocker' },
    },
  }),
  ruleExecution('dev', 'Bake', { pipelineExecutionId: EARLIER, status: 'Succeeded' }),
  ruleExecution('live1', 'DeploymentWindow', {
    pipelineExecutionId: EARLIER,
    status: 'Succeeded',
  }),
];

function waitingPipeline(h: Harness, stages = [stageState('live1', waiting())]) {
  h.mocks.codepipeline
    .on(GetPipelineStateCommand)
    .resolves({ stageStates: [stageState('Source'), ...stages] })
    .on(ListRuleExecutionsCommand)
    .resolves({ ruleExecutionDetails: ruleExecutions })
    .on(OverrideStageConditionCommand)
    .resolves({});
}

function waiting(): Partial<StageState> {
  return {
    latestExecution: { pipelineExecutionId: EARLIER, status: 'Succeeded' },
    beforeEntryConditionState: waitingEntry,
  };
}

test('says which execution waits and which rules it skips, asks, then overrides the entry condition', async () => {
  const h = harness();
  waitingPipeline(h);

  expect(await override(selection(stage, model), h.deps)).toBe(0);

  expect(h.calls('codepipeline')).toEqual([
    ['GetPipelineState', { name: 'ops-test' }],
    ['ListRuleExecutions', { pipelineName: 'ops-test', nextToken: undefined }],
    [
      'OverrideStageCondition',
      {
        pipelineName: 'ops-test',
        stageName: 'live1',
        pipelineExecutionId: WAITING,
        conditionType: 'BEFORE_ENTRY',
      },
    ],
  ]);
  expect(h.questions).toEqual([`Let execution ${WAITING} into live1 now? [y/N] `]);
  expect(h.lines).toEqual([
    `Execution ${WAITING} waits at the entry of pipeline stage live1 of pipeline ops-test (Waiting for the deployment window).`,
    'Stage live1 starts only inside its deployment window * 0-59 9-16 ? * MON-FRI (Europe/Berlin) and not while any of its alarms fires, as its stage entry says.',
    'Overriding skips every rule of the entry condition for this execution:',
    '  DeploymentWindow (deployment window * 0-59 9-16 ? * MON-FRI Europe/Berlin): InProgress (The next window opens at 2026-11-23 09:00 Europe/Berlin)',
    '  AlarmBlocker (alarm blocker on ops-test-live1-blocker): Succeeded (No alarm in ALARM)',
    `✔ entry condition of live1 overridden for execution ${WAITING}; follow it with npm run ops -- watch --stage live1`,
  ]);
});

test('declining overrides nothing and exits 1', async () => {
  const h = harness({ answer: false });
  waitingPipeline(h);

  expect(await override(selection(stage, model), h.deps)).toBe(1);

  expect(h.lines.at(-1)).toBe('Aborted: nothing changed.');
  expect(h.mocks.codepipeline.commandCalls(OverrideStageConditionCommand)).toHaveLength(0);
});

test('with nothing waiting at the entry, says what the condition did and overrides nothing', async () => {
  const h = harness({ yes: true });
  waitingPipeline(h, [
    stageState('live1', {
      latestExecution: { pipelineExecutionId: EARLIER, status: 'Succeeded' },
      beforeEntryConditionState: { latestExecution: { status: 'Overridden' } },
    }),
  ]);

  await expect(override(selection(stage, model), h.deps)).rejects.toThrow(
    'nothing waits at the entry of pipeline stage live1: its entry condition is Overridden',
  );

  const never = harness({ yes: true });
  waitingPipeline(never, [stageState('live1')]);
  await expect(override(selection(stage, model), never.deps)).rejects.toThrow(
    'nothing waits at the entry of pipeline stage live1: its entry condition has not run',
  );
  expect(never.calls('codepipeline').map(([name]) => name)).toEqual(['GetPipelineState']);
});

test('when the rule finished between the two reads, says so', async () => {
  const h = harness({ yes: true });
  waitingPipeline(h);
  h.mocks.codepipeline
    .on(ListRuleExecutionsCommand)
    .resolvesOnce({ ruleExecutionDetails: ruleExecutions.slice(2), nextToken: 'more' })
    .resolves({ ruleExecutionDetails: [] });

  await expect(override(selection(stage, model), h.deps)).rejects.toThrow(
    'nothing waits at the entry of pipeline stage live1: no rule of its entry condition is in progress any more; run the command again if the stage has not started',
  );
  expect(h.mocks.codepipeline.commandCalls(ListRuleExecutionsCommand)).toHaveLength(2);
});

describe('waves', () => {
  const edge = stageModel([serviceModel('payments')], 'edge', {
    blockWhileAlarming: true,
    waves: [[env('edge-eu')], [env('edge-us', ACCOUNT, 'us-east-1')]],
  });
  const edgeModel = appModel([edge]);

  test('without --wave, overrides the wave that waits', async () => {
    const h = harness({ yes: true });
    waitingPipeline(h, [
      stageState('edge-edge-eu', {
        latestExecution: { pipelineExecutionId: WAITING, status: 'Succeeded' },
      }),
      stageState('edge-edge-us', waiting()),
    ]);
    h.mocks.codepipeline.on(ListRuleExecutionsCommand).resolves({
      ruleExecutionDetails: ruleExecutions.map((r) => ({
        ...r,
        stageName: r.stageName === 'live1' ? 'edge-edge-us' : r.stageName,
      })),
    });

    const { code } = await runOps(['override', '--stage', 'edge', '--yes'], h, edgeModel);

    expect(code).toBe(0);
    expect(
      h.mocks.codepipeline.commandCalls(OverrideStageConditionCommand)[0].args[0].input,
    ).toEqual({
      pipelineName: 'ops-test',
      stageName: 'edge-edge-us',
      pipelineExecutionId: WAITING,
      conditionType: 'BEFORE_ENTRY',
    });
  });

  test('with no wave waiting, names the pipeline stages looked at', async () => {
    const h = harness({ yes: true });
    waitingPipeline(h, [stageState('edge-edge-eu'), stageState('edge-edge-us')]);

    const { code, err } = await runOps(['override', '--stage', 'edge'], h, edgeModel);

    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: nothing waits at the entry of any wave of stage edge (pipeline stages edge-edge-eu and edge-edge-us)',
    ]);
  });

  test('--wave names the wave; a wave the stage does not have is refused before any call', async () => {
    const h = harness();
    const { code, err } = await runOps(
      ['override', '--stage', 'edge', '--wave', '3'],
      h,
      edgeModel,
    );
    expect(code).toBe(2);
    expect(err).toEqual(['ops: stage edge has no wave 3: it deploys in waves 1 to 2']);
    expect(h.calls('codepipeline')).toEqual([]);
    expect(h.calls('sts')).toEqual([]);
  });
});

describe('failure answers, as the command line prints them', () => {
  test('an unknown stage', async () => {
    const { code, err } = await runOps(['override', '--stage', 'prod9'], harness(), model);
    expect(code).toBe(2);
    expect(err).toEqual(['ops: unknown stage "prod9": the stages (stages/index.ts) are live1']);
  });

  test('a stage the pipeline does not have yet', async () => {
    const h = harness();
    h.mocks.codepipeline
      .on(GetPipelineStateCommand)
      .resolves({ stageStates: [stageState('Source')] });
    const { code, err } = await runOps(['override', '--stage', 'live1'], h, model);
    expect(code).toBe(2);
    expect(err).toEqual([
      "ops: pipeline ops-test has no stage live1 (wave 1 of stage live1): the pipeline has not updated itself to this configuration yet; push it and let the pipeline's self-mutation run",
    ]);
  });

  test('a pipeline that does not exist', async () => {
    const h = harness();
    h.mocks.codepipeline
      .on(GetPipelineStateCommand)
      .rejects(awsError('PipelineNotFoundException', 'Pipeline ops-test not found'));
    const { code, err } = await runOps(['override', '--stage', 'live1'], h, model);
    expect(code).toBe(2);
    expect(err).toEqual([
      `ops: pipeline ops-test does not exist in account ${ACCOUNT}, eu-west-1: deploy it once (npx cdk deploy), or use credentials for account ${ACCOUNT}, e.g. AWS_PROFILE=<a profile of account ${ACCOUNT}>`,
    ]);
  });

  test('a condition CodePipeline will not override', async () => {
    const h = harness({ yes: true });
    waitingPipeline(h);
    h.mocks.codepipeline.on(OverrideStageConditionCommand).rejects(
      new ConditionNotOverridableException({
        message: 'The condition cannot be overridden',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { code, err } = await runOps(['override', '--stage', 'live1', '--yes'], h, model);
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: ConditionNotOverridableException: The condition cannot be overridden',
    ]);
  });

  test('--service and --region do not apply to a whole wave', async () => {
    const h = harness();
    const { code, err } = await runOps(
      ['override', '--stage', 'live1', '--service', 'payments', '--region', 'eu-west-1'],
      h,
      model,
    );
    expect(code).toBe(2);
    expect(err).toEqual([
      'ops: override acts on the pipeline stage of a whole wave, every service and environment in it: drop --service and --region (choose the wave with --wave)',
    ]);
  });
});
