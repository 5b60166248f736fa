import {
  GetMetricDataCommand,
  type CloudWatchClient,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { AwsCall } from '../aws-calls';
import { raceAbort } from '../synthetic/abort';
import { describeError } from '../synthetic/describe-error';
import type { CallCounts, Evidence } from './judge';
import { MINUTE_MS } from '../model/metric-delay';

/** The release's Lambda metrics: GetMetricData has no resource type. */
export const AWS_CALLS: readonly AwsCall[] = [
  { command: 'GetMetricDataCommand', action: 'cloudwatch:GetMetricData', on: 'none' },
];

/** Which release to read: one version of one function, through one alias. */
export interface ReleaseQuery {
  /** The function's plain name. */
  readonly functionName: string;
  /** The alias real traffic comes through, `live`. */
  readonly alias: string;
  /** The version being released (`ExecutedVersion`). */
  readonly version: string;
  /** Calls slower than this many milliseconds are slow. */
  readonly p99LatencyMs: number;
  /** The first minute judged (ms since the epoch, a whole minute). */
  readonly from: number;
  /** The end of the last minute judged (exclusive, a whole minute). */
  readonly to: number;
}

/** GetMetricData takes at most 500 queries; a release needs {@link QUERIES_PER_RELEASE}. */
const MAX_QUERIES = 500;
/** Pages read at most per call: a page holds 100,800 datapoints, far more than a window. */
const MAX_PAGES = 20;

/**
 * The metrics of a release, as Lambda publishes them (Lambda developer guide, "Types of metrics
 * for Lambda functions"): per function (`FunctionName`), per alias (`FunctionName`, `Resource` =
 * `<function>:<alias>`), and per version run through the alias (`ExecutedVersion` added).
 * Invocations of the version made directly (by the hooks) are not in the alias's metrics.
 */
const QUERIES = {
  releasedCalls: ['version', 'Invocations', 'Sum'],
  releasedErrors: ['version', 'Errors', 'Sum'],
  releasedFast: ['version', 'Duration', 'PR'],
  releasedThrottles: ['version', 'Throttles', 'Sum'],
  aliasCalls: ['alias', 'Invocations', 'Sum'],
  aliasErrors: ['alias', 'Errors', 'Sum'],
  aliasFast: ['alias', 'Duration', 'PR'],
  functionCalls: ['function', 'Invocations', 'Sum'],
  functionThrottles: ['function', 'Throttles', 'Sum'],
} as const;

type QueryKey = keyof typeof QUERIES;
export const QUERIES_PER_RELEASE = Object.keys(QUERIES).length;

/**
 * Reads the evidence of each release from CloudWatch, in as few GetMetricData calls as the
 * 500-query limit allows: per minute, the new version's calls, failures, calls slower than the
 * p99 threshold (`PR(:threshold)`, the percentile rank of the threshold: the share of calls at or
 * below it) and throttles; the old version's as the alias's minus the new one's; and the
 * function's calls and throttles in the judged minutes and in as many minutes before them.
 *
 * @throws Error naming the call that failed
 */
export async function readEvidence(
  client: CloudWatchClient,
  releases: readonly ReleaseQuery[],
  signal?: AbortSignal,
): Promise<Evidence[]> {
  const perCall = Math.floor(MAX_QUERIES / QUERIES_PER_RELEASE);
  const results: Evidence[] = [];
  for (let i = 0; i < releases.length; i += perCall) {
    const batch = releases.slice(i, i + perCall);
    const series = await fetchSeries(client, batch, signal);
    results.push(
      ...batch.map((release, j) => toEvidence(release, (key) => series.get(id(j, key)))),
    );
  }
  return results;
}

type Series = ReadonlyMap<number, number>;

async function fetchSeries(
  client: CloudWatchClient,
  batch: readonly ReleaseQuery[],
  signal?: AbortSignal,
): Promise<Map<string, Map<number, number>>> {
  const queries: MetricDataQuery[] = batch.flatMap((release, j) =>
    (Object.keys(QUERIES) as QueryKey[]).map((key) => metricQuery(release, j, key)),
  );
  const start = Math.min(...batch.map((r) => r.from - (r.to - r.from)));
  const end = Math.max(...batch.map((r) => r.to));
  const series = new Map<string, Map<number, number>>();
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const request = client.send(
      new GetMetricDataCommand({
        StartTime: new Date(start),
        EndTime: new Date(end),
        MetricDataQueries: queries,
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      }),
      { abortSignal: signal },
    );
    const answer = await (signal ? raceAbort(request, signal) : request).catch((error: unknown) => {
      throw new Error(`CloudWatch GetMetricData failed: ${describeError(error)}`, {
        cause: error,
      });
    });
    for (const result of answer.MetricDataResults ?? []) {
      if (result.Id === undefined) continue;
      const values = series.get(result.Id) ?? new Map<number, number>();
      (result.Timestamps ?? []).forEach((timestamp, k) => {
        const value = result.Values?.[k];
        if (value !== undefined) values.set(new Date(timestamp).getTime(), value);
      });
      series.set(result.Id, values);
    }
    nextToken = answer.NextToken;
    if (nextToken === undefined) break;
  }
  return series;
}

