import { GetMetricDataCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { raceAbort } from '../synthetic/abort';
import { describeError } from '../synthetic/describe-error';

/** Which invocations to count: those of one version, served through one alias. */
export interface InvocationQuery {
  /** The function's plain name. */
  readonly functionName: string;
  /** The alias the invocations came through, e.g. `live`. */
  readonly alias: string;
  /** The version that served them (`ExecutedVersion`). */
  readonly version: string;
  readonly from: Date;
  readonly to: Date;
}

/** The metric period, in seconds: Lambda publishes per minute. */
const PERIOD_SECONDS = 60;
/** Pages read at most: a window of a day at one-minute periods fits in one page. */
const MAX_PAGES = 10;

/**
 * Sums the `AWS/Lambda` `Invocations` metric of one version served through an alias
 * (dimensions `FunctionName`, `Resource` = `<function>:<alias>`, `ExecutedVersion`), per
 * minute, from the start of the minute of `from` to `to`. Invocations of the version made
 * directly (not through the alias, e.g. by the pre-traffic hook) are not counted.
 *
 * CloudWatch receives Lambda's metrics one to three minutes late: the last minutes before `to`
 * may be missing, so the count can be low, never high.
 *
 * @throws Error naming the call that failed
 */
export async function countInvocations(
  client: CloudWatchClient,
  query: InvocationQuery,
  signal: AbortSignal,
): Promise<number> {
  const start = new Date(Math.floor(query.from.getTime() / 60_000) * 60_000);
  let total = 0;
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await raceAbort(
      client.send(
        new GetMetricDataCommand({
          StartTime: start,
          EndTime: query.to,
          NextToken: nextToken,
          MetricDataQueries: [
            {
              Id: 'invocations',
              ReturnData: true,
              MetricStat: {
                Metric: {
                  Namespace: 'AWS/Lambda',
                  MetricName: 'Invocations',
                  Dimensions: [
                    { Name: 'FunctionName', Value: query.functionName },
                    { Name: 'Resource', Value: `${query.functionName}:${query.alias}` },
                    { Name: 'ExecutedVersion', Value: query.version },
                  ],
                },
                Period: PERIOD_SECONDS,
                Stat: 'Sum',
              },
            },
          ],
        }),
        { abortSignal: signal },
      ),
      signal,
    ).catch((error: unknown) => {
      throw new Error(`CloudWatch GetMetricData failed: ${describeError(error)}`, {
        cause: error,
      });
    });
    for (const result of answer.MetricDataResults ?? []) {
      for (const value of result.Values ?? []) total += value;
    }
    nextToken = answer.NextToken;
    if (nextToken === undefined) break;
  }
  return total;
}
