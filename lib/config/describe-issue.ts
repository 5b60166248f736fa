import type { z } from 'zod';

type Issue = z.core.$ZodIssue;

/**
 * Turns the first zod issue of a failed parse into the part of a config message after the
 * entry: `<field> is <value>: <problem>. Fix: <fix>`, or `unknown field "x". Fix: ...`.
 *
 * Zod reports some problems one level too high for a person to act on: a bad record key as
 * "Invalid key in record", a failure inside one branch of a union as the union's own message.
 * Those are unwrapped to the innermost issue so the message names the real field and value.
 */
export function describeIssue(schema: z.ZodType, first: Issue, root?: string): string {
  const { issue, path, isKey } = innermost(first, first.path);
  const shownPath = isKey ? path.slice(0, -1) : path;
  const field = formatPath(root === undefined ? shownPath : [root, ...shownPath]);
  if (issue.code === 'unrecognized_keys') {
    return `${field ? `${field} has ` : ''}${unknownFields(issue.keys, knownKeys(schema, path))}`;
  }
  let value = issue.input;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && isRecord(value)) {
    value = value[String(issue.discriminator)];
  }
  const shown = value === undefined ? 'missing' : JSON.stringify(value);
  const label = `${field || 'the export'}${isKey ? ' key' : ''}`;
  return `${label} is ${shown}: ${problemOf(issue, value)}`;
}

/**
 * The issue to report of those a failed parse gave: the first, except that a field reported
 * missing yields to an unknown field of the same object, which is usually the same field
 * misspelt (`pipelineNmae` for `pipelineName`), so the message can say "did you mean".
 */
export function actionableIssue(issues: readonly Issue[]): Issue {
  const first = issues[0];
  if (first.code === 'invalid_type' && first.input === undefined && first.path.length > 0) {
    const missing = String(first.path.at(-1));
    const parent = JSON.stringify(first.path.slice(0, -1));
    const misspelt = issues.find(
      (i) =>
        i.code === 'unrecognized_keys' &&
        JSON.stringify(i.path) === parent &&
        i.keys.some((k) => closest(k, [missing]) !== undefined),
    );
    if (misspelt) return misspelt;
  }
  return first;
}

/** The issue a person can act on, with its full path. */
function innermost(
  issue: Issue,
  path: readonly PropertyKey[],
): { issue: Issue; path: readonly PropertyKey[]; isKey?: boolean } {
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Branches that failed only because the value has another type are not what was meant.
    const meant = issue.errors.filter(
      (branch) =>
        branch.length > 0 &&
        !(branch.length === 1 && branch[0].code === 'invalid_type' && branch[0].path.length === 0),
    );
    if (meant.length === 1) {
      const inner = meant[0][0];
      return innermost(inner, [...path, ...inner.path]);
    }
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    return { issue: { ...issue.issues[0], input: issue.input } as Issue, path, isKey: true };
  }
  return { issue, path };
}

const TYPES: Record<string, { noun: string; write: string }> = {
  number: { noun: 'a number', write: 'a number without quotes' },
  string: { noun: 'a string', write: 'the value in quotes' },
  boolean: { noun: 'true or false', write: 'true or false without quotes' },
  array: { noun: 'a list', write: 'a list in square brackets, [...]' },
  object: { noun: 'an object', write: 'an object in braces, { ... }' },
};

/** The schema's own message, or a "what is wrong. Fix: how" one for zod's generic type errors. */
function problemOf(issue: Issue, value: unknown): string {
  if (issue.code !== 'invalid_type' || !issue.message.startsWith('Invalid input')) {
    return issue.message;
  }
  const type = TYPES[issue.expected] ?? { noun: issue.expected, write: issue.expected };
  return value === undefined
    ? `is required (${type.noun}). Fix: add it`
    : `must be ${type.noun}. Fix: write ${type.write}`;
}

function unknownFields(keys: readonly string[], known: readonly string[]): string {
  const quoted = keys.map((k) => `"${k}"`).join(', ');
  const knownList = known.length ? `; the known fields are ${known.join(', ')}` : '';
  if (keys.length > 1) {
    return `unknown fields ${quoted}. Fix: remove them or correct the spelling${knownList}`;
  }
  const guess = closest(keys[0], known);
  return guess
    ? `unknown field ${quoted}. Fix: did you mean "${guess}"? Correct the spelling, or remove the field`
    : `unknown field ${quoted}. Fix: remove it${knownList}`;
}

/** The candidate a typo most likely meant: same letters in another case, or at most 2 edits. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= (word.length > 4 ? 2 : 1) && (!best || distance < best.distance)) {
      best = { candidate, distance };
    }
  }
  return best?.candidate;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** Zod's schema internals, as far as walking to the object at a path needs them. */
interface Node {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, Node>>;
      readonly innerType?: Node;
      readonly valueType?: Node;
      readonly element?: Node;
      readonly options?: readonly Node[];
    };
  };
}

/** The field names an object schema at `path` accepts (every branch of a union). */
export function knownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let nodes = expand(schema as unknown as Node);
  for (const key of path) nodes = nodes.flatMap((n) => child(n, key)).flatMap(expand);
  // Retired fields (typed `never`) are refused with their own message, never suggested.
  const keys = nodes.flatMap((n) =>
    Object.entries(n._zod.def.shape ?? {})
      .filter(([, field]) => !expand(field).every((f) => f._zod.def.type === 'never'))
      .map(([key]) => key),
  );
  return [...new Set(keys)];
}

/** Unwraps optional/default wrappers and spreads unions into their options. */
function expand(node: Node): Node[] {
  const { def } = node._zod;
  if (def.innerType) return expand(def.innerType);
  if (def.type === 'union' && def.options) return def.options.flatMap(expand);
  return [node];
}

function child(node: Node, key: PropertyKey): Node[] {
  const { def } = node._zod;
  if (def.type === 'object' && typeof key === 'string' && def.shape?.[key]) return [def.shape[key]];
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.type === 'array' && def.element && typeof key === 'number') return [def.element];
  return [];
}

export function formatPath(p: readonly PropertyKey[]): string {
  return p
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
