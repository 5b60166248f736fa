import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { BuildSpec, Cache, ComputeType, LinuxBuildImage } from 'aws-cdk-lib/aws-codebuild';
import { type CfnPipeline, PipelineType, ProviderType } from 'aws-cdk-lib/aws-codepipeline';
import { EventField, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption } from 'aws-cdk-lib/aws-s3';
import {
  CodePipeline,
  CodePipelineSource,
  ManualApprovalStep,
  ShellStep,
  type Step,
} from 'aws-cdk-lib/pipelines';
import type { Construct } from 'constructs';
import { stageEnvironments, type AppModel } from '../config/model';
import {
  applicationStageId,
  approvalStepName,
  bakeStepName,
  healthGateName,
  MONITORING_WAVE,
  monitoringStageId,
  pipelineStageName,
  pipelineTopicName,
  smokeTestRoleName,
} from '../resource-names';
import { AccessLogBucket } from './access-log-bucket';
import { ApplicationStage } from './application-stage';
import type { FunctionCode } from '../service/function-bundles';
import { NotificationTopic } from '../monitoring/notification-topic';
import { buildCommands } from './build-commands';
import { MonitoringStage } from './monitoring-stage';
import { logReplicationBuckets } from './replication-bucket-logs';
import { smokeTestRoleArn } from './smoke-targets';
import { smokeTestStep } from './smoke-test-step';
import { BakeStep } from './bake-step';
import { HealthGate } from './health-gate';
import {
  approvalConditions,
  bakeParameters,
  bakeRoleArns,
  healthGateRoleArn,
  entryRuleRoleArns,
  waveConditions,
  type StageConditions,
} from './stage-conditions';
import type { ToolVersions } from '../tool-versions';

export interface PipelineStackProps extends StackProps {
  readonly model: AppModel;
  /** The bundled code of every function. */
  readonly code: FunctionCode;
  /** Versions of the CDK CLIs the pipeline installs for self-mutation and asset publishing. */
  readonly tools: ToolVersions;
}

/**
 * The self-mutating delivery pipeline: source on push → build, test, synth and compliance gate →
 * self-mutation → one stage per stage entry, in order, with a manual approval before each stage
 * that asks for one and smoke tests after each stage that runs them. Its own topic tells people
 * when an execution fails and when an approval waits for them.
 */
export class PipelineStack extends Stack {
  readonly pipeline: CodePipeline;
  readonly stages: readonly ApplicationStage[];
  /** One per environment of every stage, deployed in the first wave. */
  readonly monitoringStages: readonly MonitoringStage[];
  readonly notifications: NotificationTopic;

