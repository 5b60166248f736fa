import type { SyntheticCheck } from './types';

/**
 * Validates that `value` is a non-empty array of well-formed synthetic checks with unique
 * names, and returns it typed.
 *
 * @param value the candidate, e.g. a parsed checks file or a module's `checks` export
 * @param source how to name the value in error messages, e.g. `/var/task/checks.json`
 * @throws Error naming every problem found, e.g. `/var/task/checks.json[1].expect.statusCode ...`
 */
export function validateChecks(value: unknown, source: string): SyntheticCheck[] {
  if (!Array.isArray(value)) {
    throw new Error(`${source} must be an array of synthetic checks, got ${typeName(value)}`);
  }
  if (value.length === 0) {
    throw new Error(`${source} is empty: at least one synthetic check is required`);
  }
  const problems: string[] = [];
  const seen = new Set<string>();
  value.forEach((item: unknown, i) => {
    const at = `${source}[${i}]`;
    if (!isRecord(item)) {
      problems.push(`${at} must be an object, got ${typeName(item)}`);
      return;
    }
    if (typeof item.name !== 'string' || item.name.trim() === '') {
      problems.push(`${at}.name must be a non-empty string`);
    } else if (seen.has(item.name)) {
      problems.push(`${at}.name "${item.name}" is used by an earlier check`);
    } else {
      seen.add(item.name);
    }
    if (!('event' in item)) problems.push(`${at}.event is missing`);
    problems.push(...expectationProblems(item.expect, `${at}.expect`));
  });
  if (problems.length > 0) throw new Error(problems.join('; '));
  return value as SyntheticCheck[];
}

/**
 * Parses a JSON text (such as the hook's `checks.json`) and validates it with
 * {@link validateChecks}.
 *
 * @throws Error when the text is not JSON or the checks are malformed
 */
export function parseChecks(json: string, source: string): SyntheticCheck[] {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return validateChecks(value, source);
}

function expectationProblems(expect: unknown, at: string): string[] {
  if (!isRecord(expect)) return [`${at} must be an object, got ${typeName(expect)}`];
  const problems: string[] = [];
  const { statusCode, bodyFields, bodyContains, maxLatencyMs } = expect;
  if (
    statusCode !== undefined &&
    !(Number.isInteger(statusCode) && Number(statusCode) >= 100 && Number(statusCode) <= 599)
  ) {
    problems.push(`${at}.statusCode must be an integer from 100 to 599`);
  }
  if (bodyFields !== undefined && !isRecord(bodyFields)) {
    problems.push(`${at}.bodyFields must be an object`);
  }
  if (
    bodyContains !== undefined &&
    !(Array.isArray(bodyContains) && bodyContains.every((s) => typeof s === 'string'))
  ) {
    problems.push(`${at}.bodyContains must be an array of strings`);
  }
  if (maxLatencyMs !== undefined && !(typeof maxLatencyMs === 'number' && maxLatencyMs > 0)) {
    problems.push(`${at}.maxLatencyMs must be a positive number`);
  }
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}
