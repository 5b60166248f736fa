import * as fs from 'fs';
import { DEFAULT_APP } from '../helpers/default-app';
import { RUN_TMPDIR, type SetupGlobals } from './global-setup';

/**
 * Stops the default app's synth if it is still running (no test needed it), and removes every
 * temporary folder of the run.
 */
export default function globalTeardown(): void {
  (globalThis as SetupGlobals).defaultAppSynth?.kill();
  for (const dir of [process.env[DEFAULT_APP.dir], process.env[RUN_TMPDIR]]) {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}
