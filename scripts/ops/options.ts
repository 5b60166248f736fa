import { DEFAULT_SINCE, parseSince, SINCE_FORMAT, type Since } from './report/window';

/** The commands, in the order `--help` lists them. */
export const COMMAND_NAMES = [
  'status',
  'watch',
  'metrics',
  'stop',
  'rollback',
  'override',
  'report',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Default minutes of metrics `metrics` checks. */
export const DEFAULT_WINDOW_MINUTES = 15;
/** Default seconds between polls of `watch`. */
export const DEFAULT_INTERVAL_SECONDS = 15;

/** Why there is no `promote` command (see docs/operations.md). */
export const NO_PROMOTE =
  "there is no promote: CodeDeploy owns the live alias and has no API that ends a Lambda canary's wait, and moving the alias behind its back leaves CloudFormation's recorded version behind. Let the canary finish, or stop it";

export const HELP = `Usage: npm run ops -- <command> --stage <stage> [options]
       npm run ops -- report [--stage <stage>] [--service <service>] [--since 30d] [--json] [--out FILE]

Operates a release of a stage in every environment it deploys to. Stages, waves, environments
and services come from the validated configuration; each service's function, alias, deployment
group and alarms from its stack's outputs in each environment; the waves' pipeline stages from
the pipeline (CodePipeline, in the pipeline's account and region). One credential chain (the
usual AWS SDK chain: AWS_PROFILE, aws sso login, ...) serves every call; an account it does not
reach is named, with the profile it needs.

Commands:
  status     Every environment of the stage, by wave: per service the live alias's version
             and weights, the latest deployment, the rollback alarms, the dashboards.
  watch      Follows the release through the stage: which wave waits, deploys, bakes,
             succeeded or failed, and the CodeDeploy canaries of the running wave (traffic on
             the new version, time left in the window, alarms). Exits 1 if it fails.
  metrics    Error rate, invocations and p99 duration of each live alias over a window,
             every minute checked against the service's alarm thresholds. Exits 1 on a FAIL.
  stop       Stops the service's deployments in progress with automatic rollback
             (CodeDeploy StopDeployment). No confirmation: stopping is the safe direction.
  rollback   Rolls a wave's pipeline stage back to the execution that succeeded in it before
             (CodePipeline RollbackStage), after a confirmation: the previous release is
             deployed again through CloudFormation and CodeDeploy. Refuses while a
             deployment is in progress (use stop).
  override   Lets the execution waiting at a wave's entry condition (deployment window,
             alarm blocker) into the stage now (CodePipeline OverrideStageCondition), after
             saying what it skips and a confirmation.
  report     The delivery record from CodePipeline's and CodeDeploy's history: per stage
             deployment frequency, lead time for changes, change failure rate and time to
             restore, and each release with its commit, services moved, canary verdict,
             rollback reason and steps. Every stage unless --stage.

There is no promote: CodeDeploy owns the live alias and cannot end a Lambda canary early.

Options:
  --stage <stage>        the stage to act on (required)
  --service <service>    one service of the stage (default: all; stop needs one when the
                         stage runs several)
  --wave <n>             one wave of the stage (rollback needs it when there are several;
                         override: default the wave that waits)
  --region <region>      the environments of the stage in this region
  --environment <name>   one environment of the stage (pipeline.config.ts)
  --yes, -y              do not ask for confirmation (rollback, override)
  --window <minutes>     metrics: minutes to check (default ${DEFAULT_WINDOW_MINUTES})
  --interval <seconds>   watch: seconds between polls (default ${DEFAULT_INTERVAL_SECONDS})
  --since <when>         report: ${SINCE_FORMAT}
                         (default ${DEFAULT_SINCE}; CodePipeline keeps 12 months)
  --json                 report: one JSON document instead of text
  --out <file>           report: also write the weekly chart there (HTML for .html, else
                         Markdown with a Mermaid chart)
  --help, -h             show this help

Exit codes: 0 done or all checks passed; 1 a check failed, a release or deployment failed, a
stop came after the deployment ended, or the confirmation was declined; 2 could not act
(usage, unknown stage, service, wave or region, an unknown AWS profile, no credentials, no
network, an account out of reach, a missing stack, nothing in progress or waiting); mistakes of
usage and configuration are found before credentials are looked up. report exits 0 once it has printed,
1 on bad input (an unknown option, stage or service, a malformed --since, no history in the
window) and 2 when it cannot reach AWS.`;

export interface OpsOptions {
  readonly command?: CommandName;
  readonly stage?: string;
  readonly service?: string;
  readonly wave?: number;
  readonly region?: string;
  readonly environment?: string;
  readonly yes: boolean;
  readonly help: boolean;
  readonly windowMinutes: number;
  readonly intervalSeconds: number;
  /** `report --since`; undefined unless given. */
  readonly since?: Since;
  /** `report --json`; undefined unless given. */
  readonly json?: boolean;
  /** `report --out`. */
  readonly out?: string;
}

/** A mistake on the command line, and the command it was made on, where one was named. */
export class UsageError extends Error {
  command?: CommandName;
}

/** The options that take a value: what follows one is not the command. */
const VALUE_OPTIONS = new Set([
  '--stage',
  '--service',
  '--region',
  '--environment',
  '--wave',
  '--window',
  '--interval',
  '--since',
  '--out',
]);

/** Options only some commands take: any other command refuses them rather than ignore them. */
const OWN_OPTIONS: Readonly<Record<string, readonly CommandName[]>> = {
  '--window': ['metrics'],
  '--interval': ['watch'],
  '--since': ['report'],
  '--json': ['report'],
  '--out': ['report'],
};

/** The command named anywhere on the command line, however the rest of it is wrong. */
function commandIn(argv: readonly string[]): CommandName | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (VALUE_OPTIONS.has(argv[i])) i++;
    else if ((COMMAND_NAMES as readonly string[]).includes(argv[i])) return argv[i] as CommandName;
  }
  return undefined;
}

