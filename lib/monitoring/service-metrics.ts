import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric, type IMetric } from 'aws-cdk-lib/aws-cloudwatch';
import type { AlarmThresholds } from '../config/model';
import { LIVE_ALIAS, serviceBaseName } from '../resource-names';

/** One minute: the period of the alarms, so the dashboards show what the alarms see. */
export const METRIC_PERIOD = Duration.minutes(1);

/** The p99 alarms fire on this many breaching minutes out of the last few. */
export const LATENCY_WINDOW = { datapoints: 2, minutes: 3 } as const;

/** The Lambda metrics of one slice of a service's traffic: the whole alias, or one version. */
export interface TrafficMetrics {
  readonly invocations: Metric;
  readonly errors: Metric;
  readonly throttles: Metric;
  /** Duration at a statistic such as `p99`. */
  duration(statistic: string): Metric;
}

/** The metrics the dashboards and alarms use for one service. */
export interface ServiceMetrics extends TrafficMetrics {
  /** Concurrent executions of the function (all versions), per minute at the maximum. */
  readonly concurrentExecutions: Metric;
  /** Errors as a percentage of invocations of the alias. */
  errorRate(label?: string): MathExpression;
  /** Invocations of the alias split by the version that ran them: the canary's traffic split. */
  readonly invocationsByVersion: MathExpression;
  /**
   * The traffic of one version through the alias: Lambda publishes alias metrics per
   * `ExecutedVersion`, so during a canary these measure the new code alone.
   */
  version(version: string): TrafficMetrics;
}

/**
 * The metrics of a service by its deterministic names (`FunctionName` = `<prefix>-<service>`,
 * `Resource` = `<prefix>-<service>:live`), so that a dashboard or alarm in any stack of the stage
 * can use them without a reference to the function.
 */
export function serviceMetrics(prefix: string, service: string, label = service): ServiceMetrics {
  const functionName = serviceBaseName(prefix, service);
  const alias = { FunctionName: functionName, Resource: `${functionName}:${LIVE_ALIAS}` };
  const traffic = (dimensionsMap: Record<string, string>, of: string): TrafficMetrics => {
    const metric = (metricName: string, statistic: string) =>
      new Metric({
        namespace: 'AWS/Lambda',
        metricName,
        dimensionsMap,
        statistic,
        period: METRIC_PERIOD,
        label: `${of} ${metricName.toLowerCase()}`,
      });
    return {
      invocations: metric('Invocations', 'Sum'),
      errors: metric('Errors', 'Sum'),
      throttles: metric('Throttles', 'Sum'),
      duration: (statistic) => metric('Duration', statistic).with({ label: `${of} ${statistic}` }),
    };
  };
  const onAlias = traffic(alias, label);
  // Expression ids are unique per service, so one graph can hold the rates of many services.
  const idSuffix = service.replace(/-/g, '_');
  return {
    ...onAlias,
    concurrentExecutions: new Metric({
      namespace: 'AWS/Lambda',
      metricName: 'ConcurrentExecutions',
      dimensionsMap: { FunctionName: functionName },
      statistic: 'Maximum',
      period: METRIC_PERIOD,
      label: `${label} concurrent executions`,
    }),
    errorRate: (rateLabel = `${label} error rate %`) =>
      new MathExpression({
        expression: `IF(invocations_${idSuffix} > 0, 100 * errors_${idSuffix} / invocations_${idSuffix}, 0)`,
        usingMetrics: {
          [`invocations_${idSuffix}`]: onAlias.invocations,
          [`errors_${idSuffix}`]: onAlias.errors,
        },
        label: rateLabel,
        period: METRIC_PERIOD,
      }),
    invocationsByVersion: new MathExpression({
      expression: `SEARCH('{AWS/Lambda,ExecutedVersion,FunctionName,Resource} MetricName="Invocations" FunctionName="${functionName}" Resource="${functionName}:${LIVE_ALIAS}"', 'Sum', 60)`,
      usingMetrics: {},
      // A dynamic label: one line per version, named after it.
      label: "version ${PROP('Dim.ExecutedVersion')}",
      period: METRIC_PERIOD,
    }),
    version: (version) => traffic({ ...alias, ExecutedVersion: version }, `${label} v${version}`),
  };
}

/**
 * Errors as a percentage of invocations in each minute that saw at least `minInvocations` of
 * them, else 0: a minute with two calls and one error is not a 50% error rate worth a rollback.
 */
export function judgedErrorRate(
  traffic: TrafficMetrics,
  minInvocations: number,
  label: string,
): MathExpression {
  return new MathExpression({
    expression: `IF(inv >= ${minInvocations}, 100 * err / inv, 0)`,
    usingMetrics: { inv: traffic.invocations, err: traffic.errors },
    label,
    period: METRIC_PERIOD,
  });
}

/**
 * How far the new version's error rate is above the old version's, in percentage points, in each
 * minute where both served at least `minInvocations` (else 0). During a canary the alias serves
 * the two versions only, so the old version's traffic is the alias's minus the new version's.
 */
export function errorRateAboveBaseline(
  alias: TrafficMetrics,
  canary: TrafficMetrics,
  minInvocations: number,
): MathExpression {
  return new MathExpression({
    expression:
      `IF(newInv >= ${minInvocations} AND (allInv - newInv) >= ${minInvocations}, ` +
      '100 * newErr / newInv - 100 * (allErr - newErr) / (allInv - newInv), 0)',
    usingMetrics: {
      allInv: alias.invocations,
      allErr: alias.errors,
      newInv: canary.invocations,
      newErr: canary.errors,
    },
    label: 'error rate above the old version (points)',
    period: METRIC_PERIOD,
  });
}

/**
 * One number for a service's health on the alias: the largest of error rate, p99 duration and
 * throttles, each divided by its threshold. Above 1, at least one is over its threshold. It lets
 * one alarm per service watch all three, which keeps a stage of hundreds of services within
 * CloudFormation's resource limit and a composite alarm's 100 children.
 */
export function healthIndex(metrics: ServiceMetrics, thresholds: AlarmThresholds): IMetric {
  return new MathExpression({
    expression:
      `MAX([IF(inv >= ${thresholds.minInvocationsPerMinute}, 100 * err / inv, 0) / ${thresholds.errorRatePercent}, ` +
      `FILL(p99, 0) / ${thresholds.p99LatencyMs}, FILL(thr, 0) / ${thresholds.maxThrottles}])`,
    usingMetrics: {
      inv: metrics.invocations,
      err: metrics.errors,
      p99: metrics.duration('p99'),
      thr: metrics.throttles,
    },
    label: 'health index (1 = a threshold)',
    period: METRIC_PERIOD,
  });
}
