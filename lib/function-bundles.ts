import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync } from 'esbuild';
import type { AppModel } from './config/model';

/** The hook handler shared by every pre- and post-traffic hook. */
export const TRAFFIC_HOOK_ENTRY = path.join(__dirname, '..', 'runtime', 'hooks', 'traffic-hook.ts');
const HOOK_KEY = 'traffic-hook';

/** The code of every function in the app. */
export interface FunctionCode {
  /** A fresh `Code` for one service's function (a `Code` binds to one stack). */
  service(name: string): Code;
  /** A fresh `Code` for a traffic hook. */
  hook(): Code;
}

/**
 * Bundles every service handler and the traffic hook in ONE esbuild run, before any construct
 * is built, and hands out `Code` for the bundles. Each service is bundled once whatever the
 * number of stages, and a single run of esbuild over many entry points costs about what one
 * entry point does. Bundles are CommonJS for Node.js 24, minified, with source maps; the AWS
 * SDK v3 is left to the Lambda runtime.
 */
export class FunctionBundles implements FunctionCode {
  /** Bundles the services of `model` (and the hook) into `outdir` (default: a new temp dir). */
  static build(model: AppModel, outdir?: string): FunctionBundles {
    const dir = outdir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'function-bundles-'));
    const entries = new Map<string, string>([[HOOK_KEY, TRAFFIC_HOOK_ENTRY]]);
    for (const stage of model.stages) {
      for (const service of stage.services) entries.set(service.name, service.entry);
    }
    buildSync({
      entryPoints: Object.fromEntries([...entries].map(([key, entry]) => [`${key}/index`, entry])),
      outdir: dir,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'cjs',
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      external: ['@aws-sdk/*'],
      logLevel: 'warning',
      absWorkingDir: path.join(__dirname, '..'),
    });
    return new FunctionBundles(dir, new Set(entries.keys()));
  }

  private constructor(
    /** Where the bundles are, one folder per key. */
    readonly dir: string,
    private readonly keys: ReadonlySet<string>,
  ) {}

  service(name: string): Code {
    return this.code(name);
  }

  hook(): Code {
    return this.code(HOOK_KEY);
  }

  private code(key: string): Code {
    if (!this.keys.has(key)) {
      throw new Error(
        `no bundle for "${key}": it was not in the model given to FunctionBundles.build`,
      );
    }
    return Code.fromAsset(path.join(this.dir, key));
  }
}
