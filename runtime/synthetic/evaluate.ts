import type { CheckResult, InvokeOutcome, SyntheticCheck } from './types';

/**
 * Judges one invocation outcome against a check's expectations. Pure: no I/O, no clock.
 *
 * Rules, in order: a function error fails at once; a 5xx status fails; `expect.statusCode`
 * must match exactly; `bodyFields` are compared (deep equality) with the JSON-parsed body, and
 * a body that is not JSON fails; every `bodyContains` substring must occur in the raw body;
 * the latency must not exceed `maxLatencyMs`. Every failed rule adds to the reason.
 *
 * @param check the check that was run
 * @param outcome what the invoker returned
 * @param latencyMs measured round-trip time of the invocation
 */
export function evaluate(
  check: SyntheticCheck,
  outcome: InvokeOutcome,
  latencyMs: number,
): CheckResult {
  const latency = Math.round(latencyMs);
  const statusCode = readStatusCode(outcome.payload);
  const base = {
    name: check.name,
    latencyMs: latency,
    ...(statusCode !== undefined && { statusCode }),
  };

  if (outcome.functionError !== undefined) {
    return { ...base, passed: false, reason: describeFunctionError(outcome) };
  }

  const problems: string[] = [];
  const { expect } = check;
  if (statusCode !== undefined && statusCode >= 500) {
    problems.push(`status ${statusCode} is a server error`);
  }
  if (expect.statusCode !== undefined && statusCode !== expect.statusCode) {
    problems.push(
      statusCode === undefined
        ? `expected status ${expect.statusCode}, response has no statusCode`
        : `expected status ${expect.statusCode}, got ${statusCode}`,
    );
  }

  const needsBody = expect.bodyFields !== undefined || (expect.bodyContains?.length ?? 0) > 0;
  const body = needsBody ? readBody(outcome.payload) : undefined;
  if (needsBody && body === undefined) {
    problems.push('response has no body');
  }
  if (body !== undefined && expect.bodyFields !== undefined) {
    problems.push(...compareFields(body, expect.bodyFields));
  }
  if (body !== undefined) {
    for (const needle of expect.bodyContains ?? []) {
      if (!body.includes(needle)) problems.push(`body does not contain ${JSON.stringify(needle)}`);
    }
  }
  if (expect.maxLatencyMs !== undefined && latency > expect.maxLatencyMs) {
    problems.push(`latency ${latency} ms exceeds ${expect.maxLatencyMs} ms`);
  }

  return problems.length === 0
    ? { ...base, passed: true }
    : { ...base, passed: false, reason: problems.join('; ') };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readStatusCode(payload: unknown): number | undefined {
  return isRecord(payload) && typeof payload.statusCode === 'number'
    ? payload.statusCode
    : undefined;
}

/** The raw body of an API-Gateway-style result, base64-decoded when flagged so. */
function readBody(payload: unknown): string | undefined {
  if (!isRecord(payload) || typeof payload.body !== 'string') return undefined;
  return payload.isBase64Encoded === true
    ? Buffer.from(payload.body, 'base64').toString('utf8')
    : payload.body;
}

function describeFunctionError(outcome: InvokeOutcome): string {
  const { payload } = outcome;
  const detail =
    isRecord(payload) && typeof payload.errorMessage === 'string'
      ? `: ${typeof payload.errorType === 'string' ? `${payload.errorType}: ` : ''}${payload.errorMessage}`
      : '';
  return `function error (${outcome.functionError})${detail}`;
}

function compareFields(body: string, fields: Readonly<Record<string, unknown>>): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [`body is not JSON: ${truncate(body, 80)}`];
  }
  if (!isRecord(parsed)) {
    return [`body is not a JSON object: ${truncate(body, 80)}`];
  }
  const problems: string[] = [];
  for (const [key, expected] of Object.entries(fields)) {
    if (!(key in parsed)) {
      problems.push(`body field ${JSON.stringify(key)} is missing`);
    } else if (!deepEqual(parsed[key], expected)) {
      problems.push(
        `body field ${JSON.stringify(key)}: expected ${truncate(JSON.stringify(expected), 80)}, got ${truncate(JSON.stringify(parsed[key]), 80)}`,
      );
    }
  }
  return problems;
}

/** Structural equality of JSON values (objects compared by own keys, arrays by position). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, i) => deepEqual(item, b[i]))
    );
  }
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length &&
      keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]))
    );
  }
  return false;
}

function truncate(text: string | undefined, max: number): string {
  const value = text ?? 'undefined';
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}
