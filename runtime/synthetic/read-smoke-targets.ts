import { readFileSync } from 'node:fs';
import type { SmokeTarget, SmokeTargets } from './smoke-targets';

/** A targets file that cannot be used; its message is one line naming the file, entry and fix. */
export class SmokeTargetsError extends Error {
  override readonly name = 'SmokeTargetsError';
}

const REGENERATE = "regenerate it with npx cdk synth '**' (it is written to cdk.out/smoke/)";
const SERVICE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const ALIAS_ARN =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[A-Za-z0-9_-]{1,64}:(?![0-9]+$)[A-Za-z0-9_-]{1,128}$/;

/** The region of a qualified Lambda alias ARN; `undefined` when it is not one. */
export function aliasRegion(arn: string): string | undefined {
  return ALIAS_ARN.exec(arn)?.[1];
}

/**
 * Reads and validates a smoke-targets file (see {@link SmokeTargets}).
 *
 * @param file the path as the user gave it; error messages name it so
 * @throws SmokeTargetsError for a missing, unreadable or malformed file, naming the first bad
 *   entry and the fix
 */
export function readSmokeTargets(file: string): SmokeTargets {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SmokeTargetsError(
      code === 'ENOENT'
        ? `targets file ${file} does not exist: pass the file synth wrote (cdk.out/smoke/<stage>-wave<N>.json after npx cdk synth '**')`
        : `targets file ${file} cannot be read (${code ?? (error as Error).message}): pass a readable file`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SmokeTargetsError(
      `targets file ${file} is not valid JSON (${(error as Error).message}): ${REGENERATE}`,
    );
  }
  const problem = firstProblem(value);
  if (problem !== undefined) {
    throw new SmokeTargetsError(`targets file ${file}: ${problem}: ${REGENERATE}`);
  }
  return value as SmokeTargets;
}

function firstProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'must be a JSON object with stage, wave and targets';
  if (typeof value.stage !== 'string' || value.stage === '') return 'stage must be a stage name';
  if (!Number.isInteger(value.wave)) return 'wave must be a whole number';
  if (!Array.isArray(value.targets)) return 'targets must be an array';
  if (value.targets.length === 0) return 'targets is empty, so nothing would be checked';
  for (const [i, target] of value.targets.entries()) {
    const problem = targetProblem(target);
    if (problem !== undefined) return `targets[${i}]${problem}`;
  }
  return undefined;
}

function targetProblem(target: unknown): string | undefined {
  if (!isRecord(target)) return ' must be an object with service, environment and aliasArn';
  const { service, environment, aliasArn, url } = target as Partial<
    Record<keyof SmokeTarget, unknown>
  >;
  if (typeof service !== 'string' || !SERVICE.test(service)) {
    return `.service ${show(service)} is not a service name`;
  }
  if (typeof environment !== 'string' || environment === '') {
    return `.environment ${show(environment)} is not an environment name`;
  }
  if (typeof aliasArn !== 'string' || aliasRegion(aliasArn) === undefined) {
    return `.aliasArn ${show(aliasArn)} is not a Lambda alias ARN (arn:aws:lambda:<region>:<account>:function:<name>:<alias>)`;
  }
  if (url !== undefined && !isHttpsUrl(url)) {
    return `.url ${show(url)} is not an https URL`;
  }
  return undefined;
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

function show(value: unknown): string {
  return value === undefined ? '(missing)' : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
