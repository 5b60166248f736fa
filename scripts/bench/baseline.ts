import { PipelineStack } from '../../lib/pipeline/pipeline-stack';

/**
 * The naive baseline has no CodePipeline stage conditions (bake, alarm blocker, deployment
 * window), as a CDK Pipelines set-up from `cdk init` has none. It could not keep them anyway:
 * without the pipeline-limit checks, CDK Pipelines splits a stage of more than 50 actions into
 * `prod.1`, `prod.2`, ..., and the project places each stage's conditions on the one pipeline
 * stage named after it. Call before the app is built, in the baseline's process only.
 */
export function withoutStageConditions(): void {
  const prototype = PipelineStack.prototype as unknown as Record<string, unknown>;
  if (typeof prototype.addStageConditions !== 'function') {
    throw new Error(
      'PipelineStack no longer has addStageConditions: update scripts/bench/baseline.ts to keep stage conditions out of the baseline',
    );
  }
  prototype.addStageConditions = () => undefined;
}
