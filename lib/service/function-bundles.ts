import * as fs from 'fs';
import * as path from 'path';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { buildSync, formatMessagesSync, type BuildFailure } from 'esbuild';
import { CHECKS_FILE } from '../../runtime/hooks/checks-file';
import { JUDGE_FILE, type JudgeFile } from '../../runtime/judge/judge-config';
import { ConfigError } from '../config/config-error';
import { packageName } from '../config/handler-check';
import type { AppModel } from '../config/model';
import { judgedService } from './judge-policy';

/** The project's root: bundles name their sources relative to it. */
const ROOT = path.join(__dirname, '..', '..');

/** The hook handler shared by every pre- and post-traffic hook. */
export const TRAFFIC_HOOK_ENTRY = path.join(ROOT, 'runtime', 'hooks', 'traffic-hook.ts');
/** The scheduled release judge, one per stage and environment. */
export const RELEASE_JUDGE_ENTRY = path.join(ROOT, 'runtime', 'judge', 'scheduled-judge.ts');
/** The bake action of the pipeline's waves. */
export const HEALTH_GATE_ENTRY = path.join(ROOT, 'runtime', 'gates', 'health-gate.ts');
/** Where the bundles go inside the app's output folder (a folder the synth owns). */
export const BUNDLES_DIR = 'bundles';
// Service names start with a lower-case letter: no service folder is ever one of these.
const HOOK_KEY = '_traffic-hook';
const JUDGE_KEY = '_release-judge';
const GATE_KEY = '_health-gate';

/** The code of every function in the app. */
export interface FunctionCode {
  /** A fresh `Code` for one service's function (a `Code` binds to one stack). */
  service(name: string): Code;
  /** A fresh `Code` for the traffic hooks of one service: the hook handler and its checks. */
  hook(service: string): Code;
  /** A fresh `Code` for a stage's release judge: the judge and its stage's services. */
  judge(stage: string): Code;
  /** A fresh `Code` for the pipeline's bake action. */
  gate(): Code;
}

/**
 * Bundles every service handler and the traffic hook in ONE esbuild run, before any construct
 * is built, and hands out `Code` for the bundles. Each service is bundled once whatever the
 * number of stages, and a single run of esbuild over many entry points costs about what one
 * entry point does. Bundles are CommonJS for Node.js 24, minified, with source maps; the AWS
 * SDK v3 is left to the Lambda runtime.
 *
 * The bundles are deterministic: the same sources give the same bytes wherever the project is
 * checked out (CodeBuild's checkout path changes every build). Source maps name their sources
 * relative to the project root, and nothing else in a bundle holds a path. So an unchanged
 * service keeps its asset hash and its Lambda version, and a push publishes only what changed.
 *
 * Each service's hooks get a folder of their own, `_hook-<service>/`: the shared hook handler
 * and the service's checks as `checks.json`. A change to one service's checks changes only its
 * hooks; a change to the hook runtime changes every hook and no service. Each stage's release
 * judge gets `_judge-<stage>/`: the judge and its stage's services as `judge.json`.
 */
