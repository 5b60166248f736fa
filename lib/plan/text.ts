import { LIVE_ALIAS } from '../resource-names';
import { exceptionRows } from './exceptions';
import { groupServices, wrapList } from './groups';
import { describeEnvironment, describeStrategy, type Plan, type PlannedStage } from './plan';
import { hooksText, sizingText } from './release';
import { textTable } from './table';
import { formatMinutes, formatTotal } from './timing';
import {
  bakeText,
  deployText,
  entryText,
  fleetText,
  releaseAlarmNames,
  smokeText,
  windowText,
} from './words';

/** The plan as `npm run plan` prints it. */
export function renderPlanText(plan: Plan): string {
  const lines = [
    `Delivery plan: pipeline ${plan.pipelineName} in ${plan.pipelineEnv.account} / ${plan.pipelineEnv.region}`,
    `Source: ${plan.source.repository}, branch ${plan.source.branch}; every push starts a release`,
    `Build: ${plan.buildCommands.join(', ')} (tests and compliance gate)`,
    'Then: UpdatePipeline (self-mutation), Assets (asset publishing)',
    '',
    `${plan.monitoring.pipelineStage}: every stage's monitoring stack in every environment, in parallel, before any stage`,
    ...textTable(
      plan.monitoring.stacks.map((m) => [
        m.stage,
        describeEnvironment(m.environment),
        m.stackName,
        `health alarm ${m.healthAlarm}, ${m.fleetAlarms} fleet alarm${m.fleetAlarms === 1 ? '' : 's'}`,
      ]),
      '  ',
    ),
    `  each: topic, a fleet alarm per service on its ${LIVE_ALIAS} alias, the health alarm (any fleet alarm), the release judge (every minute, the verdicts the deployment groups' alarms watch), in a stage that bakes the role its bake reads the health alarm with, the overview dashboard`,
  ];
  plan.stages.forEach((stage, index) => {
    const waves = stage.waves.length === 1 ? '' : `, ${stage.waves.length} waves`;
    lines.push('', `Stage ${index + 1} of ${plan.stages.length}: ${stage.name}${waves}`);
    lines.push(...textTable(stageRows(plan, stage), '  '));
  });
  const last = plan.stages[plan.stages.length - 1];
  lines.push(
    '',
    `Release time, push to the end of ${last.name} (estimate; waves in sequence, environments and services of a wave in parallel)`,
    ...textTable(
      plan.timing.steps.map((step) => [step.label, formatMinutes(step), step.note]),
      '  ',
    ),
    `  total: ${formatTotal(plan.timing)}`,
  );
  return lines.join('\n');
}

/** A stage's rows: its settings, its waves step by step, its services by group, its commands. */
function stageRows(plan: Plan, stage: PlannedStage): string[][] {
  const rows: string[][] = [
    ['strategy', describeStrategy(stage.strategy)],
    [
      'approval',
      stage.approval ? 'manual approval, a pipeline stage of its own before wave 1' : 'none',
    ],
    ['window', stage.deploymentWindow ? windowText(stage.deploymentWindow) : 'none'],
    [
      'alarm blocker',
      stage.blockWhileAlarming
        ? `a wave does not start while ${stage.healthAlarm} fires in one of its environments`
        : 'off',
    ],
    ['bake', stage.bakeMinutes > 0 ? `${stage.bakeMinutes} min after each wave` : 'none'],
    ...exceptionRows(stage.exceptions),
  ];
  for (const wave of stage.waves) {
    rows.push([
      `wave ${wave.index}`,
      `pipeline stage ${wave.pipelineStage}: ${wave.environments.map(describeEnvironment).join(', ')}`,
    ]);
    const steps: [string, string | undefined][] = [
      [
        'approval',
        wave.approval &&
          `pipeline stage ${wave.approval}: a person promotes the release${stage.deploymentWindow ? ' (asked for inside the window)' : ''}`,
      ],
      ['entry', entryText(wave)],
      ['deploy', deployText(stage, wave)],
      ['smoke test', smokeText(wave)],
      ['bake', bakeText(plan, stage, wave)],
    ];
    for (const [label, text] of steps) if (text) rows.push([`  ${label}`, text]);
  }
  const groups = groupServices(stage.services);
  rows.push([
    'services',
    `${stage.services.length}, ${groups.length === 1 ? 'all released alike' : `in ${groups.length} groups, each released alike`}; judged on the new version only`,
  ]);
  for (const group of groups) {
    for (const line of wrapList(group.services.map((s) => s.name))) rows.push([`  ${line}`]);
    rows.push(
      [
        '    strategy',
        `${describeStrategy(group.strategy)}, traffic shift ${group.strategy.shiftMinutes} min`,
      ],
      ['    judged on', group.judgedOn],
      ['    evidence', group.evidence],
      ['    hooks', hooksText(group.checks, group.judging)],
    );
    for (const service of group.services) {
      const sizing = service.judgement.sizing;
      if (sizing) rows.push(['    traffic', `${service.name}: ${sizingText(sizing)}`]);
    }
  }
  rows.push(
    [
      'verdict alarm',
      `${releaseAlarmNames(stage)}: the deployment group's; the release judge's rollback verdict on that version sets it off, and CodeDeploy rolls back`,
    ],
    [
      'fleet alarms',
      `${stage.prefix}-<service>-fleet on each ${LIVE_ALIAS} alias, in ${stage.healthAlarm}: ${fleetText(stage)}`,
    ],
    ...frontDoorRows(stage),
  );
  if (stage.ops.override) {
    rows.push(['override', `${stage.ops.override} (lets a release waiting at the entry in)`]);
  }
  rows.push(
    ['stop a canary', stage.ops.stop],
    ['roll back', `${stage.ops.rollback.join(', then ')} (through the pipeline)`],
    ['follow', `${stage.ops.watch}; ${stage.ops.status}`],
  );
  return rows;
}

/** At most this many front doors are listed by their full names; more by their services'. */
const DOORS_BY_NAME = 5;

/** The VPC Lattice front doors of a stage: their names, or the pattern and the services. */
function frontDoorRows(stage: PlannedStage): string[][] {
  const services = stage.services.filter((s) => s.frontDoor);
  if (services.length === 0) return [['front doors', 'none']];
  const what = `VPC Lattice service${services.length === 1 ? '' : 's'}, HTTPS to the ${LIVE_ALIAS} alias`;
  const [first, ...rest] =
    services.length <= DOORS_BY_NAME
      ? wrapList(services.map((s) => s.frontDoor!))
      : [
          `${stage.prefix}-<service> for ${services.length} services:`,
          ...wrapList(services.map((s) => s.name)),
        ];
  return [['front doors', `${what}: ${first}`], ...rest.map((line) => ['', line])];
}
