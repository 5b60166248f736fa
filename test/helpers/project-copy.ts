import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ROOT } from './synth';

/**
 * A throw-away copy of the project's tracked files (plus any untracked ones not ignored), with
 * node_modules linked, for tests that must change files or run the CLI as a user would.
 */
export function copyProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'project-'));
  const files = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
    .split('\0')
    .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file));
  }
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return dir;
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
