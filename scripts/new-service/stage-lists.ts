import * as path from 'node:path';
import * as ts from 'typescript';
import type { Placement } from '../../lib/config/grouping';

/**
 * Finds the `services: [...]` list of every stage entry that `stages/index.ts` exports, by
 * reading the source (not by running it), and adds a service name to those lists as text, so
 * the files keep their comments and stay Prettier-clean.
 */

/** A problem with the stage files that stops the command before it writes anything. */
export class StageFileError extends Error {}

/** One stage entry's services list, as found in its file. */
export interface ServicesList {
  /** Path relative to the project root, with `/` separators, e.g. `stages/prod.ts`. */
  readonly file: string;
  /** The entry's `name`, or the file name when the name is not a string literal. */
  readonly stage: string;
  /** The service names the list holds, in order (entries as strings or `{ name, ... }`). */
  readonly names: readonly string[];
  /** The same entries with the shared stack each names, if any. */
  readonly placements: readonly Placement[];
  readonly array: ts.ArrayLiteralExpression;
  readonly source: ts.SourceFile;
}

/** Reads a file's text; the caller's file system, so tests can swap it. */
export type ReadFile = (absolutePath: string) => string;

const INDEX = 'stages/index.ts';

/** Every stage entry listed in `stages/index.ts`'s `stages` array, in pipeline order. */
export function findServicesLists(root: string, readFile: ReadFile): ServicesList[] {
  const files = new Map<string, ts.SourceFile>();
  const parse = (file: string): ts.SourceFile => {
    let source = files.get(file);
    if (!source) {
      let text: string;
      try {
        text = readFile(path.join(root, file));
      } catch {
        throw new StageFileError(
          `${file} cannot be read. Fix: run the command in the project root, or pass --root <project dir>`,
        );
      }
      source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
      files.set(file, source);
    }
    return source;
  };

  const index = parse(INDEX);
  const stages = unwrap(findVariable(index, 'stages')?.initializer);
  if (!stages || !ts.isArrayLiteralExpression(stages)) {
    throw new StageFileError(
      `${INDEX} does not export \`stages\` as an array. Fix: export const stages = [dev, prod];`,
    );
  }
  const lists: ServicesList[] = [];
  for (const element of flatten(stages)) {
    const { object, source } = stageObject(element, index, parse);
    const list = servicesList(object, source);
    if (!lists.some((l) => l.array === list.array)) lists.push(list);
  }
  return lists;
}

/** Nested arrays (groups of stages) count element by element. */
function flatten(array: ts.ArrayLiteralExpression): ts.Expression[] {
  return array.elements.flatMap((e) => {
    const inner = unwrap(e);
    return inner && ts.isArrayLiteralExpression(inner) ? flatten(inner) : [e];
  });
}

/** Follows an expression in `stages` to the object literal of its entry, across imports. */
function stageObject(
  expression: ts.Expression,
  source: ts.SourceFile,
  parse: (file: string) => ts.SourceFile,
  seen = 0,
): { object: ts.ObjectLiteralExpression; source: ts.SourceFile } {
  const e = unwrap(expression);
  if (e && seen < 10) {
    if (ts.isObjectLiteralExpression(e)) return { object: e, source };
    if (ts.isCallExpression(e) && e.arguments.length > 0) {
      return stageObject(e.arguments[0], source, parse, seen + 1);
    }
    if (ts.isIdentifier(e)) {
      const local = findVariable(source, e.text)?.initializer;
      if (local) return stageObject(local, source, parse, seen + 1);
      const imported = findImport(source, e.text);
      if (imported) {
        const target = parse(resolveModule(source.fileName, imported.module, parse));
        const init = findVariable(target, imported.name)?.initializer;
        if (init) return stageObject(init, target, parse, seen + 1);
      }
    }
  }
  throw new StageFileError(
    `${source.fileName}: cannot follow the stage entry \`${expression.getText(source)}\` to its defineStage({ ... }). Fix: write each stage as export const <stage> = defineStage({ ... }) and import it into ${INDEX}`,
  );
}

function servicesList(object: ts.ObjectLiteralExpression, source: ts.SourceFile): ServicesList {
  const nameProp = property(object, 'name');
  const stage =
    nameProp && ts.isStringLiteralLike(nameProp) ? nameProp.text : path.basename(source.fileName);
  const array = property(object, 'services');
  if (!array || !ts.isArrayLiteralExpression(array)) {
    throw new StageFileError(
      `${source.fileName}: stage "${stage}" has no services list written as an array. Fix: write services: ['my-service', ...] in the stage entry`,
    );
  }
  const placements = array.elements.flatMap((element): Placement[] => {
    const e = unwrap(element);
    if (e && ts.isStringLiteralLike(e)) return [{ name: e.text }];
    if (!e || !ts.isObjectLiteralExpression(e)) return [];
    const name = property(e, 'name');
    const stack = property(e, 'stack');
    if (!name || !ts.isStringLiteralLike(name)) return [];
    return [
      stack && ts.isStringLiteralLike(stack)
        ? { name: name.text, stack: stack.text }
        : { name: name.text },
    ];
  });
  const names = placements.map((p) => p.name);
  return { file: source.fileName, stage, names, placements, array, source };
}

