import { MAX_SYNTHETIC_CALLS } from '../../runtime/hooks/post-traffic-judgement';
import { percent } from '../../runtime/judge/judge';
import { shiftMinutes } from '../../runtime/model/traffic-shift';
import { ConfigError } from '../../lib/config/config-error';
import type { AppModel, StageModel } from '../../lib/config/model';
import { strategyLabel } from '../../lib/config/strategy';
import { judgePolicy, trafficShift } from '../../lib/service/judge-policy';
import { LATENCY_SIGMA } from './latency';
import type { Scenario, SimulatedService } from './release';
import { runSimulations, type SimulationSummary } from './run';

/** Exit codes of `npm run simulate`. */
export const EXIT = { ok: 0, usage: 2 } as const;

export const DEFAULT_RUNS = 1000;
export const DEFAULT_SEED = 1;
/** The old version's error rate unless told, in percent. */
export const DEFAULT_BASELINE_ERROR_RATE = 0.1;

export const HELP = `Usage:
  npm run -s simulate -- <service> --rpm N --error-rate P [options]

Runs simulated releases of one service with its real stage configuration (strategy,
thresholds, judgement, hooks, onQuiet) through the code the deployed release judge and
post-traffic hook run: Poisson calls split by CodeDeploy's weights, Lambda's per-minute metrics
reaching CloudWatch 1 to 3 minutes late, the verdict alarm evaluated as CloudWatch does, and
CodeDeploy's order (pre-traffic hook, shift, 100%, post-traffic hook). Rates are percentages.

Options:
  --stage <stage>              the stage (default: the last stage that deploys the service)
  --rpm <n>                    calls a minute to the service's alias (required)
  --error-rate <p>             the new version's failed calls, % (required)
  --baseline-error-rate <p>    the old version's, % (default ${DEFAULT_BASELINE_ERROR_RATE})
  --p99-ms <ms>                the new version's p99 duration (default: the old version's)
  --baseline-p99-ms <ms>       the old version's p99 (default: half the service's p99 threshold)
  --throttle-rate <p>          the new version's throttled calls, % (default 0)
  --throttles-by-version       Lambda publishes Throttles per executed version (undocumented;
                               default: it does not, the judge reads the function's throttles)
  --checks-see-errors          the synthetic checks reach the failing code (default: they do not)
  --runs <k>                   releases to simulate (default ${DEFAULT_RUNS})
  --seed <s>                   the random seed (default ${DEFAULT_SEED}): same seed, same result
  --json                       print {"runs","rolledBackBefore100","rolledBackAfter100","completed"}
  --help                       show this help

Exit codes: 0 done, 2 usage or configuration error.`;

/** Where the command reads and writes; injectable for tests. */
export interface SimulateCliIo {
  readonly argv: readonly string[];
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly load: () => AppModel;
}

class UsageError extends Error {}

interface Options {
  service?: string;
  stage?: string;
  rpm?: number;
  errorRate?: number;
  baselineErrorRate: number;
  p99Ms?: number;
  baselineP99Ms?: number;
  throttleRate: number;
  throttlesByVersion: boolean;
  checksSeeErrors: boolean;
  runs: number;
  seed: number;
  json: boolean;
  help: boolean;
}

/** Runs the command and returns its exit code; never calls `process.exit`. */
export function main(io: SimulateCliIo): number {
  let options: Options;
  try {
    options = parseArgs(io.argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`simulate: ${error.message} (see --help)`);
    return EXIT.usage;
  }
  if (options.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }
  let model: AppModel;
  try {
    model = io.load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`simulate: invalid configuration\n  ${error.message}`);
    return EXIT.usage;
  }
  let service: SimulatedService;
  let scenario: Scenario;
  try {
    service = simulatedService(model, options.service!, options.stage);
    const threshold = service.policy.p99LatencyMs;
    const baselineP99Ms = options.baselineP99Ms ?? threshold / 2;
    scenario = {
      requestsPerMinute: options.rpm!,
      errorRate: options.errorRate! / 100,
      baselineErrorRate: options.baselineErrorRate / 100,
      p99Ms: options.p99Ms ?? baselineP99Ms,
      baselineP99Ms,
      throttleRate: options.throttleRate / 100,
      throttlesByVersion: options.throttlesByVersion,
      checksSeeErrors: options.checksSeeErrors,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`simulate: ${error.message}`);
    return EXIT.usage;
  }
  const summary = runSimulations(service, scenario, options.runs, options.seed);
  if (options.json) {
    io.stdout(
      JSON.stringify({
        runs: summary.runs,
        rolledBackBefore100: summary.rolledBackBefore100,
        rolledBackAfter100: summary.rolledBackAfter100,
        completed: summary.completed,
      }),
    );
  } else {
    io.stdout(describeSummary(service, scenario, summary, options.seed));
  }
  return EXIT.ok;
}

