import { spawn, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DEFAULT_APP } from '../helpers/default-app';
import { ROOT } from '../helpers/project';

/** The variable naming the folder that holds every temporary folder of the run. */
export const RUN_TMPDIR = 'LAMBDA_CANARY_TEST_TMPDIR';

/** Shared with global-teardown.ts, which runs in the same process. */
export interface SetupGlobals {
  defaultAppSynth?: ChildProcess;
}

/**
 * One V8 background thread (compilation and GC helpers) per node process of the run: the
 * workers, the synths and the CLIs the tests start. They are CPU-bound and outnumber the cores,
 * so more helper threads only add CPU time: measured on two cores, a synth takes a fifth less
 * CPU time at the same wall time, and the whole run a sixth less of both.
 */
const NODE_OPTIONS = '--v8-pool-size=1';

/**
 * Starts synthesizing the project's app once for the whole run (synth-default-app.ts) in a
 * child process and returns at once: the first test files run meanwhile, and the tests of the
 * app wait for its assembly (`defaultApp()`). The workers inherit the variables.
 */
export default function globalSetup(): void {
  // Every temporary folder of the run (copies of the project, assemblies) goes in one folder
  // that the teardown removes: the workers and the commands they start inherit TMPDIR.
  const runTmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lambda-canary-tests-'));
  process.env[RUN_TMPDIR] = runTmp;
  process.env.TMPDIR = runTmp;
  // The AWS SDK warns on Node.js 20 that versions published after January 2027 need Node.js 22;
  // the lock file pins the versions the tests use, so the notice cannot matter here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const options = process.env.NODE_OPTIONS ?? '';
  if (!options.includes('--v8-pool-size')) {
    process.env.NODE_OPTIONS = `${options} ${NODE_OPTIONS}`.trim();
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'default-app-'));
  const log = fs.openSync(path.join(dir, 'synth.log'), 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('ts-node/register/transpile-only'),
      path.join(__dirname, 'synth-default-app.ts'),
      dir,
    ],
    { cwd: ROOT, stdio: ['ignore', log, log] },
  );
  fs.closeSync(log);
  (globalThis as SetupGlobals).defaultAppSynth = child;
  process.env[DEFAULT_APP.dir] = dir;
  process.env[DEFAULT_APP.pid] = String(child.pid);
}
