import { GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { count, percent, timestamp } from '../format';
import { describeEnvironment, environmentLoader } from '../target';
import { EXIT, type Command, type EnvironmentTarget, type ServiceTarget } from '../types';

/** The alias metrics `metrics` reads, each per minute like the alarms. */
const QUERIES = [
  { id: 'invocations', metricName: 'Invocations', stat: 'Sum' },
  { id: 'errors', metricName: 'Errors', stat: 'Sum' },
  { id: 'throttles', metricName: 'Throttles', stat: 'Sum' },
  { id: 'p99', metricName: 'Duration', stat: 'p99' },
] as const;
type QueryId = (typeof QUERIES)[number]['id'];

/** GetMetricData takes at most 500 queries per call. */
const MAX_QUERIES = 500;

/**
 * Reads invocations, errors, throttles and p99 duration of each service's live alias per minute
 * over the last `windowMinutes` in every chosen environment (GetMetricData in its region,
 * following NextToken) and checks every minute against the service's thresholds from the model,
 * the thresholds of its rollback alarms. The alias carries every version it routes to, so this is
 * the fleet's view: during a canary the rollback alarms judge the new version alone. Exits 0 if
 * every check passes, 1 otherwise, 2 if an environment could not be read.
 */
export const metrics: Command = async (
  selection,
  { clients, out, now, windowMinutes, account },
) => {
  const { stage, environments } = selection;
  const end = new Date(Math.floor(now().getTime() / 60_000) * 60_000);
  const start = new Date(end.getTime() - windowMinutes * 60_000);
  out(
    `${stage.name}: live alias metrics from ${timestamp(start)} to ${timestamp(end)} (${windowMinutes} min), each minute checked against the alarm thresholds`,
  );
  const load = environmentLoader(selection, clients, account);
  const indented = (line: string) => out(line ? `  ${line}` : line);
  let failures = 0;
  const missed: string[] = [];
  for (const choice of environments) {
    out('');
    out(describeEnvironment(choice));
    const { target, why } = await load(choice);
    if (!target) {
      out(`  ✖ ${why}`);
      missed.push(choice.environment.name);
      continue;
    }
    const values = await readMetrics(target, start, end);
    for (const [index, svc] of target.services.entries()) {
      const series = (id: QueryId) => values.get(`${id}${index}`) ?? [];
      failures += report(svc, series, indented);
    }
  }
  out('');
  if (missed.length > 0) out(`✖ not read: ${missed.join(', ')} (see above)`);
  out(failures === 0 ? '✔ every check passed' : `✖ ${failures} check(s) failed`);
  if (missed.length > 0) return EXIT.unusable;
  return failures === 0 ? EXIT.ok : EXIT.failed;
};

/** Every query's values, by query id, over [start, end). */
async function readMetrics(
  target: EnvironmentTarget,
  start: Date,
  end: Date,
): Promise<Map<string, number[]>> {
  const queries = target.services.flatMap((svc, index) =>
    QUERIES.map((q): MetricDataQuery => ({
      Id: `${q.id}${index}`,
      MetricStat: {
        Metric: {
          Namespace: 'AWS/Lambda',
          MetricName: q.metricName,
          Dimensions: [
            { Name: 'FunctionName', Value: svc.functionName },
            { Name: 'Resource', Value: `${svc.functionName}:${svc.aliasName}` },
          ],
        },
        Period: 60,
        Stat: q.stat,
      },
      ReturnData: true,
    })),
  );
  const values = new Map<string, number[]>();
  for (let i = 0; i < queries.length; i += MAX_QUERIES) {
    let nextToken: string | undefined;
    do {
      const page = await target.clients.cloudwatch.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries.slice(i, i + MAX_QUERIES),
          StartTime: start,
          EndTime: end,
          ScanBy: 'TimestampAscending',
          NextToken: nextToken,
        }),
      );
      for (const result of page.MetricDataResults ?? []) {
        values.set(result.Id!, [...(values.get(result.Id!) ?? []), ...(result.Values ?? [])]);
      }
      nextToken = page.NextToken;
    } while (nextToken);
  }
  return values;
}

/** Prints one service's numbers and checks; returns how many checks failed. */
function report(
  svc: ServiceTarget,
  series: (id: QueryId) => number[],
  out: (line: string) => void,
): number {
  const { errorRatePercent, minInvocationsPerMinute, p99LatencyMs, maxThrottles } =
    svc.service.alarms;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const worst = (xs: number[]) => (xs.length > 0 ? Math.max(...xs) : undefined);
  const perMinute = series('invocations');
  const invocations = sum(perMinute);
  const errors = series('errors');
  // The error-rate alarm judges only minutes with enough invocations, as here.
  const rates = perMinute.flatMap((inv, i) =>
    inv >= minInvocationsPerMinute ? [(100 * (errors[i] ?? 0)) / inv] : [],
  );
  const checks = [
    check(
      'errors',
      worst(rates),
      (v) => v > errorRatePercent,
      `alarm above ${errorRatePercent}% of ${minInvocationsPerMinute}+/min`,
      (v) => percent(v / 100),
    ),
    check(
      'p99',
      worst(series('p99')),
      (v) => v > p99LatencyMs,
      `alarm above ${p99LatencyMs} ms`,
      (v) => `${count(v)} ms`,
    ),
    check(
      'throttles',
      worst(series('throttles')),
      (v) => v >= maxThrottles,
      `alarm at ${maxThrottles} or more`,
      count,
    ),
  ];
  out('');
  out(`${svc.service.name} (${svc.functionName}:${svc.aliasName})`);
  out(
    `  error rate   ${invocations > 0 ? percent(sum(errors) / invocations) : 'n/a'} (${count(sum(errors))} of ${count(invocations)} invocations failed)`,
  );
  for (const c of checks) out(`  ${c.line}`);
  return checks.filter((c) => !c.passed).length;
}

function check(
  name: string,
  worstMinute: number | undefined,
  breaches: (value: number) => boolean,
  threshold: string,
  format: (value: number) => string,
): { passed: boolean; line: string } {
  const passed = worstMinute === undefined || !breaches(worstMinute);
  const value = worstMinute === undefined ? 'no data' : format(worstMinute);
  const text = `worst minute ${value}, ${threshold}`;
  return { passed, line: `${name.padEnd(11)}  ${text.padEnd(46)} ${passed ? 'PASS' : 'FAIL'}` };
}
