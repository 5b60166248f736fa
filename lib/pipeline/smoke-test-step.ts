import { PolicyStatement, type IRole } from 'aws-cdk-lib/aws-iam';
import { CodeBuildStep, type IFileSetProducer } from 'aws-cdk-lib/pipelines';
import { smokeTargetsPath } from '../../runtime/synthetic/smoke-targets';
import type { StageModel, WaveModel } from '../config/model';
import { LIVE_ALIAS, serviceBaseName, smokeTestStepName } from '../resource-names';
import { partitionOf } from './smoke-targets';

/** Where the smoke step finds the cloud assembly, relative to the source it runs in. */
const ASSEMBLY_DIR = 'assembly';

export interface SmokeTestStepProps {
  readonly stage: StageModel;
  readonly wave: WaveModel;
  /** The project's source: the step installs it and runs its synthetic-check command. */
  readonly source: IFileSetProducer;
  /** The synth step's output, the cloud assembly, which holds the wave's targets file. */
  readonly assembly: IFileSetProducer;
  /**
   * The step's CodeBuild role: named (`smokeTestRoleName`), so that the aliases' permissions name
   * it rather than the whole pipeline account.
   */
  readonly role: IRole;
}

/**
 * A pipeline step that runs every service's synthetic checks against the `live` aliases of one
 * wave of a deployed stage. Its targets come from a file synth wrote into the cloud assembly
 * (`smoke/<stage>-wave<N>.json`), so the step's configuration does not grow with the services.
 * It may invoke the `live` alias of the stage's functions in the wave's environments and nothing
 * else: one ARN pattern per environment, which stays far below IAM's policy size limit at any
 * number of services. Each alias's permission names this step's role (the other side of a
 * cross-account call), so no other identity of the pipeline's account can invoke it.
 */
export function smokeTestStep(props: SmokeTestStepProps): CodeBuildStep {
  const { stage, wave } = props;
  const targets = `${ASSEMBLY_DIR}/${smokeTargetsPath(stage.name, wave.index)}`;
  return new CodeBuildStep(smokeTestStepName(stage, wave), {
    input: props.source,
    additionalInputs: { [ASSEMBLY_DIR]: props.assembly },
    role: props.role,
    installCommands: ['npm ci'],
    commands: [`npm run synthetic -- --remote --targets ${targets}`],
    rolePolicyStatements: [
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: wave.environments.map(
          (env) =>
            `arn:${partitionOf(env.region)}:lambda:${env.region}:${env.account}:function:${serviceBaseName(stage.prefix, '*')}:${LIVE_ALIAS}`,
        ),
      }),
    ],
  });
}
