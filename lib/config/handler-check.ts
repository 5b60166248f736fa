import * as fs from 'fs';
import * as path from 'path';
import { buildSync, type BuildFailure, type Message, type Metafile } from 'esbuild';
import { closest } from './describe-issue';

/**
 * Checks a service's handler file without running it: esbuild bundles it in memory (the
 * project's own files only; packages stay external) and its metafile lists what the entry point
 * exports. A syntax error comes back as `<file>:<line>:<column>: <message>`.
 */

/** The handler's file as the messages show it, and its source when it is not on disk yet. */
export interface HandlerFile {
  /** Absolute path. */
  readonly entry: string;
  /** Project-relative path for messages, e.g. `services/orders/handler.ts`. */
  readonly shown: string;
  /** Source to check instead of the file (the scaffold checks a file before writing it). */
  readonly source?: string;
}

/** What is wrong with the handler, as `<problem>. Fix: <fix>`, or undefined when nothing is. */
export function handlerProblem(file: HandlerFile): string | undefined {
  let result: { exports: readonly string[] } | { error: Message };
  try {
    result = { exports: exportsOf(file) };
  } catch (error) {
    const first = (error as Partial<BuildFailure>).errors?.[0];
    if (!first) throw error;
    result = { error: first };
  }
  if ('error' in result) {
    return `${file.shown} does not compile: ${located(result.error, file)}. Fix: correct it there (npx tsc --noEmit shows every error)`;
  }
  if (result.exports.includes('handler')) return undefined;
  const found = result.exports.length
    ? `it exports ${result.exports.map((e) => `\`${e}\``).join(', ')}`
    : 'it exports nothing';
  const guess = closest('handler', result.exports);
  return `${file.shown} does not export \`handler\` (${found}). Fix: ${guess ? `rename \`${guess}\` to \`handler\`, or ` : ''}export the function Lambda calls as \`export const handler = async (event) => { ... }\``;
}

/** Results by entry, valid while none of the files the bundle read has changed. */
const cache = new Map<string, { inputs: ReadonlyArray<[string, number]>; exports: string[] }>();

function exportsOf(file: HandlerFile): string[] {
  const key = file.source === undefined ? file.entry : `${file.entry}\0${file.source}`;
  const hit = cache.get(key);
  if (hit && hit.inputs.every(([f, mtime]) => mtimeOf(f) === mtime)) return hit.exports;
  // A handler not written yet (the scaffold's) resolves from the nearest folder that exists.
  let dir = path.dirname(file.entry);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const result = buildSync({
    ...(file.source === undefined
      ? { entryPoints: [file.entry] }
      : {
          stdin: {
            contents: file.source,
            resolveDir: dir,
            sourcefile: path.basename(file.entry),
            loader: 'ts',
          },
        }),
    absWorkingDir: dir,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const exports = entryExports(result.metafile);
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => f !== '<stdin>')
    .map((f): [string, number] => [path.resolve(dir, f), mtimeOf(path.resolve(dir, f))]);
  cache.set(key, { inputs, exports });
  return exports;
}

function entryExports(metafile: Metafile): string[] {
  const outputs = Object.values(metafile.outputs);
  const entry = outputs.find((o) => o.entryPoint !== undefined) ?? outputs[0];
  return entry ? [...entry.exports].sort() : [];
}

function mtimeOf(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** `services/x/handler.ts:12:5: <message>`: esbuild's line and its column counted from 1. */
function located(message: Message, file: HandlerFile): string {
  const loc = message.location;
  if (!loc) return message.text;
  const inEntry =
    loc.file === '<stdin>' || path.resolve(path.dirname(file.entry), loc.file) === file.entry;
  const shown = inEntry
    ? file.shown
    : path.posix.normalize(path.posix.join(path.posix.dirname(file.shown), toPosix(loc.file)));
  return `${shown}:${loc.line}:${loc.column + 1}: ${message.text}`;
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
