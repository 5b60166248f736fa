import {
  PutMetricDataCommand,
  type CloudWatchClient,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import type { AwsCall } from '../aws-calls';
import { describeError } from '../synthetic/describe-error';
import type { Verdict } from './judge';
import {
  VERDICT_METRICS,
  VERDICT_NAMESPACE,
  verdictDimensions,
  type VerdictMetricKey,
} from './verdict-metric';

/** Verdicts go to the judge's own namespace; PutMetricData has no resource type. */
export const AWS_CALLS: readonly AwsCall[] = [
  {
    command: 'PutMetricDataCommand',
    action: 'cloudwatch:PutMetricData',
    on: 'none',
    context: { 'cloudwatch:namespace': VERDICT_NAMESPACE },
  },
];

/** A verdict on one release, to record. */
export interface VerdictRecord {
  readonly functionName: string;
  readonly version: string;
  readonly verdict: Verdict;
}

/** PutMetricData takes at most 1,000 datapoints a call. */
const MAX_DATUMS = 1000;

/** The datapoints of one verdict (see `verdict-metric.ts`). */
export function verdictDatums(record: VerdictRecord, at: Date): MetricDatum[] {
  const { verdict } = record;
  const test = (name: string) => verdict.tests.find((t) => t.test === name);
  const values: Record<VerdictMetricKey, number> = {
    verdict: verdict.decision === 'roll-back' ? 1 : 0,
    invocations: test('errors')?.outcomes.n ?? 0,
    errors: test('errors')?.outcomes.x ?? 0,
    slow: test('latency')?.outcomes.x ?? 0,
    throttles: test('throttles')?.outcomes.x ?? 0,
    evidence: Math.max(...verdict.tests.map((t) => t.llr)),
  };
  return (Object.keys(values) as VerdictMetricKey[]).map((key) => ({
    MetricName: VERDICT_METRICS[key],
    Dimensions: verdictDimensions(record.functionName, record.version),
    Timestamp: at,
    Value: values[key],
    Unit: key === 'verdict' || key === 'evidence' ? 'None' : 'Count',
  }));
}

/**
 * Records verdicts as custom metrics, in as few calls as CloudWatch allows.
 * @throws Error naming the call that failed
 */
export async function publishVerdicts(
  client: CloudWatchClient,
  records: readonly VerdictRecord[],
  at: Date,
): Promise<void> {
  const datums = records.flatMap((r) => verdictDatums(r, at));
  for (let i = 0; i < datums.length; i += MAX_DATUMS) {
    await client
      .send(
        new PutMetricDataCommand({
          Namespace: VERDICT_NAMESPACE,
          MetricData: datums.slice(i, i + MAX_DATUMS),
        }),
      )
      .catch((error: unknown) => {
        throw new Error(`CloudWatch PutMetricData failed: ${describeError(error)}`, {
          cause: error,
        });
      });
  }
}
