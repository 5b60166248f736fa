import * as fs from 'fs';
import * as path from 'path';
import {
  Aspects,
  CloudFormationValidatePlugin,
  Validations,
  type App,
  type Stage,
} from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { AcknowledgeReviewedWildcards } from './reviewed-wildcards';

/**
 * Registers the compliance gate on the App: cdk-nag's AWS Solutions and Serverless packs and
 * CloudFormation's own validation. Registered on the App, they check every stack, including
 * those inside each `Stage`. Findings land in `cdk.out/validation-report.json`; a finding fails
 * synth (`npx cdk synth` selects every stack, see cdk.json, so the CLI checks them all).
 */
export function addComplianceChecks(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new ServerlessChecks(app),
    new CloudFormationValidatePlugin(),
  );
}

/**
 * Acknowledges the reviewed, CDK-generated wildcard findings (see `reviewed-wildcards.ts`)
 * in the stacks of `stage`. Aspects do not cross Stage boundaries, and CDK Pipelines
 * synthesizes each Stage when it is added, so every Stage calls this in its constructor and
 * the App calls it for the stacks directly under it.
 */
export function acknowledgeReviewedWildcards(stage: Stage): void {
  Aspects.of(stage).add(new AcknowledgeReviewedWildcards());
}

/** One unacknowledged finding from `validation-report.json`. */
export interface Finding {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly path: string;
}

/**
 * The unacknowledged findings of a synthesized assembly, read from its validation report.
 * Acknowledged findings are not listed there, so any entry is a failure.
 */
export function readFindings(assemblyDir: string): Finding[] {
  const file = path.join(assemblyDir, 'validation-report.json');
  if (!fs.existsSync(file)) return [];
  const report = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    pluginReports?: {
      pluginName: string;
      violations?: {
        ruleName: string;
        severity: string;
        violatingConstructs?: { constructPath: string }[];
      }[];
    }[];
  };
  return (report.pluginReports ?? []).flatMap((p) =>
    (p.violations ?? []).flatMap((v) =>
      (v.violatingConstructs ?? []).map((c) => ({
        plugin: p.pluginName,
        rule: v.ruleName,
        severity: v.severity,
        path: c.constructPath,
      })),
    ),
  );
}
