import * as fs from 'fs';
import { DEFAULT_APP } from '../helpers/default-app';
import type { SetupGlobals } from './global-setup';

/** Stops the default app's synth if it is still running (no test needed it), removes its folder. */
export default function globalTeardown(): void {
  (globalThis as SetupGlobals).defaultAppSynth?.kill();
  const dir = process.env[DEFAULT_APP.dir];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
