import * as fs from 'fs';
import { isBuiltin } from 'module';
import * as path from 'path';
import { buildSync, type BuildFailure, type Message, type Metafile } from 'esbuild';
import { closest } from './describe-issue';

/**
 * Checks a service's handler file without running it: esbuild bundles it in memory (the
 * project's own files only; packages stay external) and its metafile lists what the entry point
 * exports and which packages its files import. A syntax error comes back as
 * `<file>:<line>:<column>: <message>`; a package that is not installed is named with the file
 * that imports it and the `npm install` that fixes it.
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
  let result: Checked | { error: Message };
  try {
    result = checked(file);
  } catch (error) {
    const first = (error as Partial<BuildFailure>).errors?.[0];
    if (!first) throw error;
    result = { error: first };
  }
  if ('error' in result) {
    return `${file.shown} does not compile: ${located(result.error, file)}. Fix: correct it there (npx tsc --noEmit shows every error)`;
  }
  const missing = result.packages.find((p) => !installed(p));
  if (missing) return notInstalled(missing, file);
  if (result.exports.includes('handler')) return undefined;
  const found = result.exports.length
    ? `it exports ${result.exports.map((e) => `\`${e}\``).join(', ')}`
    : 'it exports nothing';
  const guess = closest('handler', result.exports);
  return `${file.shown} does not export \`handler\` (${found}). Fix: ${guess ? `rename \`${guess}\` to \`handler\`, or ` : ''}export the function Lambda calls as \`export const handler = async (event) => { ... }\``;
}

/** A package a file of the handler imports: `@aws-sdk/client-s3`, `left-pad`. */
interface PackageImport {
  /** The package's name, without a path inside it. */
  readonly name: string;
  /** Absolute path of the file that imports it. */
  readonly importer: string;
  /** The import as written, e.g. `left-pad/lib/pad`. */
  readonly specifier: string;
}

/** What the bundle says about a handler: its exports and the packages its files import. */
interface Checked {
  readonly exports: readonly string[];
  readonly packages: readonly PackageImport[];
}

/** Results by entry, valid while none of the files the bundle read has changed. */
const cache = new Map<string, Checked & { inputs: ReadonlyArray<[string, number]> }>();

function checked(file: HandlerFile): Checked {
  const key = file.source === undefined ? file.entry : `${file.entry}\0${file.source}`;
  const hit = cache.get(key);
  if (hit && hit.inputs.every(([f, mtime]) => mtimeOf(f) === mtime)) return hit;
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
  const packages = packageImports(result.metafile, dir, file.entry);
  cache.set(key, { inputs, exports, packages });
  return { exports, packages };
}

/** The packages the handler's files import (Node.js's own modules left out), in file order. */
function packageImports(metafile: Metafile, dir: string, entry: string): PackageImport[] {
  return Object.entries(metafile.inputs).flatMap(([input, { imports }]) =>
    imports
      .filter((i) => i.external && !isBuiltin(i.path) && !/^[./]/.test(i.path))
      .map((i) => ({
        name: packageName(i.path),
        importer: input === '<stdin>' ? entry : path.resolve(dir, input),
        specifier: i.path,
      })),
  );
}

/** `@scope/name/x` → `@scope/name`, `name/x` → `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return parts.slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
}

/** True when a `node_modules/<name>` folder lies beside the importer or above it, as Node.js looks. */
function installed(p: PackageImport): boolean {
  for (let dir = path.dirname(p.importer); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'node_modules', p.name, 'package.json'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/**
 * `<handler> imports "x" (at <file>:<line>), which is not installed. Fix: npm install x ...`: a
 * dependency that esbuild bundles, or for the AWS SDK v3, which the Lambda runtime provides and
 * the bundle leaves out, a dev dependency for the type-check and the tests.
 */
function notInstalled(p: PackageImport, file: HandlerFile): string {
  const where = `${file.shown} imports "${p.specifier}" (${importLocation(p, file)})`;
  if (p.name.startsWith('@aws-sdk/')) {
    return `${where}, which is not installed: the Lambda runtime provides the AWS SDK v3, so the bundle leaves @aws-sdk/* out, but the type-check and the tests load it. Fix: npm install --save-dev ${p.name} (a dev dependency; it stays external)`;
  }
  return `${where}, which is not installed, so the function cannot be bundled. Fix: npm install ${p.name} (a dependency: esbuild bundles it into the function), or remove the import`;
}

/** `line 3`, or `services/x/lib/util.ts:3` for another file of the handler: where the import is. */
function importLocation(p: PackageImport, file: HandlerFile): string {
  const inEntry = p.importer === file.entry;
  const text = inEntry && file.source !== undefined ? file.source : read(p.importer);
  const index = text
    .split('\n')
    .findIndex((l) => l.includes(`'${p.specifier}'`) || l.includes(`"${p.specifier}"`));
  const line = index < 0 ? '' : String(index + 1);
  if (inEntry) return line ? `line ${line}` : 'itself';
  const shown = path.posix.normalize(
    path.posix.join(
      path.posix.dirname(file.shown),
      toPosix(path.relative(path.dirname(file.entry), p.importer)),
    ),
  );
  return `in ${shown}${line ? `:${line}` : ''}`;
}

function read(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
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
