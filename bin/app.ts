#!/usr/bin/env node
import * as path from 'path';
import { pruneAssembly } from '../lib/assembly-files';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/build-app';
import { readFindings, type Finding } from '../lib/compliance/gate';
import { ConfigError } from '../lib/config/config-error';
import { loadApp } from '../lib/config/load';
import { synthSummary } from '../lib/synth-summary';

const root = path.join(__dirname, '..');

/**
 * `npx cdk synth -c config=<folder>` synthesizes the configuration in that folder (its
 * `pipeline.config.ts` and `stages/`, with the project's services) instead of the project's own,
 * e.g. `-c config=examples/three-region-prod`.
 */
const CONFIG_CONTEXT = 'config';

try {
  const app = new App();
  const configRoot = app.node.tryGetContext(CONFIG_CONTEXT) as unknown;
  if (configRoot !== undefined && typeof configRoot !== 'string') {
    throw new ConfigError(
      `-c ${CONFIG_CONTEXT}=${JSON.stringify(configRoot)} is not a folder. Fix: name a folder of the project holding pipeline.config.ts and stages/, e.g. -c ${CONFIG_CONTEXT}=examples/three-region-prod`,
    );
  }
  const model = loadApp(root, { configRoot });
  const { deployChecks } = buildApp(model, { app });
  // The gate holds whichever stacks the CLI selected: a finding in any stage fails synth.
  let findings: Finding[];
  try {
    findings = readFindings(app.synth().directory);
  } catch (error) {
    // The gate's plugins throw after writing the report; the report says why.
    findings = readFindings(app.outdir);
    if (findings.length === 0) throw error;
  }
  // The assembly was written either way: drop what earlier synths left that it does not list
  // (stages, services and examples no longer configured), so cdk.out is this synth alone.
  pruneAssembly(app.outdir);
  console.error(
    synthSummary(model, deployChecks?.measured ?? [], findings, { configRoot }).join('\n'),
  );
  if (findings.length > 0) process.exitCode = 1;
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`\n✖ Invalid configuration\n  ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}
