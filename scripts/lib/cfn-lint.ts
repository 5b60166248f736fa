import { spawnSync } from 'child_process';
import * as path from 'path';
import { assemblyTemplates } from '../../lib/assembly-files';
import { toolVersions } from '../../lib/tool-versions';

/** The pinned cfn-lint version (package.json `config.cfnLint`). */
export const CFN_LINT_VERSION = toolVersions().cfnLint;
/** How to install it. */
export const CFN_LINT_INSTALL = `pip install cfn-lint==${CFN_LINT_VERSION}`;

/** What `cfn-lint --version` says: the version, or why it cannot run. */
export function cfnLintVersion(): { version?: string; problem?: string } {
  const r = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    return {
      problem: `cfn-lint, AWS's CloudFormation template linter, is not installed: the templates cannot be checked against CloudFormation's rules. Fix: ${CFN_LINT_INSTALL}`,
    };
  }
  const version = /(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1];
  if (version !== CFN_LINT_VERSION) {
    return {
      version,
      problem: `cfn-lint ${version ?? '(unknown version)'} is installed, but the project pins ${CFN_LINT_VERSION}. Fix: ${CFN_LINT_INSTALL}`,
    };
  }
  return { version };
}

/** One problem cfn-lint reports. */
export interface LintMatch {
  readonly level: string;
  readonly rule: string;
  readonly file: string;
  readonly message: string;
}

/**
 * Every template of a cloud assembly, nested assemblies included, as its manifests list them:
 * the last synth's stacks, not what earlier synths left in the folder.
 */
export function templatesIn(assemblyDir: string): string[] {
  return assemblyTemplates(assemblyDir);
}

/** Runs cfn-lint on the templates and returns what it reports, errors and warnings alike. */
export function cfnLint(templates: readonly string[]): LintMatch[] {
  if (templates.length === 0) throw new Error('no templates to lint');
  const r = spawnSync('cfn-lint', ['--format', 'json', '--', ...templates], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  // cfn-lint exits non-zero whenever it reports anything; its JSON says what.
  const matches = JSON.parse(r.stdout || '[]') as {
    Level: string;
    Rule: { Id: string };
    Filename: string;
    Message: string;
  }[];
  return matches.map((m) => ({
    level: m.Level,
    rule: m.Rule.Id,
    file: path.basename(m.Filename),
    message: m.Message,
  }));
}

/** The errors among them, as lines a failing test can print. */
export function lintErrors(templates: readonly string[]): string[] {
  return cfnLint(templates)
    .filter((m) => m.level === 'Error')
    .map((m) => `${m.rule} ${m.file}: ${m.message}`);
}
