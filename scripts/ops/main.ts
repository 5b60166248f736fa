/**
 * npm run ops -- <command> --stage <stage> [--service <service>] [--wave <n>] [--region <r>]
 * npm run ops -- report [--stage <stage>] [--service <service>] [--since 30d] [--json] [--out FILE]
 *
 * Every mistake the configuration and the command line reveal (an unknown stage, service, wave,
 * region or environment; an option the command does not take; a wave left to choose; a report
 * window or output folder that cannot be; a confirmation with no terminal to ask on; an AWS
 * profile that does not exist) is reported before any credentials are looked up.
 *
 * Operates a release: status, watch, metrics, stop, rollback and override; reports the delivery
 * record (see --help). Each command is a function of its selection and injected clients and
 * writer (scripts/ops/commands).
 */
import path from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { loadApp } from '../../lib/config/load';
import type { AppModel } from '../../lib/config/model';
import { metrics } from './commands/metrics';
import { override } from './commands/override';
import { checkFolder, report } from './commands/report';
import { chosenWave, rollback } from './commands/rollback';
import { status } from './commands/status';
import { stop } from './commands/stop';
import { watch } from './commands/watch';
import { askOnTerminal } from './confirm';
import {
  checkRegion,
  describeFailure,
  environmentPlace,
  pipelinePlace,
  type Place,
} from './errors';
import {
  COMMAND_NAMES,
  HELP,
  parseArgs,
  UsageError,
  type CommandName,
  type OpsOptions,
} from './options';
import { profileProblem } from './profile';
import { DEFAULT_SINCE, parseSince, reportWindow } from './report/window';
import { select, selectHistory, type CommandScope } from './target';
import {
  EXIT,
  OpsError,
  type Clients,
  type Command,
  type CommandDeps,
  type HistoryCommand,
  type RegionClients,
  type Selection,
  type Writer,
} from './types';

// The AWS SDK's notice that its future versions will need a newer Node cannot matter here: the
// lock file pins the versions. Set before any client is made, which reads it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A command on one stage: what it acts on, and the accounts it needs. */
interface StageCommand {
  readonly run: Command;
  readonly services: CommandScope['services'];
  readonly needs: 'environments' | 'pipeline' | 'both';
  /** Refuses a selection the command cannot act on, from the configuration alone. */
  readonly check?: (selection: Selection) => void;
  /** Asks for a confirmation before it changes anything (unless `--yes`). */
  readonly asks?: boolean;
}

/** A command on the pipeline's history of some stages: the pipeline and their environments. */
interface HistoryCommandEntry {
  readonly history: HistoryCommand;
}

/** Each command, what it acts on, and the accounts it needs. */
export const COMMANDS: Record<CommandName, StageCommand | HistoryCommandEntry> = {
  status: { run: status, services: 'any', needs: 'environments' },
  watch: { run: watch, services: 'any', needs: 'both' },
  metrics: { run: metrics, services: 'any', needs: 'environments' },
  stop: { run: stop, services: 'one', needs: 'environments' },
  rollback: {
    run: rollback,
    services: 'none',
    needs: 'both',
    check: (s) => chosenWave(s.stage, s.wave),
    asks: true,
  },
  override: { run: override, services: 'none', needs: 'pipeline', asks: true },
  report: { history: report },
};