/** A replacement of `text.slice(start, end)` by `insert`. */
export interface Splice {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
}

/**
 * The edit that appends `name` to the list, as `'name'`, or as `{ name: 'name', stack: 'group-N' }`
 * when `stack` places it in a shared stack. A list on one line stays on one line while it fits
 * in `printWidth`, and otherwise gets one entry per line, as Prettier prints it; a list already
 * on several lines (or holding comments) gets the new entry after its last one.
 */
export function appendToList(
  list: ServicesList,
  name: string,
  printWidth: number,
  stack?: string,
): Splice {
  const { array, source } = list;
  const text = source.text;
  const elements = array.elements;
  const first = elements.find((e) => ts.isStringLiteral(e));
  const quote = first ? text[first.getStart(source)] : "'";
  const q = (s: string) => `${quote}${s}${quote}`;
  const item = stack === undefined ? q(name) : `{ name: ${q(name)}, stack: ${q(stack)} }`;
  const start = array.getStart(source);
  const end = array.end;
  if (elements.length === 0) return { start, end, insert: `[${item}]` };

  const last = elements[elements.length - 1];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  if (lineOf(start) !== lineOf(end) || hasComments(text.slice(start, end))) {
    if (lineOf(last.getStart(source)) === lineOf(start)) {
      return { start: last.end, end: last.end, insert: `, ${item}` };
    }
    // After the last entry, its comma and any comment that ends its line.
    const comma = elements.hasTrailingComma ? text.indexOf(',', last.end) + 1 : last.end;
    const rest = /^[ \t]*(\/\/[^\n]*)?(?=\n)/.exec(text.slice(comma));
    const at = comma + (rest ? rest[0].length : 0);
    const indent = /^[ \t]*/.exec(text.slice(lineStart(text, last.getStart(source))))![0];
    const insert = `${elements.hasTrailingComma ? '' : ','}\n${indent}${item},`;
    return { start: at, end: at, insert };
  }

  const items = [...elements.map((e) => e.getText(source)), item];
  const before = text.slice(lineStart(text, start), start);
  const lineEnd = text.indexOf('\n', end);
  const after = text.slice(end, lineEnd === -1 ? text.length : lineEnd);
  const oneLine = `[${items.join(', ')}]`;
  if (before.length + oneLine.length + after.length <= printWidth) {
    return { start, end, insert: oneLine };
  }
  const indent = /^[ \t]*/.exec(before)![0];
  return {
    start,
    end,
    insert: `[\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}]`,
  };
}

/** `text` with the splices applied (they must not overlap). */
export function applySplices(text: string, splices: readonly Splice[]): string {
  return [...splices]
    .sort((a, b) => b.start - a.start)
    .reduce((t, s) => t.slice(0, s.start) + s.insert + t.slice(s.end), text);
}

function hasComments(text: string): boolean {
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    ts.LanguageVariant.Standard,
    text,
  );
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    if (t === ts.SyntaxKind.SingleLineCommentTrivia || t === ts.SyntaxKind.MultiLineCommentTrivia) {
      return true;
    }
  }
  return false;
}

function lineStart(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function unwrap(e: ts.Expression | undefined): ts.Expression | undefined {
  while (
    e &&
    (ts.isAsExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isParenthesizedExpression(e) ||
      ts.isTypeAssertionExpression(e))
  ) {
    e = e.expression;
  }
  return e;
}

function property(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) {
      if (p.name.text === name) return unwrap(p.initializer);
    }
  }
  return undefined;
}

function findVariable(source: ts.SourceFile, name: string): ts.VariableDeclaration | undefined {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === name) return d;
    }
  }
  return undefined;
}

/** `import { a as b } from './x'` gives, for `b`, module `./x` and exported name `a`. */
function findImport(
  source: ts.SourceFile,
  local: string,
): { module: string; name: string } | undefined {
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) {
      continue;
    }
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    for (const s of bindings.elements) {
      if (s.name.text === local) {
        return {
          module: statement.moduleSpecifier.text,
          name: (s.propertyName ?? s.name).text,
        };
      }
    }
  }
  return undefined;
}

/** A relative import of a stage file, as a project-relative path (`./prod` → `stages/prod.ts`). */
function resolveModule(
  from: string,
  specifier: string,
  parse: (file: string) => ts.SourceFile,
): string {
  if (!specifier.startsWith('.')) {
    throw new StageFileError(
      `${from} imports a stage entry from "${specifier}", outside the project. Fix: keep stage entries in stages/`,
    );
  }
  const base = path.posix.join(path.posix.dirname(from), specifier).replace(/\.(ts|js)$/, '');
  for (const candidate of [`${base}.ts`, `${base}/index.ts`]) {
    try {
      parse(candidate);
      return candidate;
    } catch (error) {
      if (!(error instanceof StageFileError)) throw error;
    }
  }
  throw new StageFileError(
    `${from} imports "${specifier}", but neither ${base}.ts nor ${base}/index.ts exists. Fix: correct the import`,
  );
}
