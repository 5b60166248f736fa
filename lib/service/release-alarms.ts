import {
  Alarm,
  ComparisonOperator,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Version } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { ServiceModel } from '../config/model';
import {
  errorRateAboveBaseline,
  judgedErrorRate,
  LATENCY_WINDOW,
  serviceMetrics,
} from '../monitoring/service-metrics';
import { alarmName, LIVE_ALIAS } from '../resource-names';

export interface ReleaseAlarmsProps {
  /** The service, resolved for its stage. */
  readonly service: ServiceModel;
  /** `<pipelineName>-<stage>`: prefixes every physical name. */
  readonly prefix: string;
  /** The version being released: every alarm watches it alone. */
  readonly version: Version;
  /**
   * Told on ALARM and on OK.
   * @default no one (the alarms still roll deployments back)
   */
  readonly action?: IAlarmAction;
}

/**
 * The alarms that judge a release, on the new version only: Lambda publishes the alias's metrics
 * per `ExecutedVersion`, so during a canary these see the 10% that runs the new code, not the
 * 90% that still runs the old. An old version's errors do not roll back a fix on its way out, and
 * a bad new version is not diluted by the healthy fleet.
 *
 * - error rate above the service's threshold, judged only in minutes of enough invocations;
 * - p99 duration above its threshold for 2 of 3 minutes;
 * - throttles at or above their threshold;
 * - optionally, the new version's error rate above the old version's by a margin (the canary
 *   against the baseline running beside it).
 *
 * The alarms name the version, so each release updates them; the deployment group refers to
 * them and the alias to the deployment group, so CloudFormation updates them before the alias,
 * and they already watch the new version when CodeDeploy starts shifting traffic.
 */
export class ReleaseAlarms extends Construct {
  readonly alarms: readonly Alarm[];

  constructor(scope: Construct, id: string, props: ReleaseAlarmsProps) {
    super(scope, id);
    const { service, prefix } = props;
    const { alarms: t, canary } = service;
    const version = props.version.version;
    const metrics = serviceMetrics(prefix, service.name);
    const released = metrics.version(version);
    const common = {
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    const onVersion = `version ${version} of ${service.name} (through the ${LIVE_ALIAS} alias)`;
    const alarms = [
      new Alarm(this, 'ErrorRate', {
        ...common,
        alarmName: alarmName(prefix, service.name, 'canary-error-rate'),
        alarmDescription: `Error rate of ${onVersion} above ${t.errorRatePercent}% in a minute of ${t.minInvocationsPerMinute} or more invocations. Rolls the deployment back.`,
        metric: judgedErrorRate(released, t.minInvocationsPerMinute, `v${version} error rate %`),
        threshold: t.errorRatePercent,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
      }),
      new Alarm(this, 'Latency', {
        ...common,
        alarmName: alarmName(prefix, service.name, 'canary-p99-latency'),
        alarmDescription: `p99 duration of ${onVersion} above ${t.p99LatencyMs} ms for ${LATENCY_WINDOW.datapoints} of ${LATENCY_WINDOW.minutes} minutes. Rolls the deployment back.`,
        metric: released.duration('p99'),
        threshold: t.p99LatencyMs,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: LATENCY_WINDOW.minutes,
        datapointsToAlarm: LATENCY_WINDOW.datapoints,
      }),
      new Alarm(this, 'Throttles', {
        ...common,
        alarmName: alarmName(prefix, service.name, 'canary-throttles'),
        alarmDescription: `${t.maxThrottles} or more throttles of ${onVersion} in a minute. Rolls the deployment back.`,
        metric: released.throttles,
        threshold: t.maxThrottles,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      }),
    ];
    if (canary.baselineMarginPercent !== undefined) {
      alarms.push(
        new Alarm(this, 'AboveBaseline', {
          ...common,
          alarmName: alarmName(prefix, service.name, 'canary-vs-baseline'),
          alarmDescription: `Error rate of ${onVersion} more than ${canary.baselineMarginPercent} percentage points above the old version's, in a minute where both served ${t.minInvocationsPerMinute} or more invocations. Rolls the deployment back.`,
          metric: errorRateAboveBaseline(metrics, released, t.minInvocationsPerMinute),
          threshold: canary.baselineMarginPercent,
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
        }),
      );
    }
    if (props.action) {
      for (const alarm of alarms) {
        alarm.addAlarmAction(props.action);
        alarm.addOkAction(props.action);
      }
    }
    this.alarms = alarms;
  }
}
