/**
 * `node -r ts-node/register/transpile-only scripts/bench/structure-synth.ts <outdir> [--baseline]`
 *
 * Synthesizes the project this file belongs to (a bench fixture) into `outdir` for the shape of
 * what it deploys: stacks, pipeline stages and the AWS limits. Fast, because it leaves out what
 * does not change that shape: no compliance gate and no CloudFormation validation (they check
 * templates, they do not change them), and stand-in code instead of the esbuild bundles: every
 * function still gets an asset of its own (same template and asset structure), of a few bytes.
 * With `--baseline`, the naive baseline's app (see baseline-app.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildApp } from '../../lib/build-app';
import { loadApp } from '../../lib/config/load';
import type { FunctionCode } from '../../lib/service/function-bundles';
import { cdkJsonContext } from '../../test/helpers/project';
import { withoutStageConditions } from './baseline';

/** Stand-in code: a tiny file of its own per function, so each gets its own asset. */
export function standInCode(dir: string): FunctionCode {
  const code = (key: string): Code => {
    const folder = path.join(dir, key);
    if (!fs.existsSync(folder)) {
      fs.mkdirSync(folder, { recursive: true });
      fs.writeFileSync(
        path.join(folder, 'index.js'),
        `exports.handler = async () => ({}); // ${key}\n`,
      );
    }
    return Code.fromAsset(folder);
  };
  return {
    service: (name) => code(name),
    hook: (service) => code(`_hook-${service}`),
    judge: (stage) => code(`_judge-${stage}`),
    gate: () => code('_health-gate'),
  };
}

/** Synthesizes the app at `root` into `outdir` as described above. */
export function structureSynth(root: string, outdir: string, baseline: boolean): void {
  if (baseline) withoutStageConditions();
  const model = loadApp(root, { enforceLimits: !baseline });
  const { app } = buildApp(model, {
    appProps: {
      outdir,
      // Validation reads the templates; it does not change them.
      builtinCloudFormationValidation: false,
      context: {
        ...cdkJsonContext(),
        // As the CDK CLI sets it unless --debug: no stack traces in construct metadata.
        'aws:cdk:disable-stack-trace': true,
      },
    },
    compliance: false,
    code: standInCode(path.join(outdir, 'stand-in-code')),
  });
  app.synth();
}

if (require.main === module) {
  const [outdir, flag] = process.argv.slice(2);
  if (!outdir || (flag !== undefined && flag !== '--baseline')) {
    throw new Error('usage: structure-synth.ts <outdir> [--baseline]');
  }
  structureSynth(path.join(__dirname, '..', '..'), path.resolve(outdir), flag === '--baseline');
}
