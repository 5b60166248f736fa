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
import { DeployChecksPlugin } from './deploy-checks-plugin';
import { AcknowledgeReviewedWildcards } from './reviewed-wildcards';

/**
 * Registers the compliance gate on the App: cdk-nag's AWS Solutions and Serverless packs,
 * CloudFormation's own validation, and the deploy checks (dependency cycles and AWS limits that
 * CloudFormation meets only at deploy time). Registered on the App, they check every stack,
 * including those inside each `Stage`. Findings land in `cdk.out/validation-report.json`;
 * `bin/app.ts` fails synth on any of them, whichever stacks the CLI selected.
 *
 * @returns the deploy-checks plugin, whose measurements say which limits are near
 */
export function addComplianceChecks(app: App): DeployChecksPlugin {
  const deployChecks = new DeployChecksPlugin();
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app),
    new ServerlessChecks(app),
    new CloudFormationValidatePlugin(),
    deployChecks,
  );
  return deployChecks;
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
  /** What is wrong, as the plugin describes it. */
  readonly description?: string;
  /** How to fix it, when the plugin says. */
  readonly fix?: string;
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
        description?: string;
        suggestedFix?: string;
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
        description: v.description,
        fix: v.suggestedFix,
      })),
    ),
  );
}