export function parseArgs(argv: readonly string[]): OpsOptions {
  try {
    return parse(argv);
  } catch (error) {
    if (error instanceof UsageError) error.command = commandIn(argv);
    throw error;
  }
}

function parse(argv: readonly string[]): OpsOptions {
  let command: CommandName | undefined;
  const named: {
    stage?: string;
    service?: string;
    region?: string;
    environment?: string;
    since?: Since;
    json?: boolean;
    out?: string;
  } = {};
  let wave: number | undefined;
  let yes = false;
  let help = false;
  let windowMinutes = DEFAULT_WINDOW_MINUTES;
  let intervalSeconds = DEFAULT_INTERVAL_SECONDS;
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/) : [arg];
    seen.add(flag);
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('-')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const positive = (what: string): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) {
        throw new UsageError(`${flag} needs a positive whole number${what}, got "${raw}"`);
      }
      return n;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--yes' || flag === '-y') yes = true;
    else if (flag === '--stage') named.stage = value();
    else if (flag === '--service') named.service = value();
    else if (flag === '--region') named.region = value();
    else if (flag === '--environment') named.environment = value();
    else if (flag === '--out') named.out = value();
    else if (flag === '--json') named.json = true;
    else if (flag === '--since') {
      const raw = value();
      named.since = parseSince(raw);
      if (!named.since) throw new UsageError(`--since needs ${SINCE_FORMAT}, got "${raw}"`);
    } else if (flag === '--wave') wave = positive('');
    else if (flag === '--window') windowMinutes = positive(' of minutes');
    else if (flag === '--interval') intervalSeconds = positive(' of seconds');
    else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
    else if (command === undefined) {
      if (arg === 'promote') throw new UsageError(NO_PROMOTE);
      if (!(COMMAND_NAMES as readonly string[]).includes(arg)) {
        throw new UsageError(`unknown command "${arg}": use one of ${COMMAND_NAMES.join(', ')}`);
      }
      command = arg as CommandName;
    } else throw new UsageError(`unexpected argument "${arg}"`);
  }
  for (const flag of seen) {
    const owners = OWN_OPTIONS[flag];
    if (command !== undefined && owners !== undefined && !owners.includes(command)) {
      throw new UsageError(
        `${command} takes no ${flag}: it is an option of ${owners.join(', ')} only. Fix: drop ${flag}`,
      );
    }
  }
  return { command, ...named, wave, yes, help, windowMinutes, intervalSeconds };
}
