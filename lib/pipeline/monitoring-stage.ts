import { Stage, type StageProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { acknowledgeReviewedWildcards } from '../compliance/gate';
import type { EnvironmentModel, StageModel } from '../config/model';
import { MonitoringStack } from '../monitoring/monitoring-stack';
import { MONITORING_ID, monitoringStackName } from '../resource-names';
import type { FunctionCode } from '../service/function-bundles';

export interface MonitoringStageProps extends StageProps {
  /** The validated stage entry. */
  readonly stage: StageModel;
  /** The environment of the stage it watches. */
  readonly environment: EnvironmentModel;
  /** The bake function's role in the tools account: the one identity the alarm reader trusts. */
  readonly bakeRoleArn: string;
  /** @default none */
  readonly notificationEmails?: readonly string[];
  /** The bundled code of every function (the stage's release judge). */
  readonly code: FunctionCode;
}

/**
 * The monitoring stack of one stage in one environment, as a `cdk.Stage` of its own: the
 * pipeline deploys all of them first, before any stage, so the alarms its stage conditions
 * read exist even before a stage's first release.
 */
export class MonitoringStage extends Stage {
  readonly monitoringStack: MonitoringStack;

  constructor(scope: Construct, id: string, props: MonitoringStageProps) {
    super(scope, id, {
      ...props,
      env: { account: props.environment.account, region: props.environment.region },
    });
    acknowledgeReviewedWildcards(this);
    const { stage } = props;
    this.monitoringStack = new MonitoringStack(this, MONITORING_ID, {
      stackName: monitoringStackName(stage.prefix),
      stage,
      environment: props.environment,
      bakeRoleArn: props.bakeRoleArn,
      notificationEmails: props.notificationEmails,
      judgeCode: props.code.judge(stage.name),
      description: `${stage.name} monitoring: notification topic, fleet and health alarms, release judge, the pipeline's alarm reader, overview dashboard`,
    });
  }
}
