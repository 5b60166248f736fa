import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  MathExpression,
  TextWidget,
  type IAlarm,
  type IWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { EnvironmentModel, StageModel } from '../config/model';
import { LIVE_ALIAS, overviewDashboardName, serviceDashboardName } from '../resource-names';
import { METRIC_PERIOD } from './service-metrics';

/** An alarm-status widget shows at most 100 alarms. */
export const MAX_ALARMS_PER_WIDGET = 100;

export interface StageOverviewDashboardProps {
  /** The validated stage entry, with its services. */
  readonly stage: StageModel;
  /** The environment this dashboard is in. */
  readonly environment: EnvironmentModel;
  /** The stage's health alarm first, then every service's fleet alarm. */
  readonly alarms: readonly IAlarm[];
  /**
   * Physical dashboard name.
   * @default `<prefix>-Overview`
   */
  readonly dashboardName?: string;
}

/** The graphs of the overview: one line per service, from one search per graph. */
const GRAPHS = [
  { title: 'Invocations per minute', metric: 'Invocations', statistic: 'Sum' },
  { title: 'Errors per minute', metric: 'Errors', statistic: 'Sum' },
  { title: 'Duration p99 (ms)', metric: 'Duration', statistic: 'p99' },
  { title: 'Throttles per minute', metric: 'Throttles', statistic: 'Sum' },
] as const;

/**
 * One dashboard for all services of a stage in one environment, sized for any number of them:
 * the alarm states in widgets of at most 100 alarms (the stage's health alarm first), and graphs
 * that chart every service with ONE search expression each, instead of a metric per service
 * (CloudWatch allows 500 metrics per graph and 2,500 per dashboard). The graphs show every region
 * the stage deploys to side by side; regions in another account appear there when the account
 * shares its metrics (CloudWatch cross-account observability). Built from names only: it
 * references no resource of another stack.
 */
export class StageOverviewDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: StageOverviewDashboardProps) {
    super(scope, id);
    const { stage, environment } = props;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? overviewDashboardName(stage.prefix),
    });
    const environments = stage.waves.flatMap((w) => w.environments);
    this.dashboard.addWidgets(
      new TextWidget({
        width: 24,
        height: 3,
        markdown: [
          `# ${stage.name}: all services (${environment.name}, ${environment.region})`,
          `Environments: ${stage.waves.map((w) => `wave ${w.index}: ${w.environments.map((e) => `${e.name} (${e.region})`).join(', ')}`).join('; ')}.`,
          `Per service: ${stage.services
            .map(
              (s) => `[${s.name}](#dashboards:name=${serviceDashboardName(stage.prefix, s.name)})`,
            )
            .join(' · ')}.`,
          'Fleet alarms notify and hold the stage; the alarms that roll a release back are on each service dashboard.',
        ].join('\n\n'),
      }),
    );
    for (let i = 0; i < props.alarms.length; i += MAX_ALARMS_PER_WIDGET) {
      const alarms = props.alarms.slice(i, i + MAX_ALARMS_PER_WIDGET);
      this.dashboard.addWidgets(
        new AlarmStatusWidget({
          title:
            props.alarms.length <= MAX_ALARMS_PER_WIDGET
              ? 'Stage health and fleet alarms'
              : `Stage health and fleet alarms (${i + 1} to ${i + alarms.length})`,
          alarms,
          width: 24,
          height: Math.max(3, 1 + Math.ceil(alarms.length / 6)),
        }),
      );
    }
    const width = Math.max(6, Math.floor(24 / environments.length));
    for (const graph of GRAPHS) {
      const row: IWidget[] = environments.map(
        (env) =>
          new GraphWidget({
            title: `${graph.title}: ${env.name} (${env.region})`,
            width,
            region: env.region,
            left: [stageSearch(stage.prefix, graph.metric, graph.statistic, env, environment)],
            leftYAxis: { min: 0, showUnits: false },
          }),
      );
      this.dashboard.addWidgets(...row);
    }
  }
}

/**
 * Every service of the stage in one environment, by a search on the stage's alias metrics: one
 * line per function, named after it.
 */
export function stageSearch(
  prefix: string,
  metric: string,
  statistic: string,
  env: EnvironmentModel,
  here: EnvironmentModel,
): MathExpression {
  // Search terms match whole tokens of dimension values: the prefix's words and the alias name.
  const tokens = [...prefix.split('-'), LIVE_ALIAS].join(' ');
  return new MathExpression({
    expression: `SEARCH('{AWS/Lambda,FunctionName,Resource} MetricName="${metric}" ${tokens}', '${statistic}', ${METRIC_PERIOD.toSeconds()})`,
    usingMetrics: {},
    label: "${PROP('Dim.FunctionName')}",
    period: METRIC_PERIOD,
    searchRegion: env.region === here.region ? undefined : env.region,
    searchAccount: env.account === here.account ? undefined : env.account,
  });
}