export class FunctionBundles implements FunctionCode {
  /**
   * Bundles the services of `model` (and the hook) into `<outdir>/bundles`, replacing what an
   * earlier synth left there.
   */
  static build(model: AppModel, outdir: string): FunctionBundles {
    const dir = path.join(outdir, BUNDLES_DIR);
    fs.rmSync(dir, { recursive: true, force: true });
    const entries = new Map<string, string>([
      [HOOK_KEY, TRAFFIC_HOOK_ENTRY],
      [JUDGE_KEY, RELEASE_JUDGE_ENTRY],
      [GATE_KEY, HEALTH_GATE_ENTRY],
    ]);
    const checks = new Map<string, unknown>();
    for (const stage of model.stages) {
      for (const service of stage.services) {
        entries.set(service.name, service.entry);
        checks.set(service.name, service.checks);
      }
    }
    bundleOrExplain({
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
      absWorkingDir: ROOT,
      // node_modules may be a link to a shared install: keep the paths the project sees.
      preserveSymlinks: true,
    });
    for (const key of entries.keys()) relativeSourceMap(path.join(dir, key, 'index.js.map'));
    // One hook folder per service: the same handler beside that service's checks.
    for (const [service, serviceChecks] of checks) {
      copyWith(dir, HOOK_KEY, hookKey(service), CHECKS_FILE, serviceChecks);
    }
    // One judge folder per stage: the same judge beside that stage's services.
    for (const stage of model.stages) {
      const file: JudgeFile = {
        services: stage.services.map((s) => judgedService(stage.prefix, s)),
      };
      copyWith(dir, JUDGE_KEY, judgeKey(stage.name), JUDGE_FILE, file);
    }
    return new FunctionBundles(
      dir,
      new Set([
        ...entries.keys(),
        ...[...checks.keys()].map(hookKey),
        ...model.stages.map((s) => judgeKey(s.name)),
      ]),
    );
  }

  private constructor(
    /** Where the bundles are, one folder per key. */
    readonly dir: string,
    private readonly keys: ReadonlySet<string>,
  ) {}

  service(name: string): Code {
    return this.code(name);
  }

  hook(service: string): Code {
    return this.code(hookKey(service));
  }

  judge(stage: string): Code {
    return this.code(judgeKey(stage));
  }

  gate(): Code {
    return this.code(GATE_KEY);
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

/**
 * Runs esbuild; a build that fails (validation checks each handler first, so this is what it
 * cannot see, such as an installed package that does not load) becomes one line naming the file
 * and the problem, not esbuild's log and stack trace.
 */
function bundleOrExplain(options: Parameters<typeof buildSync>[0]): void {
  try {
    const { warnings } = buildSync({ ...options, logLevel: 'silent' });
    // What logLevel 'warning' printed, without esbuild's report of a failure.
    if (warnings.length > 0) {
      process.stderr.write(formatMessagesSync(warnings, { kind: 'warning' }).join(''));
    }
  } catch (error) {
    const first = (error as Partial<BuildFailure>).errors?.[0];
    if (!first) throw error;
    const at = first.location
      ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: `
      : '';
    const unresolved = /^Could not resolve "([^./][^"]*)"/.exec(first.text)?.[1];
    const fix = unresolved
      ? `npm install ${packageName(unresolved)} (it is missing or broken in node_modules)`
      : 'correct it there';
    throw new ConfigError(
      `The functions cannot be bundled: ${at}${first.text}. Fix: ${fix}, then synthesize again`,
    );
  }
}

/** `_hook-<service>`: a service's hooks (no service name starts with `_`). */
function hookKey(service: string): string {
  return `_hook-${service}`;
}

/** `_judge-<stage>`: a stage's release judge. */
function judgeKey(stage: string): string {
  return `_judge-${stage}`;
}

/** Copies the bundle `from` into a new folder `to`, with `data` as JSON in `file` beside it. */
function copyWith(dir: string, from: string, to: string, file: string, data: unknown): void {
  const folder = path.join(dir, to);
  fs.mkdirSync(folder);
  for (const name of fs.readdirSync(path.join(dir, from))) {
    fs.copyFileSync(path.join(dir, from, name), path.join(folder, name));
  }
  fs.writeFileSync(path.join(folder, file), `${JSON.stringify(data)}\n`);
}

/**
 * esbuild names a map's sources relative to the map's own folder, which lies inside the output
 * folder: `../../../../services/x/handler.ts` when that is under the project, or a walk up to
 * the file system's root when it is not. Rewritten relative to the project root, they are the
 * same wherever the project and the output folder are.
 */
function relativeSourceMap(file: string): void {
  const map = JSON.parse(fs.readFileSync(file, 'utf8')) as { sources: string[] };
  map.sources = map.sources.map((source) =>
    path
      .relative(ROOT, path.resolve(path.dirname(file), source))
      .split(path.sep)
      .join('/'),
  );
  fs.writeFileSync(file, JSON.stringify(map));
}
