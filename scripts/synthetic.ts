/**
 * Runs services' synthetic checks and prints a pass/fail table.
 *
 *   npm run synthetic -- <service> [<service>...]            in-process, against handler.ts
 *   npm run synthetic -- --remote <service> [<service>...]   against the deployed aliases
 *   npm run synthetic -- --remote --targets <file>           against every target of a file
 *
 * Exit codes: 0 every check passed, 1 a check failed, 2 usage, configuration or environment
 * error (no credentials, unknown region, no network).
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { packageName } from '../lib/config/handler-check';
import { DEFAULTS } from '../lib/config/schema';
import { LIVE_ALIAS, serviceBaseName, stagePrefix } from '../lib/resource-names';
import { describeEnvironmentError } from '../runtime/synthetic/environment-error';
import { inProcessInvoker, type InProcessHandler } from '../runtime/synthetic/in-process-invoker';
import { lambdaInvoker } from '../runtime/synthetic/lambda-invoker';
import {
  latticeInvoker,
  latticeRegion,
  type LatticeInvokerOptions,
} from '../runtime/synthetic/lattice-invoker';
import { validateChecks } from '../runtime/synthetic/parse-checks';
import {
  SmokeTargetsError,
  aliasRegion,
  readSmokeTargets,
} from '../runtime/synthetic/read-smoke-targets';
import { runChecks } from '../runtime/synthetic/run-checks';
import { targetEnvVar } from '../runtime/synthetic/target-env';
import type { CheckResult, Invoker, SyntheticCheck } from '../runtime/synthetic/types';

/** Default per-check timeout of a run, in milliseconds. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Exit codes of the command. */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

