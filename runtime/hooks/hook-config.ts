import { parseJson, releaseJudgementSchema, type ReleaseJudgement } from '../judge/judge-config';
import { latticeRegion } from '../synthetic/lattice-invoker';
import type { SyntheticCheck } from '../synthetic/types';
import { DEFAULT_CHECKS_FILE, readChecksFile } from './checks-file';

/** Which traffic hook this function is; only used to label logs and validate the qualifier. */
export type HookPhase = 'pre-traffic' | 'post-traffic';

/** What the post-traffic hook does when the canary saw too few invocations of the new version. */
export type OnQuiet = 'fail' | 'generate-traffic';

/** Names of the environment variables the traffic hook reads. */
export const HOOK_ENV = {
  /** Name (or unqualified ARN) of the service's function. */
  functionName: 'TARGET_FUNCTION_NAME',
  /** Pre-traffic: the new version number. Post-traffic: the alias, `live`. */
  qualifier: 'TARGET_QUALIFIER',
  /** `pre-traffic` or `post-traffic`. */
  phase: 'HOOK_PHASE',
  /** Path of the checks file. @default `checks.json` beside the handler */
  checksFile: 'SYNTHETIC_CHECKS_FILE',
  /**
   * Post-traffic: how the release is judged after the shift to 100%, as JSON (`policy`,
   * `onQuiet`, `watchMinutes`; see `runtime/judge/judge-config.ts`). @default not judged
   */
  judgement: 'RELEASE_JUDGEMENT',
  /** Post-traffic: the service's VPC Lattice URL; the checks go through it instead of the alias. */
  targetUrl: 'TARGET_URL',
  /** Set by Lambda: the region to sign Lattice requests for when the URL does not name one. */
  region: 'AWS_REGION',
} as const;

/** The validated configuration of one traffic hook. */
export interface HookConfig {
  readonly functionName: string;
  readonly qualifier: string;
  readonly phase: HookPhase;
  readonly checks: readonly SyntheticCheck[];
  /** Post-traffic: how the release is judged; absent: only the checks decide. */
  readonly judgement?: ReleaseJudgement;
  /** Present when the post-traffic checks go through VPC Lattice. */
  readonly lattice?: { readonly url: string; readonly region: string };
}

const FUNCTION_NAME = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}$/;
const VERSION = /^[1-9][0-9]*$/;
const ALIAS = /^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$/;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads and validates the hook's environment and its checks file.
 *
 * The pre-traffic hook must target a published version (a number), never an alias: the alias
 * still points at the old version before traffic shifts. The post-traffic hook must target an
 * alias. Only the post-traffic hook judges the release (`RELEASE_JUDGEMENT`) or goes through
 * Lattice (`TARGET_URL`): before traffic moves there is nothing to judge, and Lattice reaches
 * the alias, which still serves the old version.
 *
 * @param defaultChecksFile where the checks are when `SYNTHETIC_CHECKS_FILE` is not set
 * @throws Error naming every missing or invalid variable, and what is wrong with the checks file
 */
export function readHookConfig(env: Env, defaultChecksFile = DEFAULT_CHECKS_FILE): HookConfig {
  const problems: string[] = [];
  const functionName = env[HOOK_ENV.functionName]?.trim() ?? '';
  const qualifier = env[HOOK_ENV.qualifier]?.trim() ?? '';
  const phase = env[HOOK_ENV.phase]?.trim() ?? '';

  if (functionName === '') problems.push(`${HOOK_ENV.functionName} is not set`);
  else if (!FUNCTION_NAME.test(functionName)) {
    problems.push(
      `${HOOK_ENV.functionName} "${functionName}" is not an unqualified Lambda function name or ARN`,
    );
  }

  if (phase !== 'pre-traffic' && phase !== 'post-traffic') {
    problems.push(
      `${HOOK_ENV.phase} must be "pre-traffic" or "post-traffic", got ${phase === '' ? 'nothing' : `"${phase}"`}`,
    );
  }

  if (qualifier === '') problems.push(`${HOOK_ENV.qualifier} is not set`);
  else if (phase === 'pre-traffic' && !VERSION.test(qualifier)) {
    problems.push(
      `${HOOK_ENV.qualifier} "${qualifier}" must be a published version number for the pre-traffic hook`,
    );
  } else if (phase === 'post-traffic' && !ALIAS.test(qualifier)) {
    problems.push(
      `${HOOK_ENV.qualifier} "${qualifier}" must be an alias name (e.g. "live") for the post-traffic hook`,
    );
  }

  const judgement = readJudgement(env, phase, problems);

  const lattice = readLattice(env, phase, problems);

  let checks: SyntheticCheck[] = [];
  const checksFile = env[HOOK_ENV.checksFile]?.trim() || defaultChecksFile;
  try {
    checks = readChecksFile(checksFile);
  } catch (error) {
    problems.push((error as Error).message);
  }

  if (problems.length > 0) throw new Error(`invalid hook configuration: ${problems.join('; ')}`);
  return {
    functionName,
    qualifier,
    phase: phase as HookPhase,
    checks,
    ...(judgement !== undefined && { judgement }),
    ...(lattice !== undefined && { lattice }),
  };
}

function readJudgement(env: Env, phase: string, problems: string[]): ReleaseJudgement | undefined {
  const raw = env[HOOK_ENV.judgement]?.trim() ?? '';
  if (raw === '') return undefined;
  if (phase === 'pre-traffic') {
    problems.push(
      `${HOOK_ENV.judgement} is for the post-traffic hook only: before traffic moves there is nothing to judge`,
    );
    return undefined;
  }
  try {
    return parseJson(releaseJudgementSchema, raw, HOOK_ENV.judgement);
  } catch (error) {
    problems.push((error as Error).message);
    return undefined;
  }
}

function readLattice(
  env: Env,
  phase: string,
  problems: string[],
): HookConfig['lattice'] | undefined {
  const url = env[HOOK_ENV.targetUrl]?.trim() ?? '';
  if (url === '') return undefined;
  if (phase === 'pre-traffic') {
    problems.push(
      `${HOOK_ENV.targetUrl} is for the post-traffic hook only: before traffic moves, Lattice still reaches the old version`,
    );
    return undefined;
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed?.protocol !== 'https:' || parsed.search !== '' || parsed.hash !== '') {
    problems.push(
      `${HOOK_ENV.targetUrl} "${url}" must be an https URL without query or fragment, e.g. https://<service>.<id>.vpc-lattice-svcs.<region>.on.aws`,
    );
    return undefined;
  }
  const region = latticeRegion(url) ?? env[HOOK_ENV.region]?.trim() ?? '';
  if (region === '') {
    problems.push(
      `${HOOK_ENV.targetUrl} "${url}" names no region and ${HOOK_ENV.region} is not set`,
    );
    return undefined;
  }
  return { url, region };
}
