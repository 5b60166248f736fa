import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { copyProject as copyProjectTo } from '../../scripts/lib/copy-project';
import { ROOT } from './synth';

/** A throw-away copy of the project, node_modules linked, for tests that change files. */
export function copyProject(): string {
  return copyProjectTo(ROOT, fs.mkdtempSync(path.join(os.tmpdir(), 'project-')));
}

export interface RunResult {
  readonly status: number | null;
  readonly output: string;
}

/** Runs a command in `cwd` and returns its exit status and combined output. */
export function run(cwd: string, command: string, args: string[], timeoutMs = 120_000): RunResult {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NODE_ENV: 'production', CDK_DISABLE_VERSION_CHECK: '1', CI: 'true' },
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

export function replaceInFile(file: string, search: string, replacement: string): void {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(search)) throw new Error(`${file} does not contain ${search}`);
  fs.writeFileSync(file, text.replace(search, replacement));
}
