import { describeMeasurement, type Measurement } from './compliance/aws-limits';
import type { TemplateMeasurements } from './compliance/deploy-checks-plugin';
import type { Finding } from './compliance/gate';
import { stageEnvironments, type AppModel } from './config/model';
import { strategyLabel } from './config/strategy';

/** How many of the nearest limits the summary names. */
const NEAREST = 3;

/**
 * What `npx cdk synth` prints when it is done: one line per stage, the gate's verdict with the
 * number of templates it checked, and the AWS limits the app is nearest to. Fits on one screen
 * whatever the number of services. On findings, each is listed with what is wrong and the fix.
 */
export function synthSummary(
  model: AppModel,
  checked: readonly TemplateMeasurements[],
  findings: readonly Finding[],
  options: {
    /** The folder the configuration came from, when not the project's root. */
    readonly configRoot?: string;
  } = {},
): string[] {
  const from = options.configRoot === undefined ? '' : ` (configuration ${options.configRoot})`;
  const lines = [
    `Pipeline ${model.pipelineName}${from}: ${model.stages.length} stage(s), in cdk.out/`,
  ];
  for (const stage of model.stages) {
    const where = stageEnvironments(stage)
      .map((e) => `${e.region}/${e.account}`)
      .join(', ');
    const lattice = stage.services.filter((s) => s.lattice).length;
    const extras = [
      lattice > 0 && `${lattice} behind VPC Lattice`,
      stage.requiresApproval && 'approval first',
      stage.waves.length > 1 && `${stage.waves.length} waves`,
      stage.bakeMinutes > 0 && `bake ${stage.bakeMinutes} min`,
    ].filter(Boolean);
    lines.push(
      `  ${stage.name.padEnd(12)} ${stage.services.length} service(s), ${strategyLabel(stage.strategy)}${extras.length ? `, ${extras.join(', ')}` : ''} → ${where}`,
    );
  }
  const templates = new Set(checked.map((c) => c.template)).size;
  if (findings.length === 0) {
    lines.push(
      `✔ Compliance gate passed: 0 findings in ${templates} template(s) (cdk-nag AwsSolutions and Serverless, CloudFormation validation, dependency cycles, AWS limits)`,
    );
  } else {
    lines.push(
      `✖ Compliance gate failed: ${findings.length} unacknowledged finding(s) in ${templates} template(s) (details in cdk.out/validation-report.json):`,
    );
    for (const f of findings) {
      lines.push(`  ${f.severity.toUpperCase()} ${f.rule}`, `      at ${f.path}`);
      if (f.description) lines.push(`      ${f.description}`);
      if (f.fix) lines.push(`      Fix: ${f.fix}`);
    }
    lines.push(
      '  Fix the infrastructure, or acknowledge that one finding id on the narrowest construct with a reason a reviewer would accept (README, "Compliance").',
    );
  }
  const nearest = nearestLimits(checked);
  if (nearest.length > 0) {
    lines.push(
      `  Nearest AWS limits: ${nearest.map((n) => `${n.measurement.rule.what}${n.where ? ` (${n.where})` : ''} ${describeMeasurement(n.measurement)}`).join('; ')}`,
    );
  }
  return lines;
}

/** The measurements closest to their limits, one per rule, nearest first. */
export function nearestLimits(
  checked: readonly TemplateMeasurements[],
  count = NEAREST,
): { measurement: Measurement; where?: string }[] {
  const best = new Map<string, { measurement: Measurement; where?: string }>();
  for (const { template, measurements } of checked) {
    for (const m of measurements) {
      const ratio = m.value / m.rule.max;
      const current = best.get(m.rule.id);
      if (!current || ratio > current.measurement.value / current.measurement.rule.max) {
        best.set(m.rule.id, {
          measurement: m,
          where: m.subject ?? template.replace(/\.template\.json$/, ''),
        });
      }
    }
  }
  return [...best.values()]
    .sort(
      (a, b) =>
        b.measurement.value / b.measurement.rule.max - a.measurement.value / a.measurement.rule.max,
    )
    .slice(0, count);
}
