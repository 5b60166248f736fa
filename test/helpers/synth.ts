import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp, type BuiltApp } from '../../lib/build-app';
import type { AppModel } from '../../lib/config/model';
import { loadApp } from '../../lib/config/load';
import { cdkJsonContext, ROOT } from './project';

export interface Synthesized extends BuiltApp {
  readonly model: AppModel;
  readonly outdir: string;
}

/**
 * Builds and synthesizes the app with the real bundles. The compliance gate is off unless
 * `gate` is set: template tests do not need it, and it costs seconds per synth. Tests of the
 * project's own app read the one assembly the globalSetup synthesizes (`defaultApp()`); this
 * is for the tests that need another model.
 */
export function synthApp(
  model: AppModel = loadApp(ROOT),
  {
    gate = false,
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-test-')),
  }: { gate?: boolean; outdir?: string } = {},
): Synthesized {
  const built = buildApp(model, {
    appProps: { context: cdkJsonContext(), outdir },
    compliance: gate,
  });
  built.app.synth();
  return { ...built, model, outdir };
}