  constructor(scope: Construct, id: string, props: PipelineStackProps) {
    super(scope, id, { ...props, env: props.model.pipelineEnv });
    const { model } = props;

    const source = CodePipelineSource.connection(model.source.repository, model.source.branch, {
      connectionArn: model.source.connectionArn,
      triggerOnPush: true,
    });

    const commands = buildCommands(props.tools.cfnLint);
    const artifactBucket = this.createArtifactBucket();
    const synth = new ShellStep('Synth', {
      input: source,
      installCommands: [...commands.install],
      commands: [...commands.build],
      primaryOutputDirectory: 'cdk.out',
    });
    this.pipeline = new CodePipeline(this, 'Pipeline', {
      pipelineName: model.pipelineName,
      pipelineType: PipelineType.V2,
      selfMutation: true,
      crossAccountKeys: true,
      enableKeyRotation: true,
      artifactBucket,
      cliVersion: props.tools.cdkCli,
      cdkAssetsCliVersion: props.tools.cdkAssets,
      // One publishing project per asset type, not per asset: CodeBuild's queue stays short.
      publishAssetsInParallel: false,
      // One deploy action per stack (not two): keeps a stage of many stacks in one pipeline
      // stage, so prod is one canary window.
      useChangeSets: false,
      synth,
      codeBuildDefaults: {
        buildEnvironment: {
          buildImage: LinuxBuildImage.STANDARD_7_0,
          computeType: ComputeType.MEDIUM,
        },
        partialBuildSpec: BuildSpec.fromObject({
          phases: { install: { 'runtime-versions': { nodejs: '22' } } },
          // npm's and pip's download caches survive between builds (in the artifact bucket):
          // npm ci, the CLIs and cfn-lint install from them instead of the registries.
          cache: { paths: ['/root/.npm/**/*', '/root/.cache/pip/**/*'] },
        }),
        cache: Cache.bucket(artifactBucket, { prefix: 'codebuild-cache' }),
        timeout: Duration.minutes(30),
      },
    });

    // Every stage's monitoring first, in every environment: the stage conditions below read its
    // health alarm, which must exist before a stage's first release.
    const monitoring = this.pipeline.addWave(MONITORING_WAVE);
    this.monitoringStages = model.stages.flatMap((stage) =>
      stageEnvironments(stage).map((environment) => {
        const monitoringStage = new MonitoringStage(this, monitoringStageId(stage, environment), {
          stage,
          environment,
          bakeRoleArn: healthGateRoleArn(model.pipelineName, model.pipelineEnv),
          notificationEmails: model.notificationEmails,
          code: props.code,
        });
        monitoring.addStage(monitoringStage);
        return monitoringStage;
      }),
    );

    // The bake of every wave that bakes: one function, in this stack.
    const bakes = model.stages.flatMap(bakeRoleArns);
    const gate =
      bakes.length > 0
        ? new HealthGate(this, 'HealthGate', {
            functionName: healthGateName(model.pipelineName),
            code: props.code.gate(),
            roleArns: bakes,
          }).function
        : undefined;

    const stages: ApplicationStage[] = [];
    for (const stage of model.stages) {
      // The approval is a stage of its own, before the first wave: the wave's entry conditions
      // (window, alarm blocker) are checked after a person said yes, just before deploying.
      if (stage.requiresApproval) {
        this.pipeline.addWave(approvalStepName(stage), {
          pre: [
            new ManualApprovalStep(approvalStepName(stage), {
              comment: `Promote this release to ${stage.name} (${stageEnvironments(stage)
                .map((e) => `${e.name}: ${e.account}/${e.region}`)
                .join(', ')})?`,
            }),
          ],
        });
      }
      for (const wave of stage.waves) {
        const smoke = stage.smokeTests
          ? smokeTestStep({
              stage,
              wave,
              source,
              assembly: synth,
              role: new Role(this, `SmokeTestRole-${stage.name}-wave${wave.index}`, {
                roleName: smokeTestRoleName(stage.prefix, wave),
                assumedBy: new ServicePrincipal('codebuild.amazonaws.com'),
                description: `Runs the smoke tests of ${stage.name} wave ${wave.index}: invokes its live aliases`,
              }),
            })
          : undefined;
        const bake =
          gate && stage.bakeMinutes > 0
            ? new BakeStep(bakeStepName(stage, wave), gate, bakeParameters(stage, wave))
            : undefined;
        // The smoke tests run beside the bake: either failing fails the stage, which rolls the
        // wave back, and the smoke tests' minutes stay off the release's critical path.
        const post: Step[] = [];
        if (smoke) post.push(smoke);
        if (bake) post.push(bake);
        const appStages = wave.environments.map(
          (environment) =>
            new ApplicationStage(this, applicationStageId(stage, environment), {
              stage,
              environment,
              code: props.code,
              smokeTestRoleArn: stage.smokeTests
                ? smokeTestRoleArn(model.pipelineEnv, stage, wave)
                : undefined,
            }),
        );
        if (appStages.length === 1 && stage.waves.length === 1) {
          this.pipeline.addStage(appStages[0], { post });
        } else {
          const pipelineWave = this.pipeline.addWave(pipelineStageName(stage, wave), { post });
          for (const appStage of appStages) pipelineWave.addStage(appStage);
        }
        stages.push(...appStages);
      }
    }
    this.stages = stages;

    this.pipeline.buildPipeline();
    // A V2 pipeline starts on a push to the configured branch, and only then.
    const sourceAction = this.pipeline.pipeline.stages[0].actions[0];
    this.pipeline.pipeline.addTrigger({
      providerType: ProviderType.CODE_STAR_SOURCE_CONNECTION,
      gitConfiguration: {
        sourceAction,
        pushFilter: [{ branchesIncludes: [model.source.branch] }],
      },
    });
    this.grantUseConnection(model.source.connectionArn, sourceAction.actionProperties.actionName);
    this.nameMonitoringStage();
    this.addStageConditions(model);
    logReplicationBuckets(this.pipeline.pipeline);
    this.notifications = this.createNotifications(model);
  }

  /**
   * CDK Pipelines names a wave of a single Stage after that Stage: with one environment in all,
   * the monitoring wave would be `<stage>-monitoring`. It is always `Monitoring`.
   */
  private nameMonitoringStage(): void {
    const cfn = this.pipeline.pipeline.node.defaultChild as CfnPipeline;
    const index = this.pipeline.pipeline.stages.findIndex((stage) =>
      this.monitoringStages.some((m) => stage.stageName === m.stageName),
    );
    if (index >= 0 && this.monitoringStages.length === 1) {
      cfn.addPropertyOverride(`Stages.${index}.Name`, MONITORING_WAVE);
    }
  }

