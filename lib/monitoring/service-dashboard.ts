import {
  Alarm,
  AlarmStatusWidget,
  Color,
  Dashboard,
  GraphWidget,
  TextWidget,
  type IAlarm,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { ServiceModel } from '../config/model';
import { strategyLabel } from '../config/strategy';
import {
  fleetAlarmName,
  LIVE_ALIAS,
  serviceBaseName,
  serviceDashboardName,
} from '../resource-names';
import type { LatticeFrontDoor } from '../lattice/lattice-front-door';
import { serviceMetrics } from './service-metrics';

export interface ServiceDashboardProps {
  /** Name of the stage the service runs in. */
  readonly stageName: string;
  /** `<pipelineName>-<stage>`: prefixes every physical name. */
  readonly prefix: string;
  /** The validated service definition, resolved for this stage. */
  readonly service: ServiceModel;
  /** The alarms that roll a deployment of the service back. */
  readonly alarms: readonly IAlarm[];
  /**
   * The service's VPC Lattice front door: its requests, 5xx and request time are charted too.
   * @default no front door
   */
  readonly frontDoor?: LatticeFrontDoor;
  /**
   * Physical dashboard name.
   * @default `<prefix>-<service>`
   */
  readonly dashboardName?: string;
}

/**
 * The dashboard of one service in one stage: its alarm states, errors against invocations,
 * p50/p90/p99 duration, throttles and concurrent executions, each next to the threshold that
 * rolls a deployment back, and the invocations per version, which shows a canary's traffic split.
 */
export class ServiceDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { stageName, prefix, service } = props;
    const { alarms: thresholds } = service;
    const m = serviceMetrics(prefix, service.name);
    const name = serviceBaseName(prefix, service.name);

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? serviceDashboardName(prefix, service.name),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        width: 24,
        height: 2,
        markdown: [
          `# ${service.name} in ${stageName}`,
          `Function \`${name}\`, alias \`${LIVE_ALIAS}\`, deployment group \`${name}\` (${strategyLabel(service.strategy)}). ` +
            `A release is judged on the new version alone, on everything it served since the shift started: the release judge rolls it back when its failed, slow (> ${thresholds.p99LatencyMs} ms) or throttled calls are evidence of ${thresholds.errorRatePercent}% against a healthy ${service.canary.baselineErrorRatePercent}%. ` +
            `Operate it with \`npm run ops -- status --stage ${stageName} --service ${service.name}\`.`,
        ].join('\n'),
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title:
          "Verdict alarm: the release judge's verdict on the new version (ALARM rolls the deployment back)",
        alarms: [...props.alarms],
        width: 16,
        height: 3,
      }),
      new AlarmStatusWidget({
        title: 'Fleet alarm, on the whole alias (notifies, holds the stage)',
        alarms: [Alarm.fromAlarmName(this, 'Fleet', fleetAlarmName(prefix, service.name))],
        width: 8,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Errors against invocations',
        width: 12,
        left: [m.invocations, m.errors.with({ color: Color.RED })],
        right: [m.errorRate('error rate %')],
        leftYAxis: { min: 0, label: 'per minute', showUnits: false },
        rightYAxis: { min: 0, label: '%', showUnits: false },
        rightAnnotations: [
          { value: thresholds.errorRatePercent, label: 'error-rate alarm', color: Color.RED },
        ],
      }),
      new GraphWidget({
        title: 'Duration p50 / p90 / p99',
        width: 12,
        left: [m.duration('p50'), m.duration('p90'), m.duration('p99')],
        leftYAxis: { min: 0, label: 'ms', showUnits: false },
        leftAnnotations: [
          { value: thresholds.p99LatencyMs, label: 'p99 latency alarm', color: Color.RED },
        ],
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Throttles',
        width: 8,
        left: [m.throttles],
        leftYAxis: { min: 0, label: 'per minute', showUnits: false },
        leftAnnotations: [
          { value: thresholds.maxThrottles, label: 'throttles alarm', color: Color.RED },
        ],
      }),
      new GraphWidget({
        title: 'Concurrent executions',
        width: 8,
        left: [m.concurrentExecutions],
        leftYAxis: { min: 0, showUnits: false },
        leftAnnotations:
          service.reservedConcurrency === undefined
            ? []
            : [{ value: service.reservedConcurrency, label: 'reserved concurrency' }],
      }),
      new GraphWidget({
        title: 'Invocations by version (canary traffic split)',
        width: 8,
        left: [m.invocationsByVersion],
        leftYAxis: { min: 0, label: 'per minute', showUnits: false },
      }),
    );
    const door = props.frontDoor;
    if (door) {
      this.dashboard.addWidgets(
        new GraphWidget({
          title: 'VPC Lattice: requests and 5xx',
          width: 8,
          left: [
            door.metric('TotalRequestCount', 'Sum').with({ label: 'requests' }),
            door.metric('HTTPCode_5XX_Count', 'Sum').with({ label: '5xx', color: Color.RED }),
          ],
          leftYAxis: { min: 0, label: 'per minute', showUnits: false },
        }),
        new GraphWidget({
          title: 'VPC Lattice: request time p99 (ms)',
          width: 8,
          left: [door.metric('RequestTime', 'p99').with({ label: 'p99' })],
          leftYAxis: { min: 0, label: 'ms', showUnits: false },
        }),
        new AlarmStatusWidget({
          title: 'VPC Lattice 5xx alarm (notifies)',
          alarms: [door.serverErrors],
          width: 8,
          height: 3,
        }),
      );
    }
  }
}
