import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import { SIGNED_REQUEST, type AwsCall } from '../../runtime/aws-calls';

/**
 * What the project's own code can call on AWS: the modules a handler imports (its bundle) and
 * the calls each declares (`AWS_CALLS`, see `runtime/aws-calls.ts`), read from the sources.
 */

/** What one module's source shows about its AWS calls. */
export interface ModuleFacts {
  /** Absolute path. */
  readonly file: string;
  /** The project modules it imports, absolute paths (values and types alike). */
  readonly imports: readonly string[];
  /** The `*Command` classes it imports as values from `@aws-sdk/client-*`, with the package. */
  readonly commands: readonly { readonly command: string; readonly client: string }[];
  /** Whether it signs requests itself (imports `SignatureV4`). */
  readonly signs: boolean;
}

/** Reads a module's imports. */
export function moduleFacts(file: string): ModuleFacts {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const imports: string[] = [];
  const commands: { command: string; client: string }[] = [];
  let signs = false;
  for (const statement of source.statements) {
    const from =
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
        ? statement.moduleSpecifier.text
        : undefined;
    if (from === undefined) continue;
    if (from.startsWith('.')) {
      const resolved = resolveModule(path.dirname(file), from);
      if (resolved) imports.push(resolved);
      continue;
    }
    if (!ts.isImportDeclaration(statement)) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const named =
      clause.namedBindings && ts.isNamedImports(clause.namedBindings)
        ? clause.namedBindings.elements.filter((e) => !e.isTypeOnly)
        : [];
    const names = named.map((e) => (e.propertyName ?? e.name).text);
    if (/^@aws-sdk\/client-/.test(from)) {
      for (const name of names) {
        if (name.endsWith('Command')) commands.push({ command: name, client: from });
      }
    }
    if (from === '@smithy/signature-v4' && names.includes('SignatureV4')) signs = true;
  }
  return { file, imports, commands, signs };
}

function resolveModule(dir: string, specifier: string): string | undefined {
  const base = path.resolve(dir, specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** The calls a module declares (`export const AWS_CALLS`), `[]` when it declares none. */
export function declaredCalls(file: string): readonly AwsCall[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = (require(file) as { AWS_CALLS?: readonly AwsCall[] }).AWS_CALLS;
  return exported ?? [];
}

/** One call, with the module that makes it. */
export interface ModuleCall extends AwsCall {
  /** The module, relative to the project root with `/`. */
  readonly module: string;
}

/**
 * Every call a handler's bundle can make: the calls declared by `entry` and every project
 * module it imports, transitively, except through `skip` (modules this deployment never runs,
 * with the reason kept by the caller).
 */
export function callsOf(root: string, entry: string, skip: readonly string[] = []): ModuleCall[] {
  const skipped = new Set(skip.map((s) => path.resolve(root, s)));
  const seen = new Set<string>();
  const calls: ModuleCall[] = [];
  const visit = (file: string) => {
    if (seen.has(file) || skipped.has(file)) return;
    seen.add(file);
    const module = path.relative(root, file).split(path.sep).join('/');
    for (const call of declaredCalls(file)) calls.push({ ...call, module });
    for (const next of moduleFacts(file).imports) visit(next);
  };
  visit(path.resolve(root, entry));
  return calls;
}

/** IAM's service prefix of each AWS SDK v3 client the project uses. */
export const CLIENT_PREFIXES: Readonly<Record<string, string>> = {
  '@aws-sdk/client-cloudformation': 'cloudformation',
  '@aws-sdk/client-cloudwatch': 'cloudwatch',
  '@aws-sdk/client-codedeploy': 'codedeploy',
  '@aws-sdk/client-codepipeline': 'codepipeline',
  '@aws-sdk/client-lambda': 'lambda',
  '@aws-sdk/client-sts': 'sts',
};

/** Commands whose IAM action is not named after the API operation. */
export const RENAMED_ACTIONS: Readonly<Record<string, string>> = {
  'lambda:Invoke': 'lambda:InvokeFunction',
};

/** The IAM action an SDK command is authorized as, e.g. `lambda:InvokeFunction`. */
export function actionOfCommand(command: string, client: string): string | undefined {
  const prefix = CLIENT_PREFIXES[client];
  if (!prefix) return undefined;
  const action = `${prefix}:${command.replace(/Command$/, '')}`;
  return RENAMED_ACTIONS[action] ?? action;
}

/**
 * Where a module's declared calls and its imports disagree: a command it sends but does not
 * declare, a declared call it does not make, or a declared action that is not the command's.
 */
export function declarationProblems(facts: ModuleFacts, calls: readonly AwsCall[]): string[] {
  const problems: string[] = [];
  const declared = new Map(calls.map((c) => [c.command, c]));
  for (const { command, client } of facts.commands) {
    const call = declared.get(command);
    const action = actionOfCommand(command, client);
    if (!call) {
      problems.push(
        `sends ${command} (${client}) but its AWS_CALLS does not declare it. Fix: add { command: '${command}', action: '${action ?? '<service>:<Action>'}', on: ... } to AWS_CALLS`,
      );
    } else if (action !== undefined && call.action !== action) {
      problems.push(`declares ${command} as ${call.action}, but IAM authorizes it as ${action}`);
    }
  }
  const imported = new Set(facts.commands.map((c) => c.command));
  if (facts.signs) imported.add(SIGNED_REQUEST);
  for (const call of calls) {
    if (!imported.has(call.command)) {
      problems.push(
        `declares ${call.command} (${call.action}) in AWS_CALLS but does not make it. Fix: remove it`,
      );
    }
  }
  if (facts.signs && !declared.has(SIGNED_REQUEST)) {
    problems.push(
      `signs requests with SignatureV4 but its AWS_CALLS declares no '${SIGNED_REQUEST}' call`,
    );
  }
  return problems;
}
