import { Strategy } from '../../../lib/config/strategy';
import {
  approvalConditions,
  bakeParameters,
  conditionsRoleArn,
  entryRuleRoleArn,
  waveConditions,
} from '../../../lib/pipeline/stage-conditions';
import { stageHealthAlarmName } from '../../../lib/resource-names';
import { GATE_PARAMETERS } from '../../../runtime/gates/health-gate';
import { environmentModel, serviceModel, stageModel } from '../../helpers/model';

const east = environmentModel('east', '444444444444', 'us-east-1');
const west = environmentModel('west', '555555555555', 'us-west-2');
const window = { cron: '* 0-59 9-16 ? * MON-FRI', timeZone: 'Europe/Berlin' };
const stage = (opts: Parameters<typeof stageModel>[3]) =>
  stageModel('live', Strategy.canary(10, 5), [serviceModel('alpha')], {
    waves: [[east], [west]],
    ...opts,
  });

test('no condition where the stage asks for none', () => {
  const s = stage({ blockWhileAlarming: false, bakeMinutes: 0 });
  for (const wave of s.waves) expect(waveConditions(s, wave)).toEqual({});
  expect(approvalConditions(s)).toEqual({});
});

test('every wave obeys the deployment window, then holds while the alarm fires', () => {
  const s = stage({ blockWhileAlarming: true, blockWaitMinutes: 45, deploymentWindow: window });
  for (const wave of s.waves) {
    const [entry] = waveConditions(s, wave).BeforeEntry!.Conditions;
    expect(entry.Result).toBe('FAIL');
    expect(entry.Rules.map((r) => r.RuleTypeId.Provider)).toEqual([
      'DeploymentWindow',
      'CloudWatchAlarm',
    ]);
    expect(entry.Rules[0].Configuration).toEqual({ Cron: window.cron, TimeZone: window.timeZone });
    // CodePipeline waits this long for an alarm in ALARM to clear before the rule fails.
    expect(entry.Rules[1].Configuration.WaitTime).toBe('45');
  }
});

test('the approval stage asks inside the window', () => {
  const s = stage({ requiresApproval: true, deploymentWindow: window });
  const [entry] = approvalConditions(s).BeforeEntry!.Conditions;
  expect(entry.Rules.map((r) => r.RuleTypeId.Provider)).toEqual(['DeploymentWindow']);
});

test("each entry rule reads the stage's health alarm in its environment, with the bootstrap's read-only role there", () => {
  const s = stage({ blockWhileAlarming: true });
  const [rule] = waveConditions(s, s.waves[1]).BeforeEntry!.Conditions[0].Rules;
  expect(rule.Region).toBe('us-west-2');
  // It exists from the bootstrap on: the pipeline's first deploy does not wait for a stack.
  expect(rule.RoleArn).toBe(entryRuleRoleArn(west));
  expect(rule.RoleArn).toBe(
    'arn:aws:iam::555555555555:role/cdk-hnb659fds-lookup-role-555555555555-us-west-2',
  );
  expect(rule.Configuration.AlarmName).toBe(stageHealthAlarmName(s.prefix));
  expect(rule.Configuration.AlarmStates).toBe('ALARM');
});

test('a stage that bakes rolls a failed wave back; its bake action watches each environment of the wave', () => {
  const s = stage({ bakeMinutes: 20 });
  expect(waveConditions(s, s.waves[0]).OnFailure).toEqual({ Result: 'ROLLBACK' });
  const parameters = GATE_PARAMETERS.parse(bakeParameters(s, s.waves[1]));
  expect(parameters).toEqual({
    minutes: 20,
    alarm: stageHealthAlarmName(s.prefix),
    environments: [{ name: 'west', region: 'us-west-2', roleArn: conditionsRoleArn(s, west) }],
  });
  expect(conditionsRoleArn(s, west)).toBe(
    `arn:aws:iam::555555555555:role/${s.prefix}-conditions-us-west-2`,
  );
  expect(waveConditions(stage({ bakeMinutes: 0 }), s.waves[0]).OnFailure).toBeUndefined();
});

test('a wave that would need more rules than a condition holds is refused', () => {
  const envs = ['a', 'b', 'c', 'd', 'e'].map((n, i) =>
    environmentModel(
      n,
      '444444444444',
      ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1'][i],
    ),
  );
  const s = stageModel('wide', Strategy.canary(10, 5), [serviceModel('alpha')], {
    waves: [envs],
    blockWhileAlarming: true,
    deploymentWindow: window,
  });
  expect(() => waveConditions(s, s.waves[0])).toThrow(
    /wave 1: its entry condition needs 6 rules, more than the 5 CodePipeline allows/,
  );
});
