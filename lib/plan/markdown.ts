import { renderMermaid } from './mermaid';
import { describeCodeDeployConfig } from './codedeploy';
import { checksText, describeAlarms, HOOKS_TEXT, type Plan } from './plan';
import { markdownTable } from './table';
import { formatMinutes, formatTotal } from './timing';

/** Where the generated page lives, relative to the project root. */
export const PIPELINE_DOC = 'docs/pipeline.md';

/** The command that regenerates the page. */
export const WRITE_COMMAND = 'npm run plan -- --write';

/**
 * docs/pipeline.md: an explanation of how it is made, the Mermaid flowchart, and the same plan
 * as tables. Deterministic (no timestamps) and already in Prettier's format, so a test can
 * compare it byte for byte with the committed file.
 */
export function renderPipelineDoc(plan: Plan): string {
  const code = (text: string) => `\`${text}\``;
  const last = plan.stages[plan.stages.length - 1];
  const sections = [
    '# Delivery pipeline',
    [
      `This page is generated. \`${WRITE_COMMAND}\` renders it from the configuration the CDK app`,
      'itself is built from (`pipeline.config.ts`, `stages/*.ts`, `services/*/`), so do not edit it',
      'by hand: change the configuration and regenerate. `npm test` fails while this page is stale',
      '(`npm run plan -- --check` runs the same check alone), and another test compares the plan',
      'with the synthesized pipeline: the same stages in the same order, approvals, services and',
      'CodeDeploy configurations. `npm run plan` prints the same plan in the terminal.',
    ].join('\n'),
    [
      `- Pipeline: ${code(plan.pipelineName)} in account ${plan.pipelineEnv.account}, ${plan.pipelineEnv.region}`,
      `- Source: ${code(plan.source.repository)}, branch ${code(plan.source.branch)}; every push starts a release`,
      `- Build: ${plan.buildCommands.map(code).join(', ')}; any test failure or compliance finding stops the release`,
    ].join('\n'),
    '## Flow',
    ['```mermaid', renderMermaid(plan), '```'].join('\n'),
    '## Stages',
    markdownTable(
      [
        '#',
        'Stage',
        'Account',
        'Region',
        'Strategy',
        'Approval before',
        'Smoke tests after',
        'Longest traffic shift',
      ],
      plan.stages.map((stage, index) => [
        String(index + 1),
        stage.name,
        stage.env.account,
        stage.env.region,
        code(stage.strategy.label),
        stage.approval ? 'manual approval' : 'none',
        stage.smokeTestChecks === undefined ? 'none' : checksText(stage.smokeTestChecks),
        `${stage.shiftMinutes} min`,
      ]),
    ),
    '## Services',
    [
      'Every service in every stage gets a published version, a `live` alias, a CodeDeploy',
      'deployment group on the alias and three alarms; a failed hook or an alarm during the',
      'deployment rolls traffic back to the previous version.',
    ].join('\n'),
    markdownTable(
      ['Stage', 'Service', 'Strategy', 'CodeDeploy config', 'Alarms', 'Hooks', 'Checks'],
      plan.stages.flatMap((stage) =>
        stage.services.map((service) => {
          const alarms = describeAlarms(service.alarms);
          return [
            stage.name,
            service.name,
            code(service.strategy.label),
            describeCodeDeployConfig(service.strategy.codeDeploy),
            `${alarms.errors}; ${alarms.latency}; ${alarms.throttles}`,
            HOOKS_TEXT,
            String(service.checks),
          ];
        }),
      ),
    ),
    `## Release time, push to ${last.name}`,
    [
      'Services in a stage deploy in parallel, so each stage counts its longest traffic shift.',
      'Times marked ~ are rough estimates of fixed overheads, not measurements; the traffic',
      'shifts are exact, set by the strategies. Waiting for an approval is human time and is',
      'not counted.',
    ].join('\n'),
    markdownTable(
      ['Step', 'Time', 'Basis'],
      plan.timing.steps.map((step) => [step.label, formatMinutes(step), step.note]),
    ),
    `Total: ${formatTotal(plan.timing)}.`,
  ];
  return `${sections.join('\n\n')}\n`;
}
