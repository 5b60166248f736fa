/**
 * Runs a service's synthetic checks and prints a pass/fail table.
 *
 *   npm run synthetic -- <service> [<service>...]            in-process, against handler.ts
 *   npm run synthetic -- --remote <service> [<service>...]   against the deployed aliases
 *
 * Exit codes: 0 every check passed, 1 a check failed, 2 usage or configuration error.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { inProcessInvoker, type InProcessHandler } from '../runtime/synthetic/in-process-invoker';
import { lambdaInvoker } from '../runtime/synthetic/lambda-invoker';
import { validateChecks } from '../runtime/synthetic/parse-checks';
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
}

/** One row of the printed table. */
export interface ServiceResult extends CheckResult {
  readonly service: string;
}

const HELP = `Usage:
  npm run synthetic -- [options] <service> [<service>...]
  npm run synthetic -- --remote [options] <service> [<service>...]

Runs the synthetic checks of services/<service>/synthetic.ts and prints a pass/fail table.

Without --remote the checks run in this process against services/<service>/handler.ts.
With --remote they invoke the deployed function whose alias ARN is in the environment
variable SYNTHETIC_TARGET_<SERVICE> (name upper-cased, hyphens as underscores), e.g.
  SYNTHETIC_TARGET_ORDER_HISTORY=arn:aws:lambda:eu-west-1:123456789012:function:dev-order-history:live
The region is taken from the ARN; credentials come from the usual AWS SDK chain.

Options:
  --remote           invoke the deployed aliases instead of the local handlers
  --timeout-ms <n>   per-check timeout in milliseconds (default ${DEFAULT_TIMEOUT_MS})
  --verbose          show the handlers' own log output (in-process runs)
  -h, --help         show this help

Exit codes: 0 every check passed, 1 a check failed, 2 usage or configuration error.`;

class UsageError extends Error {}

interface Options {
  readonly remote: boolean;
  readonly timeoutMs: number;
  readonly help: boolean;
  readonly services: readonly string[];
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

  const clients = new Map<string, LambdaClient>();
  try {
    // Resolve every service and target before running anything.
    const known = knownServices(io.servicesDir);
    if (options.services.length === 0) {
      throw new UsageError(`name at least one service. Known services: ${list(known)}`);
    }
    const plans = await Promise.all(
      options.services.map((service) => plan(service, known, options, io, clients)),
    );
    const results = (
      await Promise.all(
        plans.map(async ({ service, checks, invoker }) =>
          (await runChecks(checks, invoker, { perCheckTimeoutMs: options.timeoutMs })).map(
            (result): ServiceResult => ({ service, ...result }),
          ),
        ),
      )
    ).flat();
    io.stdout(formatTable(results));
    return results.every((r) => r.passed) ? EXIT.passed : EXIT.failed;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`synthetic: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

function parseArgs(argv: readonly string[]): Options {
  let remote = false;
  let help = false;
  let timeoutMs = DEFAULT_TIMEOUT_MS;
  const services: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--remote') remote = true;
    else if (arg === '-h' || arg === '--help') help = true;
    else if (arg === '--verbose') continue;
    else if (arg === '--timeout-ms' || arg.startsWith('--timeout-ms=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      timeoutMs = Number(value);
      if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) {
        throw new Error(
          `--timeout-ms needs a positive whole number of milliseconds, got "${value ?? ''}"`,
        );
      }
    } else if (arg.startsWith('-')) throw new Error(`unknown option "${arg}"`);
    else services.push(arg);
  }
  return { remote, help, timeoutMs, services };
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

interface Plan {
  readonly service: string;
  readonly checks: readonly SyntheticCheck[];
  readonly invoker: Invoker;
}

async function plan(
  service: string,
  known: readonly string[],
  options: Options,
  io: SyntheticCliIo,
  clients: Map<string, LambdaClient>,
): Promise<Plan> {
  if (!known.includes(service)) {
    throw new UsageError(
      `unknown service "${service}": there is no services/${service}/synthetic.ts. Known services: ${list(known)}`,
    );
  }
  const dir = path.join(io.servicesDir, service);
  const syntheticModule = (await import(path.join(dir, 'synthetic.ts'))) as { checks?: unknown };
  let checks: SyntheticCheck[];
  try {
    checks = validateChecks(syntheticModule.checks, `services/${service}/synthetic.ts \`checks\``);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  if (options.remote) {
    let variable: string;
    try {
      variable = targetEnvVar(service);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const arn = io.env[variable]?.trim();
    if (!arn) {
      throw new UsageError(
        `${variable} is not set: export it with the ARN of ${service}'s deployed alias, e.g. ${variable}=arn:aws:lambda:eu-west-1:123456789012:function:dev-${service}:live`,
      );
    }
    const region = regionOf(arn);
    if (region === undefined) {
      throw new UsageError(`${variable} "${arn}" is not a Lambda function ARN`);
    }
    let client = clients.get(region);
    if (client === undefined) {
      client = io.createLambdaClient?.(region) ?? new LambdaClient({ region });
      clients.set(region, client);
    }
    return { service, checks, invoker: lambdaInvoker(client, arn) };
  }

  const handlerFile = path.join(dir, 'handler.ts');
  if (!existsSync(handlerFile)) {
    throw new UsageError(`services/${service}/handler.ts does not exist`);
  }
  const handlerModule = (await import(handlerFile)) as { handler?: unknown };
  if (typeof handlerModule.handler !== 'function') {
    throw new UsageError(`services/${service}/handler.ts does not export a function \`handler\``);
  }
  return {
    service,
    checks,
    invoker: inProcessInvoker(handlerModule.handler as InProcessHandler<unknown>, {
      functionName: service,
    }),
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

/** Renders results as an aligned text table followed by a one-line summary. */
export function formatTable(results: readonly ServiceResult[]): string {
  const header = ['SERVICE', 'CHECK', 'RESULT', 'STATUS', 'LATENCY', 'REASON'];
  const rows = results.map((r) => [
    r.service,
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
