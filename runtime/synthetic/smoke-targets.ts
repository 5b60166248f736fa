/**
 * The file a smoke-test step reads its targets from. Synth writes one per wave of every stage
 * that runs smoke tests, into the cloud assembly (`cdk.out/smoke/<stage>-wave<N>.json`); the
 * pipeline hands the assembly to the smoke step, which runs
 * `npm run synthetic -- --remote --targets <file>`. Its size grows with the services, not the
 * pipeline action's configuration (limited to 1,000 characters per value).
 */
export interface SmokeTargets {
  readonly stage: string;
  readonly wave: number;
  /** One per service and environment of the wave. */
  readonly targets: readonly SmokeTarget[];
}

export interface SmokeTarget {
  /** The service, whose checks are `services/<service>/synthetic.ts`. */
  readonly service: string;
  /** The environment (key of `environments` in pipeline.config.ts). */
  readonly environment: string;
  /** The qualified ARN of the service's `live` alias there; its region is the client's. */
  readonly aliasArn: string;
  /**
   * The service's VPC Lattice URL there, when it has a front door: the checks go through it
   * (HTTPS, SigV4) instead of invoking the alias. @default the alias is invoked
   */
  readonly url?: string;
}

/** Folder of the targets files inside the cloud assembly. */
export const SMOKE_TARGETS_DIR = 'smoke';

/** `smoke/<stage>-wave<N>.json`, relative to the cloud assembly. */
export function smokeTargetsPath(stage: string, wave: number): string {
  return `${SMOKE_TARGETS_DIR}/${stage}-wave${wave}.json`;
}
