import { LIVE_ALIAS } from '../resource-names';
import { describeCodeDeployConfig } from './codedeploy';
import { exceptionsSection } from './exceptions';
import { groupServices } from './groups';
import { sizingText } from './release';
import { renderMermaid } from './mermaid';
import { OPS } from './ops';
import { checksText, type Plan, type PlannedAlarmRule, type PlannedWave } from './plan';
import { markdownTable } from './table';
import { formatMinutes, formatTotal } from './timing';
import { ruleAlarm, ruleEnvironments } from './words';

/** Where the generated page lives, relative to the project root. */
export const PIPELINE_DOC = 'docs/pipeline.md';

/** The command that regenerates the page. */
export const WRITE_COMMAND = 'npm run plan -- --write';

const code = (text: string) => `\`${text}\``;

/**
 * docs/pipeline.md: how a release flows and is judged, the Mermaid flowchart, and the plan as
 * tables. Deterministic (no timestamps) and already in Prettier's format, so a test can
 * compare it byte for byte with the committed file.
 */
export function renderPipelineDoc(plan: Plan): string {
  const last = plan.stages[plan.stages.length - 1];
  const sections = [
    '# Delivery pipeline',
    [
      `This page is generated. \`${WRITE_COMMAND}\` renders it from the configuration the CDK app`,
      'itself is built from (`pipeline.config.ts`, `stages/*.ts`, `services/*/`), so do not edit it',
      'by hand: change the configuration and regenerate (`npm run new-service` regenerates it). A',
      'stale page never fails a release: `npm test` does not check it, and `npm run plan -- --check`',
      'says whether it is current. A test compares the plan with the synthesized pipeline: the',
      'stages and waves in order, approvals, entry conditions, smoke tests and bakes, and per service',
      'the CodeDeploy configuration, the release alarms and the hooks. `npm run plan` prints the',
      'same plan in the terminal.',
    ].join('\n'),
    [
      `- Pipeline: ${code(plan.pipelineName)} in account ${plan.pipelineEnv.account}, ${plan.pipelineEnv.region}`,
      `- Source: ${code(plan.source.repository)}, branch ${code(plan.source.branch)}; every push starts a release`,
      `- Build: ${plan.buildCommands.map(code).join(', ')}; any test failure or compliance finding stops the release`,
      '- Then the pipeline updates itself (self-mutation) and publishes the Lambda bundles',
    ].join('\n'),
    '## Flow',
    ['```mermaid', renderMermaid(plan), '```'].join('\n'),
    ...monitoringSection(plan),
    ...wavesSection(plan),
    ...judgementSection(plan),
    ...frontDoorSection(plan),
    ...conditionsSection(plan),
    ...rollbackSection(plan),
    `## Release time, push to the end of ${last.name}`,
    [
      'Waves run one after the other; the environments of a wave, and the services in each, deploy',
      'in parallel. So every wave counts the traffic shift of its slowest service, then its bake.',
      'Times marked ~ are rough estimates of fixed overheads, not measurements; the traffic shifts',
      'and bakes are exact, set by the strategies and stage entries. Waiting for an approval or a',
      'deployment window is not counted.',
    ].join('\n'),
    markdownTable(
      ['Step', 'Time', 'Basis'],
      plan.timing.steps.map((step) => [step.label, formatMinutes(step), step.note]),
    ),
    `Total: ${formatTotal(plan.timing)}.`,
  ];
  return `${sections.join('\n\n')}\n`;
}

function monitoringSection(plan: Plan): string[] {
  const stage = code(plan.monitoring.pipelineStage);
  return [
    `## Before any stage: the ${plan.monitoring.pipelineStage} wave`,
    [
      `Right after asset publishing, the pipeline stage ${stage} deploys every stage's monitoring`,
      'stack in every environment, in parallel: the notification topic, one fleet alarm per service',
      `on its ${code(LIVE_ALIAS)} alias, the health alarm (in ALARM when any fleet alarm is), the role`,
      "through which the pipeline's stage conditions read it, and the overview dashboard. They are",
      "built from the services' names alone, so they exist before a stage's first release: the alarm",
      'blocker and the bake always have an alarm to read, and a new service is watched from its',
      'first deployment on.',
    ].join('\n'),
    markdownTable(
      ['Stage', 'Environment', 'Account', 'Region', 'Stack', 'Health alarm', 'Fleet alarms'],
      plan.monitoring.stacks.map((m) => [
        m.stage,
        m.environment.name,
        m.environment.account,
        m.environment.region,
        code(m.stackName),
        code(m.healthAlarm),
        String(m.fleetAlarms),
      ]),
    ),
  ];
}

