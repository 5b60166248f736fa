import { Strategy } from '../../../lib/config/strategy';
import { conditionsRoleArn, waveConditions } from '../../../lib/pipeline/stage-conditions';
import { stageHealthAlarmName } from '../../../lib/resource-names';
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
});

test('the deployment window comes first, before the first wave only, then the alarm blocker', () => {
  const s = stage({ blockWhileAlarming: true, deploymentWindow: window });
  const first = waveConditions(s, s.waves[0]).BeforeEntry!.Conditions[0];
  expect(first.Result).toBe('FAIL');
  expect(first.Rules.map((r) => r.RuleTypeId.Provider)).toEqual([
    'DeploymentWindow',
    'CloudWatchAlarm',
  ]);
  expect(first.Rules[0].Configuration).toEqual({ Cron: window.cron, TimeZone: window.timeZone });
  const second = waveConditions(s, s.waves[1]).BeforeEntry!.Conditions[0];
  expect(second.Rules.map((r) => r.RuleTypeId.Provider)).toEqual(['CloudWatchAlarm']);
});

test("each rule reads the stage's health alarm in its environment, through the environment's role", () => {
  const s = stage({ blockWhileAlarming: true, bakeMinutes: 20 });
  const conditions = waveConditions(s, s.waves[1]);
  for (const rule of [
    ...conditions.BeforeEntry!.Conditions[0].Rules,
    ...conditions.OnSuccess!.Conditions[0].Rules,
  ]) {
    expect(rule.Region).toBe('us-west-2');
    expect(rule.RoleArn).toBe(conditionsRoleArn(s, west));
    expect(rule.RoleArn).toBe(`arn:aws:iam::555555555555:role/${s.prefix}-conditions-us-west-2`);
    expect(rule.Configuration.AlarmName).toBe(stageHealthAlarmName(s.prefix));
    expect(rule.Configuration.AlarmStates).toBe('ALARM');
  }
});

test("the bake waits the stage entry's minutes and rolls the wave back on an alarm", () => {
  const s = stage({ bakeMinutes: 20 });
  const bake = waveConditions(s, s.waves[0]).OnSuccess!.Conditions[0];
  expect(bake.Result).toBe('ROLLBACK');
  expect(bake.Rules).toHaveLength(1);
  expect(bake.Rules[0].Configuration.WaitTime).toBe('20');
});

test('a wave that would need more rules than a condition holds is refused', () => {
  const envs = ['a', 'b', 'c', 'd', 'e', 'f'].map((n, i) =>
    environmentModel(
      n,
      '444444444444',
      ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2'][i],
    ),
  );
  const s = stageModel('wide', Strategy.canary(10, 5), [serviceModel('alpha')], {
    waves: [envs],
    bakeMinutes: 5,
  });
  expect(() => waveConditions(s, s.waves[0])).toThrow(
    /wave 1: its bake condition needs 6 rules, more than the 5 CodePipeline allows/,
  );
});
