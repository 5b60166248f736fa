import { PROMOTE_LIMITATION } from './commands/promote';

/** The commands, in the order `--help` lists them. */
export const COMMAND_NAMES = ['status', 'watch', 'metrics', 'rollback', 'stop', 'promote'] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];

/** Default minutes of metrics `metrics` checks. */
export const DEFAULT_WINDOW_MINUTES = 15;
/** Default seconds between polls of `watch`. */
export const DEFAULT_INTERVAL_SECONDS = 15;

export const HELP = `Usage: npm run ops -- <command> --stage <stage> [--service <service>] [options]

Operates the services of a deployed stage. Every resource is found from the outputs of the
stage's CloudFormation stacks (<stage>-<service>, or <stage>-<stack> for a shared stack);
stages and services come from the validated configuration (stages/*.ts,
services/*/service.ts). Credentials come from the usual
AWS SDK chain (AWS_PROFILE, aws sso login, ...) and must reach the stage's account.

Commands:
  status     Per service: the live alias's version and traffic weights, the latest
             deployment's state, the alarm states, and the dashboards.
  watch      Follows the in-progress deployments live: a progress bar of the traffic on the
             new version (from the alias's routing), the time left in the canary window and
             the alarm states. Exits 1 if a deployment fails or is stopped (it rolls back).
  metrics    Error rate, invocations and p99 duration of each live alias over a window,
             every minute checked against the service's alarm thresholds. Exits 0 if all
             pass, 1 if any fails.
  rollback   Points the live alias back at the version that was live before, with no extra
             weights, after a confirmation, and verifies it. Refuses while a deployment is in
             progress (use stop).
  stop       Stops the in-progress deployment with automatic rollback (no confirmation:
             stopping is the safe direction).
  promote    Ends a canary's wait early, after a confirmation. ${PROMOTE_LIMITATION}
             So promote does the closest thing: it shifts 100% of the live alias to the new
             version now and verifies it; the deployment still completes when its canary
             window ends, runs the post-traffic hook, and an alarm until then still rolls
             back. Canary deployments only (a linear one would reset the weights).

Options:
  --stage <stage>      the stage to act on (required)
  --service <service>  one service of the stage (default: all; rollback, stop and promote
                       need one when the stage runs several)
  --yes, -y            do not ask for confirmation (rollback, promote)
  --window <minutes>   metrics: minutes to check (default ${DEFAULT_WINDOW_MINUTES})
  --interval <seconds> watch: seconds between polls (default ${DEFAULT_INTERVAL_SECONDS})
  --help, -h           show this help

Exit codes: 0 done or all checks passed; 1 a check failed, a deployment failed or rolled back,
a change did not verify, or the confirmation was declined; 2 could not act (usage, unknown
stage or service, no credentials, missing stack, nothing in progress).`;

export interface OpsOptions {
  readonly command?: CommandName;
  readonly stage?: string;
  readonly service?: string;
  readonly yes: boolean;
  readonly help: boolean;
  readonly windowMinutes: number;
  readonly intervalSeconds: number;
}

/** A mistake on the command line. */
export class UsageError extends Error {}

export function parseArgs(argv: readonly string[]): OpsOptions {
  let command: CommandName | undefined;
  let stage: string | undefined;
  let service: string | undefined;
  let yes = false;
  let help = false;
  let windowMinutes = DEFAULT_WINDOW_MINUTES;
  let intervalSeconds = DEFAULT_INTERVAL_SECONDS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/) : [arg];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith('-')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const positive = (what: string): number => {
      const raw = value();
      const n = Number(raw);
      if (!Number.isInteger(n) || n <= 0) {
        throw new UsageError(`${flag} needs a positive whole number of ${what}, got "${raw}"`);
      }
      return n;
    };
    if (flag === '--help' || flag === '-h') help = true;
    else if (flag === '--yes' || flag === '-y') yes = true;
    else if (flag === '--stage') stage = value();
    else if (flag === '--service') service = value();
    else if (flag === '--window') windowMinutes = positive('minutes');
    else if (flag === '--interval') intervalSeconds = positive('seconds');
    else if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
    else if (command === undefined) {
      if (!(COMMAND_NAMES as readonly string[]).includes(arg)) {
        throw new UsageError(`unknown command "${arg}": use one of ${COMMAND_NAMES.join(', ')}`);
      }
      command = arg as CommandName;
    } else throw new UsageError(`unexpected argument "${arg}"`);
  }
  return { command, stage, service, yes, help, windowMinutes, intervalSeconds };
}
