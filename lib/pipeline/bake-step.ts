import type { IStage } from 'aws-cdk-lib/aws-codepipeline';
import { LambdaInvokeAction } from 'aws-cdk-lib/aws-codepipeline-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Step,
  type CodePipelineActionFactoryResult,
  type ICodePipelineActionFactory,
  type ProduceActionOptions,
} from 'aws-cdk-lib/pipelines';
import type { GateParameters } from '../../runtime/gates/health-gate';

/**
 * A wave's bake as a CDK Pipelines step: a Lambda invoke action of the health gate with the
 * wave's parameters, after the wave deployed and its smoke tests ran.
 */
export class BakeStep extends Step implements ICodePipelineActionFactory {
  constructor(
    id: string,
    private readonly gate: IFunction,
    private readonly parameters: GateParameters,
  ) {
    super(id);
  }

  produceAction(stage: IStage, options: ProduceActionOptions): CodePipelineActionFactoryResult {
    stage.addAction(
      new LambdaInvokeAction({
        actionName: options.actionName,
        runOrder: options.runOrder,
        lambda: this.gate,
        userParameters: this.parameters,
      }),
    );
    return { runOrdersConsumed: 1 };
  }
}
