import { Duration } from 'aws-cdk-lib';
import { MathExpression, Metric } from 'aws-cdk-lib/aws-cloudwatch';
import { LIVE_ALIAS, serviceBaseName } from '../resource-names';

/** One minute: the period of the alarms, so the dashboards show what the alarms see. */
export const METRIC_PERIOD = Duration.minutes(1);

/** The metrics the dashboards chart for one service. */
export interface ServiceMetrics {
  /** Invocations of the `live` alias, per minute. */
  readonly invocations: Metric;
  /** Errors of the `live` alias, per minute. */
  readonly errors: Metric;
  /** Throttles of the `live` alias, per minute. */
  readonly throttles: Metric;
  /** Duration of the `live` alias at a statistic such as `p99`. */
  duration(statistic: string): Metric;
  /** Concurrent executions of the function (all versions), per minute at the maximum. */
  readonly concurrentExecutions: Metric;
  /** Errors as a percentage of invocations. */
  errorRate(label?: string): MathExpression;
  /** Invocations of the alias split by the version that ran them: the canary's traffic split. */
  readonly invocationsByVersion: MathExpression;
}

/**
 * The metrics of a service by its deterministic names (`FunctionName` = `<stage>-<service>`,
 * `Resource` = `<stage>-<service>:live`), so a dashboard in any stack of the stage can chart them
 * without a reference to the function.
 */
export function serviceMetrics(prefix: string, service: string, label = service): ServiceMetrics {
  const functionName = serviceBaseName(prefix, service);
  const aliasDimensions = { FunctionName: functionName, Resource: `${functionName}:${LIVE_ALIAS}` };
  const metric = (
    metricName: string,
    statistic: string,
    dimensionsMap: Record<string, string> = aliasDimensions,
  ) =>
    new Metric({
      namespace: 'AWS/Lambda',
      metricName,
      dimensionsMap,
      statistic,
      period: METRIC_PERIOD,
      label: `${label} ${metricName.toLowerCase()}`,
    });
  const invocations = metric('Invocations', 'Sum');
  const errors = metric('Errors', 'Sum');
  // Expression ids are unique per service, so one graph can hold the rates of many services.
  const idSuffix = service.replace(/-/g, '_');
  const [inv, err] = [`invocations_${idSuffix}`, `errors_${idSuffix}`];
  return {
    invocations,
    errors,
    throttles: metric('Throttles', 'Sum'),
    duration: (statistic) => metric('Duration', statistic).with({ label: `${label} ${statistic}` }),
    concurrentExecutions: metric('ConcurrentExecutions', 'Maximum', {
      FunctionName: functionName,
    }),
    errorRate: (rateLabel = `${label} error rate %`) =>
      new MathExpression({
        expression: `IF(${inv} > 0, 100 * ${err} / ${inv}, 0)`,
        usingMetrics: { [inv]: invocations, [err]: errors },
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
  };
}
