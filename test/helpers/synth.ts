import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildApp, type BuiltApp } from '../../lib/build-app';
import { Code } from 'aws-cdk-lib/aws-lambda';
import type { AppModel } from '../../lib/config/model';
import type { FunctionCode } from '../../lib/service/function-bundles';
import { loadApp } from '../../lib/config/load';
import { cdkJsonContext, ROOT } from './project';

export interface Synthesized extends BuiltApp {
  readonly model: AppModel;
  readonly outdir: string;
}

/**
 * Builds and synthesizes the app with the real bundles. The compliance gate is off unless
 * `gate` is set: template tests do not need it, and it costs seconds per synth. Without the
 * gate, the CDK's built-in CloudFormation validation is off too (the gate registers it): it
 * reads the templates and changes nothing in them. Tests of the project's own app read the one
 * assembly the globalSetup synthesizes (`defaultApp()`); this is for the tests that need
 * another model.
 */
export function synthApp(
  model: AppModel = loadApp(ROOT),
  {
    gate = false,
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-test-')),
  }: { gate?: boolean; outdir?: string } = {},
): Synthesized {
  const built = buildApp(model, {
    appProps: { context: cdkJsonContext(), outdir, builtinCloudFormationValidation: gate },
    compliance: gate,
  });
  built.app.synth();
  return { ...built, model, outdir };
}

/**
 * A stand-in for the bundles: every function gets the same inline code. For tests of the
 * pipeline and of physical names, which do not need the real bundles (bundling costs seconds).
 */
export function inlineCode(): FunctionCode {
  const code = () => Code.fromInline('exports.handler = async () => ({ statusCode: 200 });');
  return { service: code, hook: code, judge: code, gate: code };
}

/**
 * Synthesizes a model with inline code and no gate (nor the CDK's built-in validation) into a
 * new folder; returns the assembly.
 */
export function synthFast(model: AppModel): Synthesized {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-fast-'));
  const built = buildApp(model, {
    appProps: { context: cdkJsonContext(), outdir, builtinCloudFormationValidation: false },
    compliance: false,
    code: inlineCode(),
  });
  built.app.synth();
  return { ...built, model, outdir };
}