/** Where the command reads and writes; everything injectable for tests. */
export interface OpsIo {
  /** Arguments after the script name. */
  readonly argv: readonly string[];
  readonly out: Writer;
  readonly err: Writer;
  /** @default the validated configuration of this project (`loadApp`) */
  readonly loadModel?: () => AppModel;
  /** @default real SDK clients on the default credential chain (`createClients`) */
  readonly createClients?: (pipelineRegion: string) => Clients;
  /** @default asks on the terminal */
  readonly confirm?: (question: string) => Promise<boolean>;
  /** Whether there is a terminal to ask on, when `confirm` is not given. @default stdin is a TTY */
  readonly interactive?: boolean;
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
    // Bad input to `report` exits 1 (see --help); the other commands keep 2 for usage errors.
    return error.command === 'report' ? EXIT.failed : EXIT.unusable;
  }
  if (options.help) {
    io.out(HELP);
    return EXIT.ok;
  }
  if (!options.command) {
    io.err(`ops: name a command: ${COMMAND_NAMES.join(', ')} (see --help)`);
    return EXIT.unusable;
  }
  let clients: Clients | undefined;
  let needed: Place[] = [];
  try {
    const model = (io.loadModel ?? (() => loadApp(path.resolve(__dirname, '..', '..'))))();
    // Everything the configuration and the command line can tell is checked before any
    // credentials are looked up: a usage error is never hidden behind a credentials error.
    const now = io.now ?? (() => new Date());
    const chosen = choose(model, options.command, options, now);
    needed = chosen.needed;
    for (const place of [pipelinePlace(model), ...needed]) checkRegion(place);
    const command = COMMANDS[options.command];
    const interactive = io.interactive ?? process.stdin.isTTY === true;
    if ('asks' in command && command.asks && !options.yes && !io.confirm && !interactive) {
      throw new OpsError(
        `${options.command} asks for a confirmation, and there is no terminal to ask on: run it in a terminal, or pass --yes`,
      );
    }
    clients = (io.createClients ?? createClients)(model.pipelineEnv.region);
    const account = await callerAccount(clients);
    return await chosen.run({
      clients,
      account,
      out: io.out,
      yes: options.yes,
      confirm: io.confirm ?? askOnTerminal,
      now,
      sleep: io.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      pollMs: options.intervalSeconds * 1000,
      windowMinutes: options.windowMinutes,
    });
  } catch (error) {
    const line = describeFailure(error, needed);
    if (line === undefined) throw error;
    io.err(`ops: ${line}`);
    return error instanceof OpsError ? error.exitCode : EXIT.unusable;
  } finally {
    clients?.destroy();
  }
}

/** What a command acts on: the accounts it needs, and how to run it there. */
function choose(
  model: AppModel,
  name: CommandName,
  options: OpsOptions,
  now: () => Date,
): { needed: Place[]; run: (deps: CommandDeps) => Promise<number> } {
  const command = COMMANDS[name];
  if ('history' in command) {
    const selection = selectHistory(model, options);
    reportWindow(options.since ?? parseSince(DEFAULT_SINCE)!, now());
    if (options.out !== undefined) checkFolder(options.out);
    return {
      needed: [
        pipelinePlace(model),
        ...selection.stages.flatMap((s) => placesNeeded(s, 'environments')),
      ],
      run: (deps) =>
        command.history(selection, deps, {
          since: options.since ?? parseSince(DEFAULT_SINCE)!,
          json: options.json ?? false,
          out: options.out,
        }),
    };
  }
  const selection = select(model, options, { command: name, services: command.services });
  command.check?.(selection);
  return {
    needed: placesNeeded(selection, command.needs),
    run: (deps) => command.run(selection, deps),
  };
}

/** The accounts a command needs: its environments', the pipeline's, or both. */
function placesNeeded(selection: Selection, needs: 'environments' | 'pipeline' | 'both'): Place[] {
  const environments = selection.environments.map((e) => environmentPlace(selection.stage.name, e));
  const pipeline = pipelinePlace(selection.app);
  if (needs === 'environments') return environments;
  if (needs === 'pipeline') return [pipeline];
  return [pipeline, ...environments];
}

/** The account of the credentials (STS GetCallerIdentity): the one the commands reach. */
async function callerAccount(clients: Clients): Promise<string> {
  const { Account } = await clients.sts.send(new GetCallerIdentityCommand({}));
  if (!Account) throw new OpsError('STS did not say which account the credentials belong to');
  return Account;
}

/**
 * Real SDK clients, all on the default credential chain: STS and CodePipeline in the pipeline's
 * region, the others per region on first use.
 */
export function createClients(pipelineRegion: string): Clients {
  // A profile the SDK cannot find is named as such, not as "no credentials" after a call.
  const problem = profileProblem(process.env);
  if (problem) throw new OpsError(problem);
  const regions = new Map<string, RegionClients>();
  const sts = new STSClient({ region: pipelineRegion });
  const codepipeline = new CodePipelineClient({ region: pipelineRegion });
  return {
    sts,
    codepipeline,
    region: (region) => {
      let clients = regions.get(region);
      if (!clients) {
        clients = {
          cloudformation: new CloudFormationClient({ region }),
          lambda: new LambdaClient({ region }),
          codedeploy: new CodeDeployClient({ region }),
          cloudwatch: new CloudWatchClient({ region }),
        };
        regions.set(region, clients);
      }
      return clients;
    },
    destroy: () => {
      sts.destroy();
      codepipeline.destroy();
      for (const r of regions.values()) for (const client of Object.values(r)) client.destroy();
    },
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
