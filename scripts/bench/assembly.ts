import * as fs from 'fs';
import * as path from 'path';
import { LIMITS, measureTemplate, type Measurement } from '../../lib/compliance/aws-limits';
import type { TemplateMeasurements } from '../../lib/compliance/deploy-checks-plugin';
import type { CfnTemplate } from '../../lib/compliance/template-text';
import { pipelineStageName } from '../../lib/resource-names';
import { nearestLimits } from '../../lib/synth-summary';
import { CHECKS_FILE } from '../../runtime/hooks/checks-file';
import { templatesIn } from '../lib/cfn-lint';

/** What the bench reads back from a synthesized cloud assembly (`cdk.out`). */
export interface AssemblyFacts {
  /** CloudFormation templates, nested stage assemblies included. */
  readonly stacks: number;
  /** Resources of the largest stack. */
  readonly largestStack: number;
  /** Names of the pipeline's stages, in order. */
  readonly pipelineStages: readonly string[];
  /** Every template's AWS-limit measurements, as the gate's DeployChecks plugin takes them. */
  readonly checked: readonly TemplateMeasurements[];
  /** Lambda code assets (one per function bundle). */
  readonly bundles: number;
  /** The largest service bundle's and hook bundle's `index.js`, in KB (0 when none). */
  readonly serviceBundleKb: number;
  readonly hookBundleKb: number;
}

/** Reads the templates and code assets of the cloud assembly in `outdir`. */
export function readAssembly(outdir: string): AssemblyFacts {
  const templates = templatesIn(outdir);
  let largestStack = 0;
  let pipelineStages: string[] = [];
  const checked: TemplateMeasurements[] = [];
  for (const file of templates) {
    const text = fs.readFileSync(file, 'utf8');
    const template = JSON.parse(text) as CfnTemplate;
    const resources = Object.values(template.Resources ?? {});
    largestStack = Math.max(largestStack, resources.length);
    for (const resource of resources) {
      if (resource.Type === 'AWS::CodePipeline::Pipeline') {
        const stages = (resource.Properties?.Stages ?? []) as { Name: string }[];
        pipelineStages = stages.map((s) => s.Name);
      }
    }
    checked.push({
      template: path.basename(file),
      measurements: measureTemplate(template, Buffer.byteLength(text)),
    });
  }
  // Code assets sit in the assembly's root as `asset.<hash>/`; a hook's holds its checks file.
  const code = fs
    .readdirSync(outdir)
    .filter((d) => d.startsWith('asset.') && fs.existsSync(path.join(outdir, d, 'index.js')));
  const kb = (dirs: string[]) =>
    Math.max(
      0,
      ...dirs.map(
        (d) => Math.round(fs.statSync(path.join(outdir, d, 'index.js')).size / 102.4) / 10,
      ),
    );
  const isHook = (d: string) => fs.existsSync(path.join(outdir, d, CHECKS_FILE));
  return {
    stacks: templates.length,
    largestStack,
    pipelineStages,
    checked,
    bundles: code.length,
    serviceBundleKb: kb(code.filter((d) => !isHook(d))),
    hookBundleKb: kb(code.filter(isHook)),
  };
}

/**
 * The sequential pipeline stages that deploy a stage entry: one per wave, and more where CDK
 * Pipelines split a wave of more than 50 actions into `<name>.1`, `<name>.2`, ... In a stage
 * that shifts traffic gradually, each is a full canary window.
 */
export function canaryWindows(
  pipelineStages: readonly string[],
  stage: { readonly name: string; readonly waves: readonly (readonly string[])[] },
): number {
  const model = {
    name: stage.name,
    waves: stage.waves.map((names, i) => ({
      index: i + 1,
      environments: names.map((name) => ({ name })),
    })),
  };
  const names = new Set(model.waves.map((wave) => pipelineStageName(model, wave)));
  return pipelineStages.filter((s) => names.has(s.replace(/\.\d+$/, ''))).length;
}

/** The largest value of one limit over every template, with where it was measured. */
export interface LimitPeak {
  readonly measurement: Measurement;
  readonly where?: string;
}

/** For every AWS limit measured, its largest value against the limit; in LIMITS order. */
export function limitPeaks(checked: readonly TemplateMeasurements[]): LimitPeak[] {
  const rules = Object.values(LIMITS);
  const peaks = nearestLimits(checked, rules.length);
  return rules.flatMap((rule) => peaks.filter((p) => p.measurement.rule.id === rule.id));
}