/** Where the command reads its input and writes its output; injectable for tests. */
export interface SyntheticCliIo {
  /** Arguments after the script name. */
  readonly argv: readonly string[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** The folder holding one folder per service. */
  readonly servicesDir: string;
  /** @default `new LambdaClient({ region })` */
  readonly createLambdaClient?: (region: string) => LambdaClient;
  /** @default {@link latticeInvoker} with the AWS SDK's default credential chain */
  readonly createLatticeInvoker?: (options: LatticeInvokerOptions) => Invoker;
}

/** One row of the printed table. */
export interface ServiceResult extends CheckResult {
  readonly service: string;
  /** The environment of the target, when the targets come from a file. */
  readonly environment?: string;
}

/** The sample's pipelineName (pipeline.config.ts), for the examples of ARNs. */
const SAMPLE_PIPELINE = 'lambda-services';

const HELP = `Usage:
  npm run synthetic -- [options] <service> [<service>...]
  npm run synthetic -- --remote [options] <service> [<service>...]
  npm run synthetic -- --remote --targets <file> [options]

Runs the synthetic checks of services/<service>/synthetic.ts and prints a pass/fail table.

Without --remote the checks run in this process against the service's handler
(services/<service>/handler.ts, or the file \`handler\` names in its service.ts).
With --remote they invoke the deployed function whose alias ARN is in the environment
variable SYNTHETIC_TARGET_<SERVICE> (name upper-cased, hyphens as underscores), e.g.
  SYNTHETIC_TARGET_ORDER_HISTORY=${exampleAliasArn('order-history')}
With --targets they run against every target of a smoke-targets file, as the pipeline's smoke
step does (synth writes them to cdk.out/smoke/<stage>-wave<N>.json): each service's alias, or
its VPC Lattice URL when the target has one (HTTPS, signed with SigV4).
The region is taken from the ARN or URL; credentials come from the usual AWS SDK chain.

Options:
  --remote           invoke the deployed aliases instead of the local handlers
  --targets <file>   run against every target of a smoke-targets file (implies --remote)
  --timeout-ms <n>   per-check timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --verbose          show the handlers' own log output (in-process runs)
  -h, --help         show this help

Exit codes: 0 every check passed, 1 a check failed, 2 usage, configuration or environment
error (no credentials, unknown region, no network).`;

class UsageError extends Error {}

interface Options {
  readonly remote: boolean;
  readonly timeoutMs: number;
  readonly help: boolean;
  readonly services: readonly string[];
  readonly targetsFile?: string;
}

/** What one service (in one environment) runs against what. */
interface Plan {
  readonly service: string;
  readonly environment?: string;
  readonly checks: readonly SyntheticCheck[];
  readonly invoker: Invoker;
}

/** What the plans share: the known services, their checks, and one client per region. */
interface Context {
  readonly io: SyntheticCliIo;
  readonly known: readonly string[];
  readonly checks: Map<string, Promise<SyntheticCheck[]>>;
  readonly clients: Map<string, LambdaClient>;
  readonly latticeInvoker: (options: LatticeInvokerOptions) => Invoker;
}

/**
 * Runs the command and resolves with its exit code; never calls `process.exit`.
 */
export async function main(io: SyntheticCliIo): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(io.argv);
  } catch (error) {
    io.stderr(`synthetic: ${(error as Error).message} (see --help)`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout(HELP);
    return EXIT.passed;
  }

  let credentials: ReturnType<typeof defaultProvider> | undefined;
  const ctx: Context = {
    io,
    known: knownServices(io.servicesDir),
    checks: new Map(),
    clients: new Map(),
    latticeInvoker:
      io.createLatticeInvoker ??
      ((o) => latticeInvoker({ ...o, credentials: (credentials ??= defaultProvider()) })),
  };
  const environmentProblems = new Set<string>();
  try {
    // Resolve every service and target before running anything.
    const plans =
      options.targetsFile !== undefined
        ? await targetPlans(options.targetsFile, ctx)
        : await servicePlans(options, ctx);
    const results = (
      await Promise.all(
        plans.map(async ({ service, environment, checks, invoker }) =>
          (
            await runChecks(checks, guard(invoker, environmentProblems), {
              perCheckTimeoutMs: options.timeoutMs,
            })
          ).map((result): ServiceResult => ({ service, environment, ...result })),
        ),
      )
    ).flat();
    if (environmentProblems.size > 0) {
      for (const line of environmentProblems) io.stderr(`synthetic: ${line}`);
      return EXIT.usage;
    }
    io.stdout(formatTable(results));
    return results.every((r) => r.passed) ? EXIT.passed : EXIT.failed;
  } catch (error) {
    if (error instanceof UsageError || error instanceof SmokeTargetsError) {
      io.stderr(`synthetic: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    for (const client of ctx.clients.values()) client.destroy();
  }
}

function parseArgs(argv: readonly string[]): Options {
  let remote = false;
  let help = false;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  let targetsFile: string | undefined;
  const services: string[] = [];
  const valueOf = (arg: string, i: number): string | undefined =>
    arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[i + 1];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--remote') remote = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--verbose') continue;
    else if (arg === '--timeout-ms' || arg.startsWith('--timeout-ms=')) {
      const value = valueOf(arg, i);
      if (!arg.includes('=')) i++;
      timeoutMs = Number(value);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new Error(
          `--timeout-ms needs a positive whole number of milliseconds, got "${value ?? ''}"`,
        );
      }
    } else if (arg === '--targets' || arg.startsWith('--targets=')) {
      targetsFile = valueOf(arg, i);
      if (!arg.includes('=')) i++;
      if (!targetsFile || targetsFile.startsWith('-')) {
        throw new Error('--targets needs the path of a smoke-targets file');
      }
    } else if (arg.startsWith('-')) throw new Error(`unknown option "${arg}"`);
    else services.push(arg);
  }
  if (targetsFile !== undefined && services.length > 0) {
    throw new Error(
      `--targets runs every target of ${targetsFile}; name no services with it (got ${services.join(', ')})`,
    );
  }
  return {
    remote: remote || targetsFile !== undefined,
    help,
    timeoutMs,
    services,
    ...(targetsFile !== undefined && { targetsFile }),
  };
}

/** Folders under `servicesDir` that hold a `synthetic.ts`, sorted. */
export function knownServices(servicesDir: string): string[] {
  if (!existsSync(servicesDir)) return [];
  return readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => existsSync(path.join(servicesDir, name, 'synthetic.ts')))
    .sort();
}

/** The services named on the command line, in-process or against SYNTHETIC_TARGET_* aliases. */
async function servicePlans(options: Options, ctx: Context): Promise<Plan[]> {
  if (options.services.length === 0) {
    throw new UsageError(`name at least one service. Known services: ${list(ctx.known)}`);
  }
  return Promise.all(
    options.services.map(async (service): Promise<Plan> => {
      if (!ctx.known.includes(service)) {
        throw new UsageError(
          `unknown service "${service}": there is no services/${service}/synthetic.ts. Known services: ${list(ctx.known)}`,
        );
      }
      const checks = await loadChecks(service, ctx);
      const invoker = options.remote
        ? aliasFromEnv(service, ctx)
        : await inProcess(service, ctx.io.servicesDir);
      return { service, checks, invoker };
    }),
  );
}

/** Every target of a smoke-targets file: its alias, or its Lattice URL when it has one. */
async function targetPlans(file: string, ctx: Context): Promise<Plan[]> {
  const { targets } = readSmokeTargets(file);
  targets.forEach(({ service }, i) => {
    if (!ctx.known.includes(service)) {
      throw new UsageError(
        `targets file ${file}: targets[${i}].service "${service}" has no services/${service}/synthetic.ts: add one (npm run new-service writes it) or remove the service from its stage`,
      );
    }
  });
  return Promise.all(
    targets.map(async ({ service, environment, aliasArn, url }): Promise<Plan> => {
      const checks = await loadChecks(service, ctx);
      const region = aliasRegion(aliasArn) as string; // validated by readSmokeTargets
      const invoker =
        url !== undefined
          ? ctx.latticeInvoker({ url, region: latticeRegion(url) ?? region })
          : lambdaInvoker(lambdaClient(region, ctx), aliasArn);
      return { service, environment, checks, invoker };
    }),
  );
}

/** A service's checks, loaded once however many targets it has. */
function loadChecks(service: string, ctx: Context): Promise<SyntheticCheck[]> {
  let loaded = ctx.checks.get(service);
  if (loaded === undefined) {
    const file = `services/${service}/synthetic.ts`;
    loaded = importModule<{ checks?: unknown }>(
      path.join(ctx.io.servicesDir, service, 'synthetic.ts'),
      file,
    ).then((module) => {
      try {
        return validateChecks(module.checks, `${file} \`checks\``);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
    });
    ctx.checks.set(service, loaded);
  }
  return loaded;
}

