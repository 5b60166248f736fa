#!/usr/bin/env node
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { acknowledgeReviewedWildcards, addComplianceChecks, readFindings } from '../lib/compliance';
import { ConfigError } from '../lib/config/config-error';
import { loadApp } from '../lib/config/load';
import { PipelineStack } from '../lib/pipeline-stack';

const root = path.join(__dirname, '..');

try {
  const model = loadApp(root);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cliVersion = (require('../package.json') as { devDependencies: Record<string, string> })
    .devDependencies['aws-cdk'];
  const app = new App();
  addComplianceChecks(app);
  acknowledgeReviewedWildcards(app);
  new PipelineStack(app, `${model.pipelineName}-pipeline`, { model, cliVersion });
  const assembly = app.synth();
  // The gate holds whichever stacks the CLI selected: any finding in any stage fails synth.
  const findings = readFindings(assembly.directory);
  if (findings.length > 0) {
    console.error(
      `\n✖ Compliance gate: ${findings.length} unacknowledged finding(s), listed above and in ${path.join(assembly.directory, 'validation-report.json')}.\n  Fix the infrastructure, or acknowledge one finding id on the narrowest construct with a reason (see README, "Compliance").\n`,
    );
    process.exitCode = 1;
  }
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`\n✖ Invalid configuration\n  ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
