/**
 * `npm run iam [-- <cdk.out>] [--config <folder>]`: checks the IAM policies of a synthesized app
 * against the AWS calls of its code (see `scripts/iam/check.ts`) and prints what it found, one
 * line per finding. Exit code 1 when anything is denied that must be allowed, allowed that must be
 * denied, or granted that nothing calls.
 */
import * as path from 'path';
import { loadApp } from '../../lib/config/load';
import { checkAssembly, formatFindings } from './check';

async function main(argv: readonly string[]): Promise<number> {
  const config = argv.indexOf('--config');
  const configRoot = config >= 0 ? argv[config + 1] : undefined;
  const positional = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--config');
  const outdir = path.resolve(positional[0] ?? 'cdk.out');
  const root = path.join(__dirname, '..', '..');
  const model = loadApp(root, configRoot ? { configRoot } : {});
  const result = await checkAssembly(model, outdir);
  const roles = result.expectations.length;
  if (result.findings.length > 0) {
    process.stdout.write(`${formatFindings(result.findings)}\n`);
    process.stdout.write(
      `IAM check: ${result.findings.length} finding(s) in ${roles} role(s), ${result.simulations} simulated requests\n`,
    );
    return 1;
  }
  process.stdout.write(
    `IAM check passed: ${roles} role(s), ${result.simulations} simulated requests, nothing missing or extra\n`,
  );
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
