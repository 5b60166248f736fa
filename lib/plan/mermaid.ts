import { LIVE_ALIAS } from '../resource-names';
import { checksText, type Plan } from './plan';
import { alarmingText, watchingText, windowText } from './words';

/** Words a Mermaid flowchart reads as keywords, never usable as a bare node id. */
const RESERVED = new Set([
  'end',
  'graph',
  'flowchart',
  'subgraph',
  'direction',
  'style',
  'class',
  'classdef',
  'click',
  'linkstyle',
  'default',
]);

/**
 * A node id Mermaid accepts: the parts joined by `_`, every run of other characters (e.g. the
 * hyphens of `order-history`) turned into `_`, starting with a letter and never a keyword.
 */
export function mermaidId(...parts: readonly string[]): string {
  const id = parts
    .map((part) => part.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, ''))
    .filter((part) => part.length > 0)
    .join('_');
  return /^[A-Za-z]/.test(id) && !RESERVED.has(id.toLowerCase()) ? id : `n_${id}`;
}

/** A quoted node label; characters Mermaid would parse are written as entity codes. */
export function mermaidLabel(...lines: readonly string[]): string {
  const escape = (text: string) =>
    text
      .replace(/#/g, '#35;')
      .replace(/"/g, '#quot;')
      .replace(/&/g, '#amp;')
      .replace(/</g, '#lt;')
      .replace(/>/g, '#gt;');
  return `"${lines.map(escape).join('<br/>')}"`;
}

/** Node shapes: a box, an approval, a condition, a step, a wait. */
const SHAPE = {
  box: ['[', ']'],
  approval: ['{{', '}}'],
  condition: ['{', '}'],
  step: ['[[', ']]'],
  wait: ['([', '])'],
} as const;

/** The id of the node every way out of a release leads to. */
const STOPPED = 'stopped';

/**
 * The pipeline as a Mermaid flowchart: source → build, tests and compliance gate →
 * self-mutation → asset publishing → the Monitoring wave → per stage and wave: the entry
 * condition (window, alarm blocker), the approval, the wave's environments in parallel, the
 * smoke tests and the bake; dotted edges show what stops a release. One node per environment,
 * not per service, so the diagram stays readable at any number of services.
 */
export function renderMermaid(plan: Plan): string {
  const lines = ['flowchart TD'];
  let previous: string | undefined;
  /** Links the previous step to `id`, which becomes the previous step. */
  const link = (id: string) => {
    if (previous) lines.push(`  ${previous} --> ${id}`);
    previous = id;
  };
  const step = (id: string, shape: readonly [string, string], ...label: string[]) => {
    lines.push(`  ${id}${shape[0]}${mermaidLabel(...label)}${shape[1]}`);
    link(id);
  };
  /** A subgraph of boxes, linked as one step. */
  const group = (id: string, title: string, boxes: readonly [string, string[]][]) => {
    lines.push(`  subgraph ${id} [${mermaidLabel(title)}]`);
    for (const [boxId, label] of boxes) lines.push(`    ${boxId}[${mermaidLabel(...label)}]`);
    lines.push('  end');
    link(id);
  };
  const stops: [string, string][] = [];

  step(
    mermaidId('source'),
    SHAPE.box,
    `Source: ${plan.source.repository}`,
    `branch ${plan.source.branch}, on push`,
  );
  step(
    mermaidId('build'),
    SHAPE.box,
    'Build, tests and compliance gate',
    plan.buildCommands.join(', '),
  );
  step(mermaidId('self-mutation'), SHAPE.box, 'Self-mutation', 'the pipeline updates itself');
  step(mermaidId('assets'), SHAPE.box, 'Asset publishing', 'Lambda bundles');
  group(
    mermaidId('monitoring'),
    `${plan.monitoring.pipelineStage}: every stage's alarms, before any release`,
    plan.monitoring.stacks.map((m) => [
      mermaidId('mon', m.stage, m.environment.name),
      [
        `${m.stage} in ${m.environment.name}`,
        `${m.environment.account} / ${m.environment.region}`,
        m.healthAlarm,
      ],
    ]),
  );

  for (const stage of plan.stages) {
    const doors = stage.services.filter((s) => s.frontDoor).length;
    for (const wave of stage.waves) {
      const at = (...parts: string[]) => mermaidId(...parts, stage.name, `w${wave.index}`);
      if (wave.approval) {
        step(
          at('approve'),
          SHAPE.approval,
          `${wave.approval}: manual approval`,
          `promote to ${stage.name}`,
        );
      }
      if (wave.entry) {
        step(
          at('entry'),
          SHAPE.condition,
          `${wave.pipelineStage}: entry condition`,
          ...(wave.entry.window ? [`only in ${windowText(wave.entry.window)}`] : []),
          ...(wave.entry.alarms.length > 0
            ? [
                `holds while ${alarmingText(wave.entry.alarms)}, up to ${wave.entry.waitMinutes} min`,
              ]
            : []),
        );
      }
      const title = `${stage.name}, wave ${wave.index} of ${stage.waves.length}: pipeline stage ${wave.pipelineStage}`;
      group(
        at('wave'),
        title,
        wave.environments.map((env) => [
          mermaidId('env', stage.name, `w${wave.index}`, env.name),
          [
            env.name,
            `${env.account} / ${env.region}`,
            `${stage.services.length} service${stage.services.length === 1 ? '' : 's'}, traffic shift ${stage.shiftMinutes} min`,
            ...(doors > 0 ? [`${doors} VPC Lattice front door${doors === 1 ? '' : 's'}`] : []),
          ],
        ]),
      );
      stops.push([at('wave'), 'failed hook or release alarm']);
      if (wave.smokeTest) {
        step(
          at('smoke'),
          SHAPE.step,
          wave.smokeTest.step,
          `${checksText(wave.smokeTest.checks)} on the ${LIVE_ALIAS} aliases`,
        );
        stops.push([at('smoke'), 'failed check']);
      }
      if (wave.bake) {
        step(
          at('bake'),
          SHAPE.wait,
          `${wave.bake.step}: ${wave.bake.minutes} min`,
          `watching ${watchingText(wave.bake.alarms)}`,
        );
        stops.push([at('bake'), 'alarm: the stage fails and rolls the wave back']);
      }
    }
  }
  lines.push(
    `  ${STOPPED}${SHAPE.wait[0]}${mermaidLabel('Release stops', 'later waves and stages do not start')}${SHAPE.wait[1]}`,
  );
  for (const [from, why] of stops) lines.push(`  ${from} -.->|${why}| ${STOPPED}`);
  return lines.join('\n');
}
