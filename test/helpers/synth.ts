import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp, type BuiltApp } from '../../lib/build-app';
import type { AppModel } from '../../lib/config/model';
import { loadApp } from '../../lib/config/load';

export const ROOT = path.join(__dirname, '..', '..');

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` synthesizes. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}

export interface Synthesized extends BuiltApp {
  readonly model: AppModel;
  readonly outdir: string;
}

/**
 * Builds and synthesizes the app with the real bundles. The compliance gate is off unless
 * `gate` is set: template tests do not need it, and it costs seconds per synth.
 */
export function synthApp(
  model: AppModel = loadApp(ROOT),
  { gate = false }: { gate?: boolean } = {},
): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-test-'));
  const built = buildApp(model, {
    cliVersion: '2.1148.1',
    appProps: { context: cdkJsonContext(), outdir },
    compliance: gate,
  });
  built.app.synth();
  return { ...built, model, outdir };
}

export function template(stack: Stack): Template {
  return Template.fromStack(stack);
}
