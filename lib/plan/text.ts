import { checksText, describeAlarms, describeStrategy, HOOKS_TEXT, type Plan } from './plan';
import { textTable } from './table';
import { formatMinutes, formatTotal } from './timing';

/** The plan as `npm run plan` prints it. */
export function renderPlanText(plan: Plan): string {
  const lines = [
    `Delivery plan: pipeline ${plan.pipelineName} in ${plan.pipelineEnv.account} / ${plan.pipelineEnv.region}`,
    `Source: ${plan.source.repository}, branch ${plan.source.branch}; every push starts a release`,
    `Build: ${plan.buildCommands.join(', ')} (tests and compliance gate), then self-mutation, then asset publishing`,
  ];
  plan.stages.forEach((stage, index) => {
    lines.push(
      '',
      `Stage ${index + 1} of ${plan.stages.length}: ${stage.name} (${stage.env.account} / ${stage.env.region})`,
    );
    const rows: string[][] = [
      ['strategy', describeStrategy(stage.strategy)],
      ['approval', stage.approval ? 'manual approval before this stage' : 'none before this stage'],
      [
        'smoke tests',
        stage.smokeTestChecks === undefined
          ? 'none'
          : `after this stage: ${checksText(stage.smokeTestChecks)}`,
      ],
    ];
    for (const service of stage.services) {
      const alarms = describeAlarms(service.alarms);
      rows.push(
        [`service ${service.name}`],
        [
          '  strategy',
          `${describeStrategy(service.strategy)}, traffic shift ${service.strategy.shiftMinutes} min`,
        ],
        ['  alarms', `${alarms.errors}, ${alarms.latency}, ${alarms.throttles}`],
        ['  hooks', HOOKS_TEXT],
        ['  checks', checksText(service.checks)],
      );
    }
    lines.push(...textTable(rows, '  '));
  });
  const last = plan.stages[plan.stages.length - 1];
  lines.push(
    '',
    `Release time, push to ${last.name} (estimate; services in a stage deploy in parallel)`,
    ...textTable(
      plan.timing.steps.map((step) => [step.label, formatMinutes(step), step.note]),
      '  ',
    ),
    `  total: ${formatTotal(plan.timing)}`,
  );
  return lines.join('\n');
}