function wavesSection(plan: Plan): string[] {
  const none = 'none';
  return [
    '## Stages and waves',
    [
      "Each stage deploys in waves, each wave in a CodePipeline stage of its own: the stage's name",
      'when it has one wave of one environment, `<stage>-<environment>` for a wave of one',
      'environment in a stage of several waves, `<stage>-wave<N>` for a wave of several. In a wave,',
      'every environment deploys at the same time, each in its own account and region with its own',
      'CodeDeploy deployments. A stage that requires approval first waits in an approval stage of',
      'its own (`Approve-<stage>`, asked for inside the deployment window where there is one).',
      'A wave then goes through its steps in this order: the entry condition (deployment window;',
      'the alarm blocker, which holds the release while the health alarm fires, up to its wait),',
      'the deployment, the smoke tests, and the bake (an action that watches the health alarm; it',
      'fails the stage if the alarm fires, and the stage rolls back on failure). Only then does',
      'the next wave, or stage, start.',
    ].join('\n'),
    markdownTable(
      [
        'Stage',
        'Wave',
        'Pipeline stage',
        'Environments',
        'Approval before',
        'Entry condition',
        'Smoke tests after',
        'Bake beside the smoke tests',
      ],
      plan.stages.flatMap((stage) =>
        stage.waves.map((wave) => [
          stage.name,
          `${wave.index} of ${stage.waves.length}`,
          code(wave.pipelineStage),
          wave.environments.map((e) => `${e.name} (${e.account}, ${e.region})`).join(', '),
          wave.approval ? `${code(wave.approval)}: manual approval` : none,
          entryCell(wave) ?? none,
          wave.smokeTest
            ? `${code(wave.smokeTest.step)}: ${checksText(wave.smokeTest.checks)}`
            : none,
          wave.bake
            ? `${code(wave.bake.step)}: ${wave.bake.minutes} min, watching ${alarmCell(wave.bake.alarms, 'and')}; rolls the wave back`
            : none,
        ]),
      ),
    ),
    ...exceptionsSection(plan.stages),
  ];
}

