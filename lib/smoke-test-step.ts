import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, type IFileSetProducer } from 'aws-cdk-lib/pipelines';
import { targetEnvVar } from '../runtime/synthetic/target-env';
import type { ApplicationStage } from './application-stage';
import { LIVE_ALIAS, serviceBaseName } from './resource-names';

/**
 * A pipeline step that runs every service's synthetic checks against the `live` aliases of a
 * deployed stage, fed by the stacks' outputs. It may invoke exactly those aliases.
 */
export function smokeTestStep(stage: ApplicationStage, input: IFileSetProducer): CodeBuildStep {
  const envFromCfnOutputs: Record<string, import('aws-cdk-lib').CfnOutput> = {};
  const aliasArns: string[] = [];
  const names: string[] = [];
  for (const stack of stage.serviceStacks) {
    for (const [name, output] of stack.aliasArnOutputs) {
      envFromCfnOutputs[targetEnvVar(name)] = output;
      names.push(name);
      aliasArns.push(
        Arn.format(
          {
            service: 'lambda',
            resource: 'function',
            resourceName: `${serviceBaseName(stage.stageName, name)}:${LIVE_ALIAS}`,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            account: stage.account,
            region: stage.region,
          },
          Stack.of(stack),
        ),
      );
    }
  }
  return new CodeBuildStep(`SmokeTest-${stage.stageName}`, {
    input,
    installCommands: ['npm ci'],
    commands: [`npm run synthetic -- --remote ${names.join(' ')}`],
    envFromCfnOutputs,
    rolePolicyStatements: [
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: aliasArns }),
    ],
  });
}