function aliasFromEnv(service: string, ctx: Context): Invoker {
  let variable: string;
  try {
    variable = targetEnvVar(service);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const arn = ctx.io.env[variable]?.trim();
  if (!arn) {
    throw new UsageError(
      `${variable} is not set: export it with the ARN of ${service}'s deployed alias, e.g. ${variable}=${exampleAliasArn(service)}`,
    );
  }
  const region = regionOf(arn);
  if (region === undefined) {
    throw new UsageError(`${variable} "${arn}" is not a Lambda function ARN`);
  }
  return lambdaInvoker(lambdaClient(region, ctx), arn);
}

async function inProcess(service: string, servicesDir: string): Promise<Invoker> {
  const file = await handlerFileOf(service, servicesDir);
  const handlerFile = path.join(servicesDir, service, file);
  const shown = `services/${service}/${file}`;
  if (!existsSync(handlerFile)) {
    throw new UsageError(`${shown} does not exist`);
  }
  const handlerModule = await importModule<{ handler?: unknown }>(handlerFile, shown);
  if (typeof handlerModule.handler !== 'function') {
    throw new UsageError(`${shown} does not export a function \`handler\``);
  }
  return inProcessInvoker(handlerModule.handler as InProcessHandler<unknown>, {
    functionName: service,
  });
}

/**
 * The handler file of a service, relative to its folder: what `handler` in its service.ts
 * names, as synth bundles it, or handler.ts.
 */
async function handlerFileOf(service: string, servicesDir: string): Promise<string> {
  const definition = path.join(servicesDir, service, 'service.ts');
  if (!existsSync(definition)) return DEFAULTS.handler;
  const mod = await importModule<{ service?: { handler?: unknown } }>(
    definition,
    `services/${service}/service.ts`,
  );
  const named = mod.service?.handler;
  return typeof named === 'string' ? named : DEFAULTS.handler;
}

/**
 * An alias ARN as the product names it: the function `<pipeline>-<stage>-<service>` of the
 * sample's pipeline, in dev, with its `live` alias.
 */
function exampleAliasArn(service: string): string {
  const name = serviceBaseName(stagePrefix(SAMPLE_PIPELINE, 'dev'), service);
  return `arn:aws:lambda:eu-west-1:123456789012:function:${name}:${LIVE_ALIAS}`;
}

async function importModule<T>(file: string, name: string): Promise<T> {
  try {
    return (await import(file)) as T;
  } catch (error) {
    const first = (error as Error).message.split('\n')[0];
    const missing = /^Cannot find module '([^./'][^']*)'/.exec(first)?.[1];
    if ((error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && missing !== undefined) {
      const pkg = packageName(missing);
      // A handler's packages ship in its bundle (the AWS SDK aside, which Lambda provides); the
      // checks' run at synth and in tests only.
      const install =
        name.endsWith('handler.ts') && !pkg.startsWith('@aws-sdk/') ? pkg : `--save-dev ${pkg}`;
      throw new UsageError(
        `${name} cannot be loaded: it imports "${missing}", which is not installed. Fix: npm install ${install}`,
      );
    }
    throw new UsageError(`${name} cannot be loaded: ${first}`);
  }
}

/** One Lambda client per region, shared by every target there. */
function lambdaClient(region: string, ctx: Context): LambdaClient {
  let client = ctx.clients.get(region);
  if (client === undefined) {
    client = ctx.io.createLambdaClient?.(region) ?? new LambdaClient({ region });
    ctx.clients.set(region, client);
  }
  return client;
}

/** Records the one-line fix of an error that comes from where the checks run, not the target. */
function guard(invoker: Invoker, problems: Set<string>): Invoker {
  return async (event, signal) => {
    try {
      return await invoker(event, signal);
    } catch (error) {
      const line = describeEnvironmentError(error);
      if (line !== undefined) problems.add(line);
      throw error;
    }
  };
}

const LAMBDA_ARN =
  /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9_$-]+)?$/;

