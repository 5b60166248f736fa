import { App, type AppProps } from 'aws-cdk-lib';
import { acknowledgeReviewedWildcards, addComplianceChecks } from './compliance';
import type { AppModel } from './config/model';
import { FunctionBundles, type FunctionCode } from './function-bundles';
import { PipelineStack } from './pipeline-stack';

export interface BuiltApp {
  readonly app: App;
  readonly pipelineStack: PipelineStack;
}

/**
 * The whole CDK app from a validated model: the compliance gate on the App and the pipeline
 * stack with one Stage per stage entry. `bin/app.ts` and the tests both build it this way.
 */
export function buildApp(
  model: AppModel,
  cliVersion: string,
  props: AppProps = {},
  code: FunctionCode = FunctionBundles.build(model),
): BuiltApp {
  const app = new App(props);
  addComplianceChecks(app);
  acknowledgeReviewedWildcards(app);
  const pipelineStack = new PipelineStack(app, `${model.pipelineName}-pipeline`, {
    model,
    cliVersion,
    code,
  });
  return { app, pipelineStack };
}