/** The service as the simulator runs it, from its stage's configuration. */
export function simulatedService(
  model: AppModel,
  serviceName: string,
  stageName?: string,
): SimulatedService {
  const deploying = model.stages.filter((s) => s.services.some((x) => x.name === serviceName));
  if (deploying.length === 0) {
    const known = [...new Set(model.stages.flatMap((s) => s.services.map((x) => x.name)))];
    throw new UsageError(
      `unknown service "${serviceName}": the stages deploy ${known.sort().join(', ')}`,
    );
  }
  let stage: StageModel | undefined = deploying.at(-1);
  if (stageName !== undefined) {
    stage = deploying.find((s) => s.name === stageName);
    if (stage === undefined) {
      const exists = model.stages.some((s) => s.name === stageName);
      throw new UsageError(
        exists
          ? `service "${serviceName}" is not in stage "${stageName}": it is in ${deploying.map((s) => s.name).join(', ')}`
          : `unknown stage "${stageName}": the stages are ${model.stages.map((s) => s.name).join(', ')}`,
      );
    }
  }
  const service = stage!.services.find((s) => s.name === serviceName)!;
  return {
    name: service.name,
    stage: stage!.name,
    shift: trafficShift(service.strategy),
    policy: judgePolicy(service),
    onQuiet: service.canary.onQuiet,
    watchMinutes: service.canary.watchMinutes,
    checks: service.checks.length,
    maxSyntheticCalls: MAX_SYNTHETIC_CALLS,
  };
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = {
    baselineErrorRate: DEFAULT_BASELINE_ERROR_RATE,
    throttleRate: 0,
    throttlesByVersion: false,
    checksSeeErrors: false,
    runs: DEFAULT_RUNS,
    seed: DEFAULT_SEED,
    json: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/) : [arg];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (v.startsWith('-') && Number.isNaN(Number(v)))) {
        throw new UsageError(`${flag} needs a value`);
      }
      return v;
    };
    const number = (check: (n: number) => boolean, what: string): number => {
      const raw = value();
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n) || !check(n)) {
        throw new UsageError(`${flag} must be ${what}, got "${raw}"`);
      }
      return n;
    };
    const rate = () => number((n) => n >= 0 && n <= 100, 'a percentage from 0 to 100');
    const positive = () => number((n) => n > 0, 'a positive number');
    const whole = () => number((n) => Number.isInteger(n) && n > 0, 'a positive whole number');
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--json':
        options.json = true;
        break;
      case '--throttles-by-version':
        options.throttlesByVersion = true;
        break;
      case '--checks-see-errors':
        options.checksSeeErrors = true;
        break;
      case '--stage':
        options.stage = value();
        break;
      case '--rpm':
        options.rpm = positive();
        break;
      case '--error-rate':
        options.errorRate = rate();
        break;
      case '--baseline-error-rate':
        options.baselineErrorRate = rate();
        break;
      case '--throttle-rate':
        options.throttleRate = rate();
        break;
      case '--p99-ms':
        options.p99Ms = positive();
        break;
      case '--baseline-p99-ms':
        options.baselineP99Ms = positive();
        break;
      case '--runs':
        options.runs = whole();
        break;
      case '--seed':
        options.seed = number((n) => Number.isInteger(n), 'a whole number');
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option "${arg}"`);
        if (options.service !== undefined) throw new UsageError(`unexpected argument "${arg}"`);
        options.service = arg;
    }
  }
  if (options.help) return options;
  if (options.service === undefined) throw new UsageError('name a service');
  if (options.rpm === undefined) throw new UsageError('--rpm is required: calls a minute');
  if (options.errorRate === undefined) {
    throw new UsageError("--error-rate is required: the new version's failed calls, %");
  }
  return options;
}

/** The readable summary. */
export function describeSummary(
  service: SimulatedService,
  scenario: Scenario,
  summary: SimulationSummary,
  seed: number,
): string {
  const p = service.policy;
  const share = (n: number) => `${((100 * n) / summary.runs).toFixed(1)}%`;
  const when = (o: keyof SimulationSummary['minutes']) => {
    const m = summary.minutes[o];
    return m
      ? `, median ${m.median.toFixed(1)} min after the deployment started (p95 ${m.p95.toFixed(1)})`
      : '';
  };
  const row = (label: string, n: number, o: keyof SimulationSummary['minutes']) =>
    `  ${label.padEnd(24)} ${String(n).padStart(6)} (${share(n)})${when(o)}`;
  const rate = (r: number) => percent(r);
  return [
    `${service.name} in ${service.stage}: ${strategyLabelOf(service)}, shift ${shiftMinutes(service.shift)} min; judged on failed, slow (> ${p.p99LatencyMs} ms) and throttled calls at ${p.errorRatePercent}% against a healthy ${p.baselineErrorRatePercent}% (${p.confidencePercent}% confidence, ${p.powerPercent}% power); onQuiet ${service.onQuiet}, watch ${service.watchMinutes} min`,
    `traffic ${scenario.requestsPerMinute} calls/min; new version: ${rate(scenario.errorRate)} failing, p99 ${scenario.p99Ms} ms, ${rate(scenario.throttleRate)} throttled; old version: ${rate(scenario.baselineErrorRate)} failing, p99 ${scenario.baselineP99Ms} ms`,
    `${summary.runs} releases (seed ${seed}):`,
    row('rolled back before 100%', summary.rolledBackBefore100, 'rolledBackBefore100'),
    row('rolled back after 100%', summary.rolledBackAfter100, 'rolledBackAfter100'),
    row('completed', summary.completed, 'completed'),
    `  ended by: verdict alarm ${summary.by['verdict alarm']}, post-traffic hook ${summary.by['post-traffic hook']}, pre-traffic hook ${summary.by['pre-traffic hook']}`,
    ...Object.entries(summary.examples).map(([o, reason]) => `  e.g. ${o}: ${reason}`),
    `assumptions: log-normal durations (σ ${LATENCY_SIGMA}); Lambda's metrics reach CloudWatch 1-3 min late; Throttles per executed version: ${scenario.throttlesByVersion ? 'yes' : 'no'}; synthetic checks reach the fault: ${scenario.checksSeeErrors ? 'yes' : 'no'}`,
  ].join('\n');
}

function strategyLabelOf(service: SimulatedService): string {
  const s = service.shift;
  return s.kind === 'all-at-once'
    ? 'ALL_AT_ONCE'
    : strategyLabel({ kind: s.kind, percentage: s.percentage, intervalMinutes: s.intervalMinutes });
}
