import { parseChecks } from '../synthetic/parse-checks';
import type { SyntheticCheck } from '../synthetic/types';

/** Which traffic hook this function is; only used to label logs and validate the qualifier. */
export type HookPhase = 'pre-traffic' | 'post-traffic';

/** Names of the environment variables the traffic hook reads. */
export const HOOK_ENV = {
  /** Name (or unqualified ARN) of the service's function. */
  functionName: 'TARGET_FUNCTION_NAME',
  /** Pre-traffic: the new version number. Post-traffic: the alias, `live`. */
  qualifier: 'TARGET_QUALIFIER',
  /** JSON array of `SyntheticCheck`. */
  checks: 'SYNTHETIC_CHECKS',
  /** `pre-traffic` or `post-traffic`. */
  phase: 'HOOK_PHASE',
} as const;

/** The validated configuration of one traffic hook. */
export interface HookConfig {
  readonly functionName: string;
  readonly qualifier: string;
  readonly phase: HookPhase;
  readonly checks: readonly SyntheticCheck[];
}

const FUNCTION_NAME = /^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}$/;
const VERSION = /^[1-9][0-9]*$/;
const ALIAS = /^(?!^[0-9]+$)[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads and validates the hook's environment.
 *
 * The pre-traffic hook must target a published version (a number), never an alias: the alias
 * still points at the old version before traffic shifts. The post-traffic hook must target an
 * alias.
 *
 * @throws Error naming every missing or invalid variable
 */
export function readHookConfig(env: Readonly<Record<string, string | undefined>>): HookConfig {
  const problems: string[] = [];
  const functionName = env[HOOK_ENV.functionName]?.trim() ?? '';
  const qualifier = env[HOOK_ENV.qualifier]?.trim() ?? '';
  const phase = env[HOOK_ENV.phase]?.trim() ?? '';
  const checksJson = env[HOOK_ENV.checks] ?? '';

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

  let checks: SyntheticCheck[] = [];
  if (checksJson.trim() === '') problems.push(`${HOOK_ENV.checks} is not set`);
  else {
    try {
      checks = parseChecks(checksJson, HOOK_ENV.checks);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }

  if (problems.length > 0) throw new Error(`invalid hook configuration: ${problems.join('; ')}`);
  return { functionName, qualifier, phase: phase as HookPhase, checks };
}
