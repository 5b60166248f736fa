import {
  Alarm,
  AlarmRule,
  ComparisonOperator,
  CompositeAlarm,
  TreatMissingData,
  type IAlarm,
  type IAlarmAction,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { StageModel } from '../config/model';
import { fleetAlarmName, LIVE_ALIAS, stageHealthAlarmName } from '../resource-names';
import { healthIndex, LATENCY_WINDOW, serviceMetrics } from './service-metrics';

/** A composite alarm watches at most 100 alarms. */
export const MAX_COMPOSITE_CHILDREN = 100;

export interface FleetHealthProps {
  /** The stage, with its services. */
  readonly stage: StageModel;
  /**
   * Told when a service's fleet alarm goes into ALARM and back to OK.
   * @default no one
   */
  readonly action?: IAlarmAction;
}

/**
 * The health of a stage's services as they serve traffic now, whatever version: one alarm per
 * service on its whole `live` alias (error rate, p99 duration and throttles against its
 * thresholds, as one health index), and a composite alarm in ALARM when any of them is. The
 * fleet alarms notify; they are not in any deployment group, so an incident of the old version
 * does not roll back a fix on its way out. The composite is what the pipeline watches: a stage
 * does not start while it fires, and a wave that reached 100% bakes under it.
 *
 * The alarms are built from the services' names only, so they exist before the services do:
 * the pipeline deploys them ahead of the stage, and its conditions always have an alarm to read.
 */
export class FleetHealth extends Construct {
  readonly fleetAlarms: readonly Alarm[];
  /** In ALARM when any service's fleet alarm is: `<prefix>-health`. */
  readonly stageAlarm: CompositeAlarm;

  constructor(scope: Construct, id: string, props: FleetHealthProps) {
    super(scope, id);
    const { stage } = props;
    this.fleetAlarms = stage.services.map((service) => {
      const t = service.alarms;
      const alarm = new Alarm(this, `Fleet-${service.name}`, {
        alarmName: fleetAlarmName(stage.prefix, service.name),
        alarmDescription:
          `${service.name} on its ${LIVE_ALIAS} alias (every version it serves): error rate above ${t.errorRatePercent}% ` +
          `(in minutes of ${t.minInvocationsPerMinute}+ invocations), p99 above ${t.p99LatencyMs} ms or ${t.maxThrottles}+ throttles, ` +
          `for ${LATENCY_WINDOW.datapoints} of ${LATENCY_WINDOW.minutes} minutes. Notifies and holds the stage; does not roll a deployment back.`,
        metric: healthIndex(serviceMetrics(stage.prefix, service.name), t),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: LATENCY_WINDOW.minutes,
        datapointsToAlarm: LATENCY_WINDOW.datapoints,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      if (props.action) {
        alarm.addAlarmAction(props.action);
        alarm.addOkAction(props.action);
      }
      return alarm;
    });
    this.stageAlarm = this.anyOf(this.fleetAlarms, stage.prefix);
  }

  /**
   * A composite of the alarms, in groups of at most 100 (a composite's limit) under one top
   * composite when there are more: enough for any stage CodePipeline can deploy.
   */
  private anyOf(alarms: readonly IAlarm[], prefix: string): CompositeAlarm {
    const name = stageHealthAlarmName(prefix);
    const description = `Any service of ${prefix} in ALARM on its live alias. The pipeline does not start the stage while this fires, and rolls a wave back if it fires during the bake.`;
    if (alarms.length <= MAX_COMPOSITE_CHILDREN) {
      return new CompositeAlarm(this, 'Stage', {
        compositeAlarmName: name,
        alarmDescription: description,
        alarmRule: AlarmRule.anyOf(...alarms),
      });
    }
    const groups: CompositeAlarm[] = [];
    for (let i = 0; i < alarms.length; i += MAX_COMPOSITE_CHILDREN) {
      const n = groups.length + 1;
      groups.push(
        new CompositeAlarm(this, `Group${n}`, {
          compositeAlarmName: `${name}-${n}`,
          alarmDescription: `Services ${i + 1} to ${Math.min(i + MAX_COMPOSITE_CHILDREN, alarms.length)} of ${prefix}, any in ALARM.`,
          alarmRule: AlarmRule.anyOf(...alarms.slice(i, i + MAX_COMPOSITE_CHILDREN)),
        }),
      );
    }
    return new CompositeAlarm(this, 'Stage', {
      compositeAlarmName: name,
      alarmDescription: description,
      alarmRule: AlarmRule.anyOf(...groups),
    });
  }
}
