import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Metric,
  TreatMissingData,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { Version } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import {
  VERDICT_ALARM,
  VERDICT_METRICS,
  VERDICT_NAMESPACE,
} from '../../runtime/judge/verdict-metric';
import { serviceBaseName, verdictAlarmName } from '../resource-names';

export interface VerdictAlarmProps {
  /** `<pipelineName>-<stage>`: prefixes every physical name. */
  readonly prefix: string;
  readonly service: string;
  /** The version being released. */
  readonly version: Version;
  /**
   * Told on ALARM and on OK.
   * @default no one (the alarm still rolls deployments back)
   */
  readonly action?: IAlarmAction;
}

/**
 * The alarm of a service's deployment group: in ALARM when the release judge decided to roll
 * the release of this version back (see `runtime/judge/`). Between the first traffic shift and
 * 100%, an alarm is the only way to stop a CodeDeploy canary, so this is where the judge's
 * verdict acts.
 *
 * Its name and metric carry the version, so each release gets a new alarm (CloudFormation
 * replaces an alarm whose name changes): a new alarm starts without a state, and one left in
 * ALARM by a rolled-back release can never stop the next one. CloudFormation updates it before
 * the alias (the deployment group refers to it), so it watches the new version from the first
 * shifted call.
 */
export class VerdictAlarm extends Construct {
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: VerdictAlarmProps) {
    super(scope, id);
    const version = props.version.version;
    const functionName = serviceBaseName(props.prefix, props.service);
    this.alarm = new Alarm(this, 'Alarm', {
      alarmName: verdictAlarmName(props.prefix, props.service, version),
      alarmDescription: `The release judge decided to roll back version ${version} of ${props.service}: its failed, slow or throttled calls since the traffic shift started are evidence enough that it is worse than allowed. Rolls the deployment back. Why: the judge's log line, or npm run ops -- status.`,
      metric: new Metric({
        namespace: VERDICT_NAMESPACE,
        metricName: VERDICT_METRICS.verdict,
        dimensionsMap: { FunctionName: functionName, Version: version },
        statistic: 'Maximum',
        period: Duration.minutes(1),
      }),
      threshold: VERDICT_ALARM.threshold,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: VERDICT_ALARM.evaluationPeriods,
      datapointsToAlarm: VERDICT_ALARM.datapointsToAlarm,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.action) {
      this.alarm.addAlarmAction(props.action);
      this.alarm.addOkAction(props.action);
    }
  }
}
