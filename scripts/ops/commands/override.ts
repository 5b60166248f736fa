import { OverrideStageConditionCommand } from '@aws-sdk/client-codepipeline';
import { confirmed } from '../confirm';
import { list } from '../format';
import {
  conditionRules,
  requirePipelineAccount,
  describeRule,
  entryRulesOfStage,
  waitingAtEntry,
  waveStages,
  type WaveStage,
} from '../pipeline';
import { EXIT, OpsError, type Command } from '../types';

/**
 * Lets the execution that waits at a wave's entry condition into the stage now (CodePipeline
 * OverrideStageCondition, BEFORE_ENTRY), after saying what it overrides: the stage entry's
 * deployment window and alarm blocker (from the model), each rule's state (GetPipelineState)
 * and kind (ListRuleExecutions, which also names the waiting execution), and asking.
 * Without `--wave`, the wave whose entry condition is waiting.
 */
export const override: Command = async (selection, deps) => {
  const { app, stage } = selection;
  const { clients, out, account } = deps;
  requirePipelineAccount(app, account, 'override');
  const codepipeline = clients.codepipeline;
  const waves = await waveStages(codepipeline, app, stage);
  const chosen = chooseWave(waves, selection.wave?.index, stage.name);
  const condition = chosen.state.beforeEntryConditionState;
  const status = condition?.latestExecution?.status;
  if (status !== 'InProgress') {
    throw new OpsError(
      `nothing waits at the entry of pipeline stage ${chosen.name}: its entry condition ${status ? `is ${status}${condition?.latestExecution?.summary ? ` (${condition.latestExecution.summary})` : ''}` : 'has not run'}`,
    );
  }
  const waiting = await waitingAtEntry(codepipeline, app.pipelineName, chosen.name);
  if (!waiting) {
    throw new OpsError(
      `nothing waits at the entry of pipeline stage ${chosen.name}: no rule of its entry condition is in progress any more; run the command again if the stage has not started`,
    );
  }
  const asked = entryRulesOfStage(stage);
  out(
    `Execution ${waiting.executionId} waits at the entry of pipeline stage ${chosen.name} of pipeline ${app.pipelineName}${condition?.latestExecution?.summary ? ` (${condition.latestExecution.summary})` : ''}.`,
  );
  if (asked) out(`Stage ${stage.name} starts ${asked}, as its stage entry says.`);
  out('Overriding skips every rule of the entry condition for this execution:');
  for (const rule of conditionRules(condition)) {
    out(`  ${describeRule(rule, waiting.rules.get(rule.ruleName ?? ''))}`);
  }
  const question = `Let execution ${waiting.executionId} into ${chosen.name} now?`;
  if (!(await confirmed(deps, question))) {
    out('Aborted: nothing changed.');
    return EXIT.failed;
  }
  await codepipeline.send(
    new OverrideStageConditionCommand({
      pipelineName: app.pipelineName,
      stageName: chosen.name,
      pipelineExecutionId: waiting.executionId,
      conditionType: 'BEFORE_ENTRY',
    }),
  );
  out(
    `✔ entry condition of ${chosen.name} overridden for execution ${waiting.executionId}; follow it with npm run ops -- watch --stage ${stage.name}`,
  );
  return EXIT.ok;
};

/** The wave named by `--wave`, else the one whose entry condition is waiting. */
function chooseWave(waves: WaveStage[], index: number | undefined, stage: string): WaveStage {
  if (index !== undefined) return waves[index - 1];
  if (waves.length === 1) return waves[0];
  const waiting = waves.filter(
    (w) => w.state.beforeEntryConditionState?.latestExecution?.status === 'InProgress',
  );
  if (waiting.length === 1) return waiting[0];
  if (waiting.length === 0) {
    throw new OpsError(
      `nothing waits at the entry of any wave of stage ${stage} (pipeline stages ${list(waves.map((w) => w.name))})`,
    );
  }
  throw new OpsError(
    `several waves of stage ${stage} wait at their entry (${list(waiting.map((w) => `wave ${w.wave.index}`))}): add --wave`,
  );
}
