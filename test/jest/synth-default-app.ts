import * as fs from 'fs';
import * as path from 'path';
import { synthApp } from '../helpers/synth';

/**
 * Run by the globalSetup in a child process, so that it overlaps the first test files:
 * synthesizes the project's app with the compliance gate, as `cdk synth` does, into
 * `<dir>/cdk.out`, and on exit, however it exits, writes `<dir>/status.json` ({ error } unless
 * synth returned). A finding of the gate throws after the assembly is written, so the assembly
 * is still there to read.
 */
const dir = process.argv[2];
let status: { error?: string } | undefined;
process.on('exit', (code) => {
  const file = path.join(dir, 'status.json');
  const result = status ?? { error: `exited with code ${code} before synth returned` };
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(result));
  fs.renameSync(`${file}.tmp`, file);
});
try {
  synthApp(undefined, { gate: true, outdir: path.join(dir, 'cdk.out') });
  status = {};
} catch (e) {
  status = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
}