function id(release: number, key: QueryKey): string {
  return `r${release}_${key}`;
}

function metricQuery(release: ReleaseQuery, j: number, key: QueryKey): MetricDataQuery {
  const [scope, metricName, stat] = QUERIES[key];
  const dimensions = [{ Name: 'FunctionName', Value: release.functionName }];
  if (scope !== 'function') {
    dimensions.push({ Name: 'Resource', Value: `${release.functionName}:${release.alias}` });
  }
  if (scope === 'version') dimensions.push({ Name: 'ExecutedVersion', Value: release.version });
  return {
    Id: id(j, key),
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName: metricName, Dimensions: dimensions },
      Period: MINUTE_MS / 1000,
      Stat: stat === 'PR' ? `PR(:${release.p99LatencyMs})` : stat,
    },
  };
}

/** Turns the per-minute series of one release into its evidence. */
export function toEvidence(
  release: ReleaseQuery,
  series: (key: QueryKey) => Series | undefined,
): Evidence {
  const inRange = (from: number, to: number) => (t: number) => t >= from && t < to;
  const judged = inRange(release.from, release.to);
  const before = inRange(release.from - (release.to - release.from), release.from);
  const sum = (key: QueryKey, within: (t: number) => boolean) => {
    let total = 0;
    for (const [t, v] of series(key) ?? []) if (within(t)) total += v;
    return Math.round(total);
  };
  /** Calls above the threshold, minute by minute: calls × (1 − PR/100). */
  const slow = (calls: QueryKey, fast: QueryKey) => {
    let total = 0;
    const ranks = series(fast) ?? new Map<number, number>();
    for (const [t, n] of series(calls) ?? []) {
      const rank = ranks.get(t);
      if (judged(t) && rank !== undefined) total += n * (1 - rank / 100);
    }
    return Math.round(total);
  };
  const released: CallCounts = {
    calls: sum('releasedCalls', judged),
    errors: sum('releasedErrors', judged),
    slow: slow('releasedCalls', 'releasedFast'),
  };
  const alias: CallCounts = {
    calls: sum('aliasCalls', judged),
    errors: sum('aliasErrors', judged),
    slow: slow('aliasCalls', 'aliasFast'),
  };
  const previous: CallCounts = {
    calls: Math.max(0, alias.calls - released.calls),
    errors: Math.max(0, alias.errors - released.errors),
    slow: Math.max(0, alias.slow - released.slow),
  };
  const published = [...(series('releasedThrottles') ?? [])].some(([t]) => judged(t));
  return {
    released,
    previous,
    throttles: {
      ...(published && {
        released: { throttles: sum('releasedThrottles', judged), calls: released.calls },
      }),
      during: { throttles: sum('functionThrottles', judged), calls: sum('functionCalls', judged) },
      before: { throttles: sum('functionThrottles', before), calls: sum('functionCalls', before) },
    },
  };
}
