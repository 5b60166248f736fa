import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import {
  pipelineConfigSchema,
  serviceDefinitionSchema,
  stageEntrySchema,
  stageServiceSchema,
} from '../../lib/config/schema';
import { ROOT } from '../helpers/project';

/**
 * docs/configuration.md documents every option the configuration takes, and only those: each
 * table's fields are the keys of the schema that parses that part of the configuration (retired
 * fields, which the schema refuses with what replaced them, aside), and each option is read by
 * the code that builds the app or runs a command, not only parsed.
 */

type Schema = z.ZodType;
const def = (schema: Schema) =>
  (schema as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;

/** The object inside optional, default and union wrappers (the union's object member). */
function objectOf(schema: Schema): Record<string, Schema> {
  let current = def(schema);
  for (;;) {
    if (current.type === 'object') return current.shape as Record<string, Schema>;
    if (current.innerType) current = def(current.innerType as Schema);
    else if (current.type === 'union') {
      const member = (current.options as Schema[]).find((o) => def(o).type === 'object');
      current = def(member!);
    } else if (current.type === 'record') current = def(current.valueType as Schema);
    else throw new Error(`no object in a schema of type ${String(current.type)}`);
  }
}

/** A field typed \`never\` (under optional): retired, refused with what replaced it. */
function isRetired(schema: Schema): boolean {
  const d = def(schema);
  if (d.type === 'never') return true;
  return d.innerType !== undefined && isRetired(d.innerType as Schema);
}

/** The keys of an object schema; nested objects' keys as `outer.inner` where `nested` says. */
function keysOf(schema: Schema, nested: readonly string[] = []): string[] {
  const keys: string[] = [];
  for (const [key, value] of Object.entries(objectOf(schema))) {
    if (isRetired(value)) {
      continue; // retired: refused with what replaced it
    }
    if (nested.includes(key)) keys.push(...keysOf(value).map((k) => `${key}.${k}`));
    else keys.push(key);
  }
  return keys.sort();
}

const DOC = fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');

/** The backticked first cells of the first table after `heading` (and after `after`, if given). */
function documented(heading: string, after?: string): string[] {
  let from = DOC.indexOf(heading);
  expect(from).toBeGreaterThanOrEqual(0);
  if (after !== undefined) from = DOC.indexOf(after, from);
  const start = DOC.indexOf('\n| Field', from);
  const end = DOC.indexOf('\n\n', start);
  return DOC.slice(start, end)
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => /^\| `([^`]+)`/.exec(line)?.[1])
    .filter((key): key is string => key !== undefined)
    .sort();
}

const definition = objectOf(serviceDefinitionSchema);
const TABLES: Array<[string, string[], string[]]> = [
  [
    'pipeline.config.ts',
    documented('## pipeline.config.ts'),
    keysOf(pipelineConfigSchema, ['source', 'pipeline', 'notifications']),
  ],
  [
    'environments',
    documented('### Environments'),
    keysOf(objectOf(pipelineConfigSchema).environments, ['lattice']),
  ],
  ['stage entries', documented('## Stage entries'), keysOf(stageEntrySchema)],
  [
    'services entries of a stage',
    documented('## Stage entries', '**`services` entries.**'),
    keysOf(stageServiceSchema).filter((k) => k !== 'name'),
  ],
  ['service definitions', documented('## Service definitions'), keysOf(serviceDefinitionSchema)],
  ['alarms', documented('### alarms:'), keysOf(definition.alarms)],
  ['canary', documented('### canary:'), keysOf(definition.canary)],
];

test.each(TABLES)(
  'the %s table documents every option of its schema, and no other',
  (_, doc, schema) => {
    expect(schema.length).toBeGreaterThan(0);
    expect(doc).toEqual(schema);
  },
);

/** Every TypeScript file of the code that builds the app and runs the commands, but the schema. */
function codeFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return codeFiles(full);
    return entry.name.endsWith('.ts') && !full.endsWith(path.join('config', 'schema.ts'))
      ? [full]
      : [];
  });
}
const CODE = ['bin', 'lib', 'scripts', 'runtime']
  .flatMap((dir) => codeFiles(path.join(ROOT, dir)))
  .map((file) => fs.readFileSync(file, 'utf8'))
  .join('\n');

test.each(TABLES.flatMap(([table, doc]) => doc.map((option) => [table, option])))(
  '%s: %s is read by the code, not only parsed',
  (_, option) => {
    const last = option.split('.').at(-1)!;
    // `x.option`, `x?.option`, `{ option }` or `option:` in a destructuring or a call.
    const read = new RegExp(`(\\??\\.${last}\\b|[{,]\\s*${last}\\s*[,}=]|\\b${last}\\s*\\?\\?)`);
    expect({ option, read: read.test(CODE) }).toEqual({ option, read: true });
  },
);
