import { App, type AppProps } from 'aws-cdk-lib';
import type { DeployChecksPlugin } from './compliance/deploy-checks-plugin';
import { acknowledgeReviewedWildcards, addComplianceChecks } from './compliance/gate';
import type { AppModel } from './config/model';
import { FunctionBundles, type FunctionCode } from './service/function-bundles';
import { PipelineStack } from './pipeline/pipeline-stack';
import { writeSmokeTargets } from './pipeline/smoke-targets';
import { pipelineStackName } from './resource-names';
import { toolVersions, type ToolVersions } from './tool-versions';

export interface BuiltApp {
  readonly app: App;
  readonly pipelineStack: PipelineStack;
  /** The gate's deploy checks (absent without the gate): after synth, every template measured. */
  readonly deployChecks?: DeployChecksPlugin;
}

export interface BuildAppOptions {
  /** Versions of the CDK tools the pipeline installs. @default the pins in package.json */
  readonly tools?: ToolVersions;
  /** @default {} */
  readonly appProps?: AppProps;
  /** The App to build into, already created (`appProps` is then not used). @default a new App */
  readonly app?: App;
  /** @default the model's functions bundled by `FunctionBundles.build` into the app's outdir */
  readonly code?: FunctionCode;
  /**
   * Register the compliance gate. Only tests that check templates, not the gate, turn it off
   * (the gate has tests of its own on the whole app).
   * @default true
   */
  readonly compliance?: boolean;
}

/**
 * The whole CDK app from a validated model: the compliance gate on the App and the pipeline
 * stack with one Stage per stage entry. `bin/app.ts` and the tests both build it this way.
 */
export function buildApp(model: AppModel, options: BuildAppOptions = {}): BuiltApp {
  const app = options.app ?? new App(options.appProps);
  const deployChecks = options.compliance !== false ? addComplianceChecks(app) : undefined;
  acknowledgeReviewedWildcards(app);
  const code = options.code ?? FunctionBundles.build(model, app.outdir);
  writeSmokeTargets(model, app.outdir);
  const pipelineStack = new PipelineStack(app, pipelineStackName(model.pipelineName), {
    model,
    tools: options.tools ?? toolVersions(),
    code,
  });
  return { app, pipelineStack, deployChecks };
}
