/**
 * Prints the delivery plan read from the app's configuration, and writes or checks
 * docs/pipeline.md. The logic lives in lib/plan/; see `npm run plan -- --help`.
 */
import path from 'node:path';
import { main } from '../lib/plan/cli';

process.exitCode = main({
  argv: process.argv.slice(2),
  root: path.resolve(__dirname, '..'),
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
});
