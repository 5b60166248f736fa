import { createInterface } from 'node:readline/promises';
import { OpsError, type CommandDeps } from './types';

/** True when `--yes` was given or the operator answers yes. */
export async function confirmed(deps: CommandDeps, question: string): Promise<boolean> {
  if (deps.yes) return true;
  return deps.confirm(`${question} [y/N] `);
}

/** Asks on the terminal; refuses when there is no terminal to ask on. */
export async function askOnTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) {
    throw new OpsError('this command asks for confirmation: run it in a terminal, or pass --yes');
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}
