import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What a finished command gave. */
export interface CommandResult {
  /** Exit status; null when it was killed or could not start. */
  readonly status: number | null;
  readonly seconds: number;
  /** Peak resident memory of its largest process, in MB; undefined where it cannot be measured. */
  readonly peakMb?: number;
  /** CPU time (user and system) of all its processes, in seconds; undefined likewise. */
  readonly cpuSeconds?: number;
  /** The last lines of its output, for a failure message. */
  readonly tail: string;
  /** Its output, stdout and stderr as they came, the last 20,000 characters of it. */
  readonly output: string;
}

/**
 * The bench's temporary folder and the commands it runs. Everything the bench creates lives in
 * one folder under the system's temp folder, removed by `dispose()`, and on SIGINT, SIGTERM or
 * an exit without `dispose()` (the handlers also stop the commands still running).
 */
export class Workspace {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
  private readonly running = new Set<ChildProcess>();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.dispose();
    process.stderr.write(`\nbench: stopped by ${signal}; temporary files removed\n`);
    process.exit(128 + (os.constants.signals[signal] ?? 1));
  };
  private readonly onExit = () => this.dispose();
  /** GNU time, when installed, measures peak memory. */
  private readonly gnuTime =
    spawnSync('time', ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0;

  constructor() {
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
    process.on('exit', this.onExit);
  }

  /** A new empty folder inside the workspace. */
  folder(prefix: string): string {
    return fs.mkdtempSync(path.join(this.dir, `${prefix}-`));
  }

  /** Runs a command in `cwd` (each in a process group of its own, so it can be stopped whole). */
  run(cwd: string, command: string, args: readonly string[]): Promise<CommandResult> {
    const timeFile = path.join(this.dir, `time-${process.hrtime.bigint()}`);
    const [file, argv] = this.gnuTime
      ? ['time', ['-f', '%M %U %S', '-o', timeFile, command, ...args]]
      : [command, [...args]];
    const started = process.hrtime.bigint();
    return new Promise((resolve) => {
      const child = spawn(file, argv, {
        cwd,
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: '1' },
      });
      this.running.add(child);
      let output = '';
      const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      const done = (status: number | null) => {
        this.running.delete(child);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        // GNU time's last line: peak KB, user and system seconds.
        const [kb, user, system] = fs.existsSync(timeFile)
          ? (fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1) ?? '')
              .split(' ')
              .map(Number)
          : [];
        fs.rmSync(timeFile, { force: true });
        const measured = kb > 0 ? { peakMb: Math.round(kb / 1024), cpuSeconds: user + system } : {};
        const tail = output.trim().split('\n').slice(-6).join('\n');
        resolve({ status, seconds, ...measured, tail, output });
      };
      child.on('error', (error) => {
        output += String(error);
        done(null);
      });
      child.on('close', (status) => done(status));
    });
  }

  /** Stops the commands still running and removes the folder. Safe to call more than once. */
  dispose(): void {
    for (const child of this.running) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    this.running.clear();
    fs.rmSync(this.dir, { recursive: true, force: true, maxRetries: 5 });
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    process.off('exit', this.onExit);
  }
}
