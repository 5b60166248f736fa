/**
 * The app command of the bench's naive baseline (see fixture.ts), run by `npx cdk synth` in a
 * throw-away copy through type-checking `ts-node`, as `cdk init` sets it up. It builds the same
 * app with the same compliance gate as bin/app.ts, without the pipeline-limit checks (so CDK
 * Pipelines splits big stages, one canary window each) and without stage conditions.
 */
import * as path from 'path';
import { buildApp } from '../../lib/build-app';
import { readFindings } from '../../lib/compliance/gate';
import { loadApp } from '../../lib/config/load';
import { withoutStageConditions } from './baseline';

withoutStageConditions();
const { app } = buildApp(loadApp(path.join(__dirname, '..', '..'), { enforceLimits: false }));
let assembly = app.outdir;
try {
  assembly = app.synth().directory;
} catch (error) {
  // The gate's plugins throw after writing the report; the report says why.
  if (readFindings(app.outdir).length === 0) throw error;
}
const findings = readFindings(assembly);
if (findings.length > 0) {
  console.error(`baseline: ${findings.length} finding(s) of the compliance gate`);
  process.exitCode = 1;
}
