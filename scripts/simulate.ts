/**
 * Simulates releases of a service with its real stage configuration through the release
 * judge's code, and prints how many were rolled back before 100%, after 100%, or completed.
 * The logic lives in scripts/simulate/; see `npm run -s simulate -- --help`.
 */
import path from 'node:path';
import { loadApp } from '../lib/config/load';
import { main } from './simulate/cli';

process.exitCode = main({
  argv: process.argv.slice(2),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  load: () => loadApp(path.resolve(__dirname, '..')),
});
