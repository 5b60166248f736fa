/**
 * What the pipeline's Build step runs, in a module without CDK imports so the plan can show it:
 * install the pinned cfn-lint and the locked packages; then the tests, a synth of every stack
 * behind the compliance gate, and AWS's template linter on what was synthesized.
 */
export interface BuildCommands {
  readonly install: readonly string[];
  readonly build: readonly string[];
}

/** The command that synthesizes every stack and fails on any finding of the gate. */
export const SYNTH_COMMAND = "npx cdk synth '**'";

export function buildCommands(cfnLintVersion: string): BuildCommands {
  return {
    install: [`pip install cfn-lint==${cfnLintVersion}`, 'npm ci'],
    build: ['npm test', SYNTH_COMMAND, 'npm run lint:templates'],
  };
}
