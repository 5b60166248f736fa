import { LIVE_ALIAS } from '../resource-names';
import { checksText, type Plan } from './plan';

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

/**
 * The pipeline as a Mermaid flowchart: source → build, tests and compliance gate →
 * self-mutation → asset publishing → per stage (approval) → its services → (smoke tests).
 */
export function renderMermaid(plan: Plan): string {
  const lines = ['flowchart TD'];
  let previous: string | undefined;
  /** Links the previous step to `id`, which becomes the previous step. */
  const link = (id: string) => {
    if (previous) lines.push(`  ${previous} --> ${id}`);
    previous = id;
  };
  const BOX = ['[', ']'] as const;
  const step = (id: string, shape: readonly [string, string], ...label: string[]) => {
    lines.push(`  ${id}${shape[0]}${mermaidLabel(...label)}${shape[1]}`);
    link(id);
  };

  step(
    mermaidId('source'),
    BOX,
    `Source: ${plan.source.repository}`,
    `branch ${plan.source.branch}, on push`,
  );
  step(mermaidId('build'), BOX, 'Build, tests and compliance gate', plan.buildCommands.join(', '));
  step(mermaidId('self-mutation'), BOX, 'Self-mutation', 'the pipeline updates itself');
  step(mermaidId('assets'), BOX, 'Asset publishing', 'Lambda bundles');

  for (const stage of plan.stages) {
    if (stage.approval) {
      step(
        mermaidId('approve', stage.name),
        ['{{', '}}'],
        'Manual approval',
        `promote to ${stage.name}`,
      );
    }
    const stageId = mermaidId('stage', stage.name);
    const title = `${stage.name}: ${stage.env.account} / ${stage.env.region}`;
    lines.push(`  subgraph ${stageId} [${mermaidLabel(title)}]`);
    for (const service of stage.services) {
      lines.push(
        `    ${mermaidId('svc', stage.name, service.name)}[${mermaidLabel(
          service.name,
          service.strategy.label,
          `hooks: pre + post, ${checksText(service.checks)}`,
        )}]`,
      );
    }
    lines.push('  end');
    link(stageId);
    if (stage.smokeTestChecks !== undefined) {
      step(
        mermaidId('smoke', stage.name),
        ['[[', ']]'],
        'Smoke tests',
        `${checksText(stage.smokeTestChecks)} on the ${LIVE_ALIAS} aliases`,
      );
    }
  }
  return lines.join('\n');
}