function entryCell(wave: PlannedWave): string | undefined {
  if (!wave.entry) return undefined;
  return [
    wave.entry.window && `window ${code(wave.entry.window.cron)} ${wave.entry.window.timeZone}`,
    wave.entry.alarms.length > 0 &&
      `holds while ${alarmCell(wave.entry.alarms, 'or')} fires, up to ${wave.entry.waitMinutes} min`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** `` `lambda-services-prod-health` in prod-eu, prod-ap ``. */
function alarmCell(rules: readonly PlannedAlarmRule[], joiner: 'or' | 'and'): string {
  return `${code(ruleAlarm(rules))} in ${ruleEnvironments(rules, joiner)}`;
}

function judgementSection(plan: Plan): string[] {
  return [
    '## How a release is judged',
    [
      'A release is judged on the **new version only**, on everything it served since the traffic',
      "shift started: its failed calls, its calls slower than the service's p99 threshold and its",
      "throttled calls (Lambda publishes the alias's metrics per executed version). A sequential",
      "test weighs them against the service's threshold and a healthy rate (or the old version's",
      'rate beside it, if higher) every minute, on the minutes CloudWatch surely holds; judging that',
      'often does not raise its false-rollback rate. The release judge of each stage and environment',
      'records the verdict as a metric; the **verdict alarm** of the deployment group, named after',
      'the version, watches it, so a bad release is stopped during the canary, before 100%: between',
      "the first shift and 100%, an alarm is CodeDeploy's only brake. The old version's errors do",
      'not roll back a fix on its way out, and a bad new version is not diluted by the healthy old one.',
      '',
      "The pre-traffic hook invokes the new version with the service's synthetic checks before any",
      'traffic moves. After the shift to 100% the post-traffic hook waits until CloudWatch holds a',
      'full minute at 100%, judges the whole release again, and does not pass on silence: a pass',
      'needs enough good calls, so it watches real traffic for more, then fails the release or,',
      'where the service opts in, calls the new version with the synthetic checks to make up the',
      "rest (their failures count; their successes never outvote real failures). Each service's",
      "**fleet alarm** watches its whole alias (every version it serves) and feeds the stage's health",
      'alarm: it notifies, holds the next wave where the stage blocks while alarming, and fails the',
      'bake. It is in no deployment group, so it never rolls a canary back.',
    ].join('\n'),
    'Services with the same settings share a row.',
    markdownTable(
      [
        'Stage',
        'Services',
        'Strategy',
        'CodeDeploy config',
        'Judged on (new version only)',
        'Evidence (post-traffic hook)',
        'Checks per hook',
      ],
      plan.stages.flatMap((stage) =>
        groupServices(stage.services).map((group) => [
          stage.name,
          group.services.map((s) => s.name).join(', '),
          code(group.strategy.label),
          describeCodeDeployConfig(group.strategy.codeDeploy),
          group.judgedOn,
          group.evidence,
          group.checks,
        ]),
      ),
    ),
    [
      "Alarm names: each release's verdict alarm is `<prefix>-<service>-canary-verdict-v<version>`",
      "(a new alarm per version); the fleet alarm is `<prefix>-<service>-fleet`; the release judge's",
      'own is `<prefix>-release-judge-errors`; the prefix is `<pipeline>-<stage>`.',
    ].join('\n'),
    ...sizingSection(plan),
  ];
}

/** What the canaries can see at the traffic the stage entries declare (`requestsPerMinute`). */
function sizingSection(plan: Plan): string[] {
  const rows = plan.stages.flatMap((stage) =>
    stage.services
      .filter((s) => s.judgement.sizing)
      .map((s) => [stage.name, s.name, sizingText(s.judgement.sizing!)]),
  );
  if (rows.length === 0) return [];
  return [
    '### At the declared traffic',
    [
      'Where a stage entry declares the calls a minute a service expects (`requestsPerMinute`),',
      'this is what its canary can see: the calls judged in time to stop a bad release before 100%',
      '(the calls of the last minutes are still on their way to CloudWatch when the shift',
      "completes), the smallest failing share those calls reveal with the service's power, and",
      'when a healthy release has the sample a pass needs. `npm run -s simulate` runs releases at',
      'any traffic through the same judge.',
    ].join('\n'),
    markdownTable(['Stage', 'Service', 'Canary at that traffic'], rows),
  ];
}

function frontDoorSection(plan: Plan): string[] {
  const rows = plan.stages.flatMap((stage) =>
    stage.services
      .filter((s) => s.frontDoor)
      .map((s) => [stage.name, s.name, code(s.frontDoor ?? '')]),
  );
  return [
    '## VPC Lattice front doors',
    rows.length === 0
      ? 'No service has a VPC Lattice front door (`lattice: true` in a service or stage entry adds one).'
      : [
          'A service with `lattice: true` gets a VPC Lattice service in that stage: an HTTPS listener,',
          `a \`LAMBDA\` target group whose target is the ${code(LIVE_ALIAS)} alias, an \`AWS_IAM\` auth policy,`,
          "access logs, and an association with the environment's service network. CodeDeploy's",
          'traffic shift on the alias is the split Lattice callers see, judged by the same alarms.',
        ].join('\n'),
    ...(rows.length === 0
      ? []
      : [markdownTable(['Stage', 'Service', 'VPC Lattice service'], rows)]),
  ];
}

function conditionsSection(plan: Plan): string[] {
  return [
    '## Deployment windows, the alarm blocker, and overriding them',
    [
      'A stage entry may name a deployment window (`deploymentWindow`: a cron expression and a time',
      'zone): its first wave starts only inside it. With `blockWhileAlarming`, a wave does not start',
      "while the stage's health alarm fires in one of its environments. Both are the wave's entry",
      'condition, where a release waits. To let a waiting release in on purpose, run the override',
      'command: it says what it skips and asks first. It skips the entry check only; the canary, its',
      'alarms, the hooks and the bake still judge the release.',
    ].join('\n'),
    markdownTable(
      ['Stage', 'Deployment window', 'Alarm blocker', 'Override'],
      plan.stages.map((stage) => [
        stage.name,
        stage.deploymentWindow
          ? `${code(stage.deploymentWindow.cron)} ${stage.deploymentWindow.timeZone}`
          : 'none',
        stage.blockWhileAlarming ? `on, ${code(stage.healthAlarm)}` : 'off',
        stage.ops.override ? code(stage.ops.override) : 'nothing to override',
      ]),
    ),
    '## The bake',
    [
      'In a stage with `bakeMinutes`, each wave is watched for that long after it reaches 100%',
      "(a success condition with a wait time on the stage's health alarm in each environment of the",
      'wave). An alarm during the bake rolls the wave back to the last successful execution, so',
      'CloudFormation, CodeDeploy and the alias agree afterwards, and later waves and stages never',
      'start.',
    ].join('\n'),
  ];
}

function rollbackSection(plan: Plan): string[] {
  return [
    '## Rolling back',
    [
      `CodeDeploy owns the ${code(LIVE_ALIAS)} alias and CloudFormation records the version it points at, so`,
      'every way back goes through them. To stop a canary in progress, stop it: CodeDeploy shifts the',
      'alias back and the wave fails. To undo a release that has finished, roll the wave back',
      'through the pipeline: CodePipeline deploys the previous successful execution again, hooks',
      `and alarms included (for a stage in waves, the later waves first). ${code(`${OPS} status`)}`,
      `and ${code(`${OPS} watch`)} show where a release is; docs/operations.md explains each command.`,
    ].join('\n'),
    markdownTable(
      ['Stage', 'Stop a canary', 'Roll back a finished release'],
      plan.stages.map((stage) => [
        stage.name,
        code(stage.ops.stop),
        stage.ops.rollback.map(code).join(', then '),
      ]),
    ),
  ];
}
