import * as fs from 'fs';
import * as path from 'path';
import { Template } from 'aws-cdk-lib/assertions';
import {
  CloudAssembly,
  type CloudFormationStackArtifact,
  type NestedCloudAssemblyArtifact,
} from 'aws-cdk-lib/cx-api';
import type { AppModel, EnvironmentModel, StageModel } from '../../lib/config/model';
import { loadApp } from '../../lib/config/load';
import { applicationStageId, monitoringStageId } from '../../lib/resource-names';
import { ROOT } from './project';

/** The variables through which test/jest/global-setup.ts tells the tests about its synth. */
export const DEFAULT_APP = { dir: 'DEFAULT_APP_DIR', pid: 'DEFAULT_APP_SYNTH_PID' } as const;

/** One stage in one of its environments, read back from the cloud assembly. */
export interface AssembledEnvironment {
  readonly stage: StageModel;
  readonly environment: EnvironmentModel;
  /** The stage's monitoring stack there (deployed by the pipeline before any stage). */
  readonly monitoringStack: CloudFormationStackArtifact;
  /** The stage's service stacks there, in the order the stage adds them. */
  readonly serviceStacks: readonly CloudFormationStackArtifact[];
}

/** An app as `cdk synth` writes it, with the model it was built from. */
export interface AssembledApp {
  readonly model: AppModel;
  /** The cloud assembly, with the gate's `validation-report.json`. */
  readonly outdir: string;
  readonly pipelineStack: CloudFormationStackArtifact;
  /** Every stage in every environment, in pipeline order. */
  readonly environments: readonly AssembledEnvironment[];
}

/** The project's app as the globalSetup synthesized it, with the gate. */
export interface DefaultApp extends AssembledApp {
  /** What `app.synth()` threw, if it did after writing the assembly (a finding of the gate). */
  readonly synthError?: string;
}

/**
 * The project's own app, synthesized once per jest run with the compliance gate (jest's
 * globalSetup starts it), read from its cloud assembly; waits for that synth to finish. Tests
 * of the app read it rather than synthesizing it themselves: loading aws-cdk-lib and
 * synthesizing costs seconds per test file. Whatever the user's configuration holds, these
 * tests must hold: they loop over its stages, environments and services.
 */
export function defaultApp(): DefaultApp {
  const dir = process.env[DEFAULT_APP.dir];
  if (!dir) throw new Error(`${DEFAULT_APP.dir} is not set: run the tests with jest`);
  const { error } = waitForStatus(dir, Number(process.env[DEFAULT_APP.pid]));
  const outdir = path.join(dir, 'cdk.out');
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(`synthesizing the app failed:\n${error}`);
  }
  return { ...readAssembly(loadApp(ROOT), outdir), synthError: error };
}

/** Reads an app synthesized from `model` into `outdir`. */
export function readAssembly(model: AppModel, outdir: string): AssembledApp {
  const assembly = new CloudAssembly(outdir);
  const nested = (id: string): NestedCloudAssemblyArtifact => {
    const found = assembly.nestedAssemblies.find((n) => lastPart(n.displayName) === id);
    if (!found) throw new Error(`no nested assembly ${id} in ${outdir}`);
    return found;
  };
  const environments = model.stages.flatMap((stage) =>
    stage.waves.flatMap((wave) =>
      wave.environments.map((environment) => {
        const id = applicationStageId(stage, environment);
        const monitoring = nested(monitoringStageId(stage, environment)).nestedAssembly.stacks;
        if (monitoring.length !== 1) throw new Error(`${id}-monitoring: not one stack`);
        return {
          stage,
          environment,
          monitoringStack: monitoring[0],
          serviceStacks: nested(id).nestedAssembly.stacks,
        };
      }),
    ),
  );
  return {
    model,
    outdir,
    pipelineStack: assembly.getStackByName(`${model.pipelineName}-pipeline`),
    environments,
  };
}

/** A stack's construct id (a service stack's is its service's or shared stack's name). */
export function constructId(stack: CloudFormationStackArtifact): string {
  return lastPart(stack.hierarchicalId);
}

export function template(stack: CloudFormationStackArtifact): Template {
  return Template.fromJSON(stack.template);
}

const lastPart = (constructPath: string) => constructPath.slice(constructPath.lastIndexOf('/') + 1);

/**
 * Blocks until the synth's status file is there. Synchronous, so that jest's hook timeouts do
 * not apply; the synth takes seconds, so give up after three minutes or once it is gone.
 */
function waitForStatus(dir: string, pid: number): { error?: string } {
  const status = path.join(dir, 'status.json');
  const deadline = Date.now() + 180_000;
  const sleep = new Int32Array(new SharedArrayBuffer(4));
  while (!fs.existsSync(status)) {
    const running = isRunning(pid);
    if (!running || Date.now() > deadline) {
      if (fs.existsSync(status)) break; // it finished between the two checks
      const log = path.join(dir, 'synth.log');
      throw new Error(
        `the app's synth ${running ? 'took over three minutes' : 'ended without a result'}; its output:\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`,
      );
    }
    Atomics.wait(sleep, 0, 0, 50);
  }
  return JSON.parse(fs.readFileSync(status, 'utf8'));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
