import { stageEnvironments } from '../../lib/config/model';
/**
 * npm run ops -- <command> --stage <stage> [--service <service>] [options]
 *
 * Operates a release: status, watch, metrics, rollback, stop and promote (see --help). Each
 * command is a function of its target and injected clients and writer (scripts/ops/commands).
 */
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ConfigError } from '../../lib/config/config-error';
import { loadApp } from '../../lib/config/load';
import type { AppModel } from '../../lib/config/model';
import { metrics } from './commands/metrics';
import { promote } from './commands/promote';
import { rollback } from './commands/rollback';
import { status } from './commands/status';
import { stop } from './commands/stop';
import { watch } from './commands/watch';
import { askOnTerminal } from './confirm';
import { COMMAND_NAMES, HELP, parseArgs, UsageError, type CommandName } from './options';
import { loadTarget, resolveServices, resolveStage } from './target';
import { EXIT, OpsError, type Clients, type Command, type Writer } from './types';

/** Each command, and whether it acts on exactly one service. */
export const COMMANDS: Record<CommandName, { readonly run: Command; readonly single: boolean }> = {
  status: { run: status, single: false },
  watch: { run: watch, single: false },
  metrics: { run: metrics, single: false },
  rollback: { run: rollback, single: true },
  stop: { run: stop, single: true },
  promote: { run: promote, single: true },
};

/** Where the command reads and writes; everything injectable for tests. */
export interface OpsIo {
  /** Arguments after the script name. */
  readonly argv: readonly string[];
  readonly out: Writer;
  readonly err: Writer;
  /** @default the validated configuration of this project (`loadApp`) */
  readonly loadModel?: () => AppModel;
  /** @default real SDK clients for the region */
  readonly createClients?: (region: string) => Clients;
  /** @default asks on the terminal */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** @default the clock */
  readonly now?: () => Date;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Runs the command line and resolves with the exit code; never calls `process.exit`. */
export async function main(io: OpsIo): Promise<number> {
  let options;
  try {
    options = parseArgs(io.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`ops: ${error.message} (see --help)`);
    return EXIT.unusable;
  }
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (!options.command) {
    io.err(`ops: name a command: ${COMMAND_NAMES.join(', ')} (see --help)`);
    return EXIT.unusable;
  }
  const command = COMMANDS[options.command];

  let clients: Clients | undefined;
  let account = '';
  try {
    const model = (io.loadModel ?? (() => loadApp(path.resolve(__dirname, '..', '..'))))();
    const stage = resolveStage(model, options.stage);
    account = `account ${stageEnvironments(stage)[0].account} (stage ${stage.name})`;
    const services = resolveServices(stage, options.service, {
      command: options.command,
      single: command.single,
    });
    clients = (io.createClients ?? createClients)(stageEnvironments(stage)[0].region);
    const target = await loadTarget(clients.cloudformation, stage, services);
    return await command.run(target, {
      clients,
      out: io.out,
      yes: options.yes,
      confirm: io.confirm ?? askOnTerminal,
      now: io.now ?? (() => new Date()),
      sleep: io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      pollMs: options.intervalSeconds * 1000,
      windowMinutes: options.windowMinutes,
    });
  } catch (error) {
    const line = describeFailure(error, account);
    if (line === undefined) throw error;
    io.err(`ops: ${line}`);
    return error instanceof OpsError ? error.exitCode : EXIT.unusable;
  } finally {
    if (clients) for (const client of Object.values(clients)) client.destroy();
  }
}

/** One line for an error the operator can act on; undefined for a bug (rethrown). */
function describeFailure(error: unknown, account: string): string | undefined {
  if (error instanceof OpsError) return error.message;
  if (error instanceof ConfigError) return `invalid configuration: ${error.message}`;
  if (!(error instanceof Error)) return undefined;
  if (error.name === 'CredentialsProviderError') {
    return `no AWS credentials: configure credentials for ${account}, e.g. AWS_PROFILE=<profile> or aws sso login`;
  }
  if (/Expired(Token)?/.test(error.name)) {
    return `the AWS credentials have expired: refresh them for ${account}`;
  }
  // An AWS service error (access denied, throttling, ...): its name and message say it all.
  if ('$metadata' in error) return `${error.name}: ${error.message}`;
  return undefined;
}

export function createClients(region: string): Clients {
  return {
    cloudformation: new CloudFormationClient({ region }),
    lambda: new LambdaClient({ region }),
    codedeploy: new CodeDeployClient({ region }),
    cloudwatch: new CloudWatchClient({ region }),
  };
}

if (require.main === module) {
  main({
    argv: process.argv.slice(2),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `ops: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = EXIT.unusable;
    },
  );
}
