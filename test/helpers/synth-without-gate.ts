/**
 * `node -r ts-node/register/transpile-only test/helpers/synth-without-gate.ts <outdir>`:
 * synthesizes the project this file belongs to (its own copy, wherever it is) into `outdir`,
 * without the compliance gate. Tests that compare what two copies of the project synthesize
 * run it in each copy.
 */
import { synthApp } from './synth';

const outdir = process.argv[2];
if (!outdir) throw new Error('usage: synth-without-gate.ts <outdir>');
synthApp(undefined, { outdir });
