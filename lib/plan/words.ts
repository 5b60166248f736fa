import { LIVE_ALIAS, verdictAlarmName } from '../resource-names';
import type { DeploymentWindowModel } from '../config/model';
import type { Plan, PlannedAlarmRule, PlannedStage, PlannedWave } from './plan';
import { checksText } from './plan';

/**
 * The sentences the printed plan, the page and the diagram share, so the three say the same
 * thing in the same words.
 */

/** The alarm a condition's rules watch (the stage's health alarm, the same name everywhere). */
export function ruleAlarm(rules: readonly PlannedAlarmRule[]): string {
  return [...new Set(rules.map((r) => r.alarm))].join(', ');
}

/** `prod-eu or prod-ap`: the environments of a condition's rules. */
export function ruleEnvironments(rules: readonly PlannedAlarmRule[], joiner: 'or' | 'and'): string {
  return rules.map((r) => r.environment.name).join(` ${joiner} `);
}

/** `lambda-services-prod-health is in ALARM in prod-eu or prod-ap`. */
export function alarmingText(rules: readonly PlannedAlarmRule[]): string {
  return `${ruleAlarm(rules)} is in ALARM in ${ruleEnvironments(rules, 'or')}`;
}

/** `lambda-services-prod-health in prod-eu and prod-ap`. */
export function watchingText(rules: readonly PlannedAlarmRule[]): string {
  return `${ruleAlarm(rules)} in ${ruleEnvironments(rules, 'and')}`;
}

/** `cron(* 0-59 9-16 ? * MON-FRI) in Europe/Berlin`. */
export function windowText(window: DeploymentWindowModel): string {
  return `${window.cron} (${window.timeZone})`;
}

/** What the entry condition of a wave holds back, or undefined without one. */
export function entryText(wave: PlannedWave): string | undefined {
  if (!wave.entry) return undefined;
  const parts = [
    wave.entry.window && `outside the window ${windowText(wave.entry.window)}`,
    wave.entry.alarms.length > 0 &&
      `while ${alarmingText(wave.entry.alarms)}, up to ${wave.entry.waitMinutes} min, then fails naming it`,
  ].filter((p): p is string => Boolean(p));
  return `holds the release ${parts.join(' and ')} (entry condition)`;
}

/** What comes after a wave: the next wave or stage, or nothing after the last. */
export function nextStep(plan: Plan, stage: PlannedStage, wave: PlannedWave): string | undefined {
  if (wave.index < stage.waves.length) return `wave ${wave.index + 1}`;
  const index = plan.stages.indexOf(stage);
  return index < plan.stages.length - 1 ? `stage ${plan.stages[index + 1].name}` : undefined;
}

/** The bake of a wave in words, or undefined without one. */
export function bakeText(plan: Plan, stage: PlannedStage, wave: PlannedWave): string | undefined {
  if (!wave.bake) return undefined;
  const next = nextStep(plan, stage, wave);
  return `${wave.bake.step}: ${wave.bake.minutes} min once the wave is at 100% (beside the smoke tests), watching ${watchingText(wave.bake.alarms)}; an alarm fails the stage, which rolls the wave back${next ? ` and ${next} never starts` : ''} (on failure: ROLLBACK)`;
}

/** The smoke-test step of a wave in words, or undefined without one. */
export function smokeText(wave: PlannedWave): string | undefined {
  if (!wave.smokeTest) return undefined;
  const { step, checks, targets } = wave.smokeTest;
  return `${step}: ${checksText(checks)} through the ${LIVE_ALIAS} aliases (targets ${targets} in the cloud assembly)`;
}

/** How the services of a wave deploy. */
export function deployText(stage: PlannedStage, wave: PlannedWave): string {
  const where =
    wave.environments.length === 1
      ? `in ${wave.environments[0].name}`
      : `in each of ${wave.environments.length} environments, all at the same time`;
  const count = `${stage.services.length} service${stage.services.length === 1 ? '' : 's'}`;
  return `${count} ${where}, each with its own CodeDeploy deployment; traffic shift ${stage.shiftMinutes} min (the slowest service)`;
}

/** The verdict alarms' names with `<service>` and `<version>`: the same pattern in every stage. */
export function releaseAlarmNames(stage: PlannedStage): string {
  return verdictAlarmName(stage.prefix, '<service>', '<version>');
}

/**
 * What the fleet alarms of a stage do: they feed its health alarm, which the alarm blocker and
 * the bake watch; they are in no deployment group, so they never roll a canary back.
 */
export function fleetText(stage: PlannedStage): string {
  return [
    'notify',
    stage.blockWhileAlarming && 'hold the next wave (alarm blocker)',
    stage.bakeMinutes > 0 &&
      'roll the wave back during the bake, when the alias serves the new version alone',
    'in no deployment group, so they never roll a canary back',
  ]
    .filter(Boolean)
    .join('; ');
}
