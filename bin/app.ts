#!/usr/bin/env node
import * as path from 'path';
import { buildApp } from '../lib/build-app';
import { readFindings } from '../lib/compliance/gate';
import { ConfigError } from '../lib/config/config-error';
import { loadApp } from '../lib/config/load';

const root = path.join(__dirname, '..');

try {
  const model = loadApp(root);
  const { app } = buildApp(model);
  const assembly = app.synth();
  // The gate holds whichever stacks the CLI selected: a finding in any stage fails synth.
  const findings = readFindings(assembly.directory);
  if (findings.length > 0) {
    const lines = findings.map(
      (f) => `  ${f.severity.toUpperCase()} ${f.rule}\n      at ${f.path}`,
    );
    console.error(
      [
        `\n✖ Compliance gate: ${findings.length} unacknowledged finding(s) (details in cdk.out/validation-report.json):`,
        ...lines,
        '  Fix the infrastructure, or acknowledge that one finding id on the narrowest construct with a reason a reviewer would accept (README, "Compliance").\n',
      ].join('\n'),
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
