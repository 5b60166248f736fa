/**
 * `npm run iam [-- <cdk.out>] [--config <folder>]`: checks the IAM policies of a synthesized app
 * against the AWS calls of its code (see `scripts/iam/check.ts`) and prints what it found, one
 * line per finding. Exit code 1 when anything is denied that must be allowed, allowed that must be
 * denied, or granted that nothing calls; exit code 2, with one line naming the bad value and the
 * fix, when it cannot run (an unknown option, no synthesized app in the folder).
 */
import * as fs from 'fs';
import * as path from 'path';
import { loadApp } from '../../lib/config/load';
import { checkAssembly, formatFindings } from './check';

const USAGE = 'Usage: npm run iam [-- <cdk.out>] [--config <folder>]';

/** A folder as the messages show it: relative to where the command runs. */
function shown(dir: string, cwd = process.cwd()): string {
  return path.relative(cwd, dir) || dir;
}

/** What the command line asks for, or a one-line refusal naming the bad value and the fix. */
export function parseIamArgs(
  argv: readonly string[],
  cwd = process.cwd(),
): { outdir: string; configRoot?: string } {
  let configRoot: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--config') {
      configRoot = argv[++i];
      if (!configRoot || configRoot.startsWith('--')) {
        throw new Error(
          `--config needs a folder, e.g. --config examples/three-region-prod. ${USAGE}`,
        );
      }
    } else if (arg.startsWith('--')) {
      throw new Error(`unknown option ${arg}. ${USAGE}`);
    } else {
      positional.push(arg);
    }
  }
  if (positional.length > 1) {
    throw new Error(`one assembly folder at most, got ${positional.join(', ')}. ${USAGE}`);
  }
  const outdir = path.resolve(cwd, positional[0] ?? 'cdk.out');
  if (!fs.existsSync(path.join(outdir, 'manifest.json'))) {
    throw new Error(
      `${shown(outdir, cwd)} holds no synthesized app (no manifest.json). Fix: run npx cdk synth${configRoot ? ` -c config=${configRoot}` : ''} first, or name the folder that holds it: npm run iam -- <cdk.out>`,
    );
  }
  return { outdir, ...(configRoot && { configRoot }) };
}

async function main(argv: readonly string[]): Promise<number> {
  const { outdir, configRoot } = parseIamArgs(argv);
  const root = path.join(__dirname, '..', '..');
  const model = loadApp(root, configRoot ? { configRoot } : {});
  process.stdout.write(`IAM check of ${shown(outdir)}: simulating every role's calls…\n`);
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
    `IAM check passed: ${roles} role(s), ${result.simulations} simulated requests, nothing missing or extra; ${result.cdkPipelinesRoles.length} role(s) CDK Pipelines makes for its own actions are left to it\n`,
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