  /**
   * The stage conditions of every approval stage (the window) and wave (window, alarm blocker,
   * rollback on failure), added to the synthesized pipeline: CDK Pipelines does not expose
   * CodePipeline's stage conditions, so they are set on the pipeline resource by the stage's
   * name. The pipeline's role may assume the read-only role each entry rule reads an alarm with.
   */
  private addStageConditions(model: AppModel): void {
    const cfn = this.pipeline.pipeline.node.defaultChild as CfnPipeline;
    const names = this.pipeline.pipeline.stages.map((s) => s.stageName);
    const set = (stageName: string, conditions: StageConditions) => {
      const index = names.indexOf(stageName);
      if (index < 0) throw new Error(`no pipeline stage ${stageName} in ${names.join(', ')}`);
      for (const [key, value] of Object.entries(conditions)) {
        if (value) cfn.addPropertyOverride(`Stages.${index}.${key}`, value);
      }
    };
    for (const stage of model.stages) {
      if (stage.requiresApproval) set(approvalStepName(stage), approvalConditions(stage));
      for (const wave of stage.waves)
        set(pipelineStageName(stage, wave), waveConditions(stage, wave));
    }
    const roles = model.stages.flatMap(entryRuleRoleArns);
    if (roles.length > 0) {
      this.pipeline.pipeline.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'ReadHealthAlarmsAtEntry',
          actions: ['sts:AssumeRole'],
          resources: [...new Set(roles)],
        }),
      );
    }
  }

  /**
   * CDK grants the source action `codestar-connections:UseConnection`, the action of the old
   * service prefix. A connection created as `arn:...:codeconnections:...` is authorized as
   * `codeconnections:UseConnection`: grant that too, on the configured ARN only.
   */
  private grantUseConnection(connectionArn: string, actionName: string): void {
    if (!connectionArn.includes(':codeconnections:')) return;
    const role = this.pipeline.pipeline.node
      .findChild('Source')
      .node.findChild(actionName)
      .node.findChild('CodePipelineActionRole') as Role;
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['codeconnections:UseConnection'],
        resources: [connectionArn],
      }),
    );
  }

  /** A topic told when an execution fails and when a manual approval waits. */
  private createNotifications(model: AppModel): NotificationTopic {
    const notifications = new NotificationTopic(this, 'Notifications', {
      topicName: pipelineTopicName(model.pipelineName),
      displayName: `Pipeline ${model.pipelineName}`,
      emails: model.notificationEmails,
    });
    const name = model.pipelineName;
    const detail = (field: string) => EventField.fromPath(`$.detail.${field}`);
    const link = `https://${this.region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/${name}/view?region=${this.region}`;
    const ofThisPipeline = {
      source: ['aws.codepipeline'],
      resources: [this.pipeline.pipeline.pipelineArn],
    };
    notifications.notifyOn('PipelineFailed', {
      description: `An execution of the ${name} pipeline failed`,
      eventPattern: {
        ...ofThisPipeline,
        detailType: ['CodePipeline Pipeline Execution State Change'],
        detail: { state: ['FAILED'] },
      },
      message: RuleTargetInput.fromText(
        `Pipeline ${name}: execution ${detail('execution-id')} FAILED. See which action failed: ${link}`,
      ),
    });
    notifications.notifyOn('ApprovalNeeded', {
      description: `A manual approval in the ${name} pipeline waits for someone`,
      eventPattern: {
        ...ofThisPipeline,
        detailType: ['CodePipeline Action Execution State Change'],
        detail: { state: ['STARTED'], type: { category: ['Approval'] } },
      },
      message: RuleTargetInput.fromText(
        `Pipeline ${name}: ${detail('action')} waits for approval before stage ${detail('stage')} (execution ${detail('execution-id')}). Approve or reject: ${link}`,
      ),
    });
    return notifications;
  }

  /** Artifacts are encrypted with a rotated key the stage accounts can use, and access-logged. */
  private createArtifactBucket(): Bucket {
    const accessLogs = new AccessLogBucket(this, 'ArtifactAccessLogs', {
      logsOf: 'the artifact bucket',
    });
    const key = new Key(this, 'ArtifactKey', {
      enableKeyRotation: true,
      description: 'Encrypts pipeline artifacts; stage accounts are granted use by CDK Pipelines',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    return new Bucket(this, 'ArtifactBucket', {
      encryption: BucketEncryption.KMS,
      encryptionKey: key,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'artifacts/',
      removalPolicy: RemovalPolicy.RETAIN,
      versioned: true,
    });
  }
}