function regionOf(arn: string): string | undefined {
  return LAMBDA_ARN.exec(arn)?.[1];
}

function list(names: readonly string[]): string {
  return names.length > 0 ? names.join(', ') : '(none)';
}

/**
 * Renders results as an aligned text table followed by a one-line summary. The ENVIRONMENT
 * column appears when any result names its environment (targets from a file).
 */
export function formatTable(results: readonly ServiceResult[]): string {
  const withEnvironment = results.some((r) => r.environment !== undefined);
  const header = [
    'SERVICE',
    ...(withEnvironment ? ['ENVIRONMENT'] : []),
    'CHECK',
    'RESULT',
    'STATUS',
    'LATENCY',
    'REASON',
  ];
  const rows = results.map((r) => [
    r.service,
    ...(withEnvironment ? [r.environment ?? '-'] : []),
    r.name,
    r.passed ? 'PASS' : 'FAIL',
    r.statusCode === undefined ? '-' : String(r.statusCode),
    `${r.latencyMs} ms`,
    r.reason ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const render = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  const failed = results.filter((r) => !r.passed).length;
  return [
    render(header),
    ...rows.map(render),
    '',
    `${results.length - failed} passed, ${failed} failed`,
  ].join('\n');
}

if (require.main === module) {
  // Versions are pinned by the lock file: the SDK's notice about future Node versions cannot
  // matter here, and it would repeat before every table.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const argv = process.argv.slice(2);
  if (!argv.includes('--verbose')) process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
  main({
    argv,
    env: process.env,
    stdout: (line) => process.stdout.write(`${line}\n`),
    stderr: (line) => process.stderr.write(`${line}\n`),
    servicesDir: path.resolve(__dirname, '..', 'services'),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `synthetic: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.usage;
    },
  );
}
