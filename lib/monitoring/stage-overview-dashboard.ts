import {
  Alarm,
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  TextWidget,
  type IMetric,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { StageModel } from '../config/model';
import {
  ALARM_KINDS,
  alarmName,
  overviewDashboardName,
  serviceDashboardName,
} from '../resource-names';
import { serviceMetrics, type ServiceMetrics } from './service-metrics';

export interface StageOverviewDashboardProps {
  /** The validated stage entry, with its services. */
  readonly stage: StageModel;
  /**
   * Physical dashboard name.
   * @default `<stage>-Overview`
   */
  readonly dashboardName?: string;
}

/**
 * One dashboard for all services of a stage: every alarm's state, and one line per service for
 * invocations, errors, error rate, p99 duration, throttles and concurrent executions, with links
 * to each service's own dashboard. Built from the deterministic names only (metrics by
 * `FunctionName`/`Resource`, alarms by name), so it references no resource of another stack.
 */
export class StageOverviewDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StageOverviewDashboardProps) {
    super(scope, id);
    const { stage } = props;
    const services = stage.services.map((service) => ({
      name: service.name,
      metrics: serviceMetrics(stage.prefix, service.name),
    }));
    const alarms = stage.services.flatMap((service) =>
      ALARM_KINDS.map((kind) => {
        const name = alarmName(stage.prefix, service.name, kind);
        return Alarm.fromAlarmName(this, `Alarm-${name}`, name);
      }),
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? overviewDashboardName(stage.prefix),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        width: 24,
        height: 2,
        markdown: [
          `# ${stage.name}: all services`,
          `Per service: ${stage.services
            .map(
              (s) => `[${s.name}](#dashboards:name=${serviceDashboardName(stage.prefix, s.name)})`,
            )
            .join(
              ' · ',
            )}. Every alarm below rolls back its service's deployment and notifies the stage's topic.`,
        ].join('\n'),
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({
        title: 'Alarms of every service',
        alarms,
        width: 24,
        height: Math.max(3, 1 + Math.ceil(alarms.length / 6)),
      }),
    );
    const perService = (title: string, metricOf: (s: ServiceMetrics, name: string) => IMetric) =>
      new GraphWidget({
        title,
        width: 8,
        left: services.map((s) => metricOf(s.metrics, s.name)),
        leftYAxis: { min: 0, showUnits: false },
      });
    this.dashboard.addWidgets(
      perService('Invocations per minute', (m, name) => m.invocations.with({ label: name })),
      perService('Errors per minute', (m, name) => m.errors.with({ label: name })),
      perService('Error rate %', (m, name) => m.errorRate(name)),
    );
    this.dashboard.addWidgets(
      perService('Duration p99 (ms)', (m, name) => m.duration('p99').with({ label: name })),
      perService('Throttles per minute', (m, name) => m.throttles.with({ label: name })),
      perService('Concurrent executions', (m, name) =>
        m.concurrentExecutions.with({ label: name }),
      ),
    );
  }
}
