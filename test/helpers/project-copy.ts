import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyProject as copyProjectTo } from '../../scripts/lib/copy-project';
import { ROOT } from './project';

/**
 * A throw-away copy of the project, node_modules linked, for tests that change files: in a new
 * temporary folder, or in `dest`.
 */
export function copyProject(dest = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'))): string {
  return copyProjectTo(ROOT, dest);
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/**
 * Runs a command in `cwd` and resolves to its exit status and combined output; never rejects
 * (a command that cannot start resolves with status null). Asynchronous, so that a test file
 * can run several commands at once.
 */
export function run(
  cwd: string,
  command: string,
  args: string[],
  timeoutMs = 120_000,
): Promise<RunResult> {
  // As in a user's shell or a build: without the NODE_ENV=test that Jest sets for itself (the
  // CDK reports findings differently under it), and without the CDK CLI's version check.
  const env = { ...process.env };
  delete env.NODE_ENV;
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      timeout: timeoutMs,
      env: { ...env, CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => resolve({ status: null, output: String(error) }));
    child.on('close', (status) => resolve({ status, output: `${stdout}\n${stderr}` }));
  });
}

export function replaceInFile(file: string, search: string, replacement: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(search)) throw new Error(`${file} does not contain ${search}`);
  fs.writeFileSync(file, text.replace(search, replacement));
}
