import * as fs from 'fs';
import * as path from 'path';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import {
  SMOKE_TARGETS_DIR,
  smokeTargetsPath,
  type SmokeTargets,
} from '../../runtime/synthetic/smoke-targets';
import type { AppModel, Env, EnvironmentModel, StageModel, WaveModel } from '../config/model';
import { LIVE_ALIAS, serviceBaseName, smokeTestRoleName } from '../resource-names';

/** The ARN partition of a region (`aws`, `aws-cn`, `aws-us-gov`, ...). */
export function partitionOf(region: string): string {
  return RegionInfo.get(region).partition ?? 'aws';
}

/**
 * The qualified ARN of a service's `live` alias in an environment, from the deterministic names
 * alone: usable where a reference to the alias resource is not (another stack, the pipeline).
 */
export function aliasArn(env: EnvironmentModel, prefix: string, service: string): string {
  return `arn:${partitionOf(env.region)}:lambda:${env.region}:${env.account}:function:${serviceBaseName(prefix, service)}:${LIVE_ALIAS}`;
}

/** The ARN of a wave's smoke-step role, in the pipeline's account (`pipelineEnv`). */
export function smokeTestRoleArn(pipelineEnv: Env, stage: StageModel, wave: WaveModel): string {
  return `arn:${partitionOf(pipelineEnv.region)}:iam::${pipelineEnv.account}:role/${smokeTestRoleName(stage.prefix, wave)}`;
}

/** The `live` aliases of every service of the stage in one wave's environments. */
export function smokeTargets(stage: StageModel, wave: WaveModel): SmokeTargets {
  return {
    stage: stage.name,
    wave: wave.index,
    targets: wave.environments.flatMap((env) =>
      stage.services.map((s) => ({
        service: s.name,
        environment: env.name,
        aliasArn: aliasArn(env, stage.prefix, s.name),
      })),
    ),
  };
}

/**
 * Writes the targets file of every wave of every stage that runs smoke tests into `outdir`,
 * replacing what an earlier synth left there (the files of stages and waves that are gone).
 */
export function writeSmokeTargets(model: AppModel, outdir: string): void {
  fs.rmSync(path.join(outdir, SMOKE_TARGETS_DIR), { recursive: true, force: true });
  for (const stage of model.stages) {
    if (!stage.smokeTests) continue;
    for (const wave of stage.waves) {
      const file = path.join(outdir, smokeTargetsPath(stage.name, wave.index));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, `${JSON.stringify(smokeTargets(stage, wave), null, 2)}\n`);
    }
  }
}
