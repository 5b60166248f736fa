import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { stageEnvironments } from '../../lib/config/model';
import { buildCommands } from '../../lib/pipeline/build-commands';
import { conditionsRoleArn } from '../../lib/pipeline/stage-conditions';
import {
  conditionsRoleName,
  MONITORING_WAVE,
  pipelineStageName,
  stageHealthAlarmName,
} from '../../lib/resource-names';
import { toolVersions } from '../../lib/tool-versions';
import { defaultApp, type DefaultApp } from '../helpers/default-app';

/**
 * The project's pipeline, read against the project's own configuration: whatever stages, waves,
 * environments and services it holds, the pipeline runs them in order with the gates the stage
 * entries ask for.
 */
interface PipelineAction {
  Name: string;
  ActionTypeId: { Category: string; Provider: string };
  RunOrder: number;
  Configuration?: Record<string, unknown>;
}
interface PipelineStage {
  Name: string;
  Actions: PipelineAction[];
  BeforeEntry?: { Conditions: { Result: string; Rules: Rule[] }[] };
  OnSuccess?: { Conditions: { Result: string; Rules: Rule[] }[] };
}
interface Rule {
  Name: string;
  RuleTypeId: { Provider: string };
  Configuration: Record<string, string>;
  Region?: string;
  RoleArn?: string;
}

let s: DefaultApp;
let t: Template;
let stages: PipelineStage[];

beforeAll(() => {
  s = defaultApp();
  t = Template.fromJSON(s.pipelineStack.template);
  stages = Object.values(t.findResources('AWS::CodePipeline::Pipeline'))[0].Properties.Stages;
});

const stageNamed = (name: string) => stages.find((st) => st.Name === name)!;
const deploys = (stage: PipelineStage) =>
  stage.Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');

/** Every wave of every stage, with the CodePipeline stage that deploys it. */
const waves = () =>
  s.model.stages.flatMap((stage) =>
    stage.waves.map((wave) => ({
      stage,
      wave,
      pipelineStage: stageNamed(pipelineStageName(stage, wave)),
    })),
  );

test('is a V2 pipeline triggered by a push to the configured branch, from the configured source', () => {
  t.hasResourceProperties('AWS::CodePipeline::Pipeline', {
    Name: s.model.pipelineName,
    PipelineType: 'V2',
    Triggers: [
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: { Push: [{ Branches: { Includes: [s.model.source.branch] } }] },
      },
    ],
  });
  expect(stages[0].Actions[0].Configuration).toMatchObject({
    BranchName: s.model.source.branch,
    FullRepositoryId: s.model.source.repository,
    ConnectionArn: s.model.source.connectionArn,
  });
});

test('runs source, build, self-mutation, assets, monitoring, then every wave of every stage in order', () => {
  expect(stages.map((st) => st.Name)).toEqual([
    'Source',
    'Build',
    'UpdatePipeline',
    'Assets',
    MONITORING_WAVE,
    ...waves().map(({ stage, wave }) => pipelineStageName(stage, wave)),
  ]);
  expect(stages[2].Actions[0].Name).toBe('SelfMutate');
});

test('the build installs the pinned cfn-lint, runs the tests, a synth of every stack and cfn-lint', () => {
  const synth = Object.values(t.findResources('AWS::CodeBuild::Project')).find((p) =>
    String(p.Properties.Source.BuildSpec).includes('cdk synth'),
  )!;
  const spec = JSON.parse(synth.Properties.Source.BuildSpec);
  const commands = buildCommands(toolVersions().cfnLint);
  expect(spec.phases.install.commands).toEqual(commands.install);
  expect(spec.phases.build.commands).toEqual(commands.build);
});

test('self-mutation and asset publishing install the pinned CLIs, never npm latest', () => {
  // Asset publishing's build spec is large: CDK Pipelines writes it as a file of the assembly.
  const files = fs
    .readdirSync(s.outdir)
    .filter((f) => f.startsWith('buildspec-'))
    .map((f) => fs.readFileSync(path.join(s.outdir, f), 'utf8'));
  const specs = [
    ...Object.values(t.findResources('AWS::CodeBuild::Project')).map((p) =>
      String(p.Properties.Source.BuildSpec),
    ),
    ...files,
  ];
  const { cdkCli, cdkAssets } = toolVersions();
  const cli = specs.filter((x) => x.includes('npm install -g aws-cdk'));
  const assets = specs.filter((x) => x.includes('npm install -g cdk-assets'));
  expect(cli.length).toBeGreaterThan(0);
  expect(assets.length).toBeGreaterThan(0);
  for (const spec of cli) expect(spec).toContain(`aws-cdk@${cdkCli}`);
  for (const spec of assets) expect(spec).toContain(`cdk-assets@${cdkAssets}`);
});

test("the monitoring wave deploys every stage's monitoring stack in every environment", () => {
  const monitoring = deploys(stageNamed(MONITORING_WAVE));
  const expected = s.environments.map((e) => e.monitoringStack.stackName);
  expect(monitoring.map((a) => a.Configuration!.StackName).sort()).toEqual(expected.sort());
});

test("each wave deploys its environments' service stacks, and nothing else", () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    const stacks = s.environments
      .filter((e) => e.stage === stage && wave.environments.includes(e.environment))
      .flatMap((e) => e.serviceStacks.map((st) => st.stackName));
    expect(
      deploys(pipelineStage)
        .map((a) => a.Configuration!.StackName)
        .sort(),
    ).toEqual(stacks.sort());
    for (const a of deploys(pipelineStage))
      expect(a.Configuration!.ActionMode).toBe('CREATE_UPDATE');
  }
});

test('an approval precedes exactly the stages that ask for one, in their first wave, before anything deploys', () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    const approvals = pipelineStage.Actions.filter((a) => a.ActionTypeId.Provider === 'Manual');
    expect({ stage: stage.name, wave: wave.index, approvals: approvals.length }).toEqual({
      stage: stage.name,
      wave: wave.index,
      approvals: stage.requiresApproval && wave.index === 1 ? 1 : 0,
    });
    for (const approval of approvals) {
      for (const d of deploys(pipelineStage)) expect(d.RunOrder).toBeGreaterThan(approval.RunOrder);
    }
  }
});

test('smoke tests run after every wave of the stages that ask for them, from a targets file', () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    const smoke = pipelineStage.Actions.filter((a) => a.Name.startsWith('SmokeTest-'));
    expect({ stage: stage.name, smoke: smoke.length }).toEqual({
      stage: stage.name,
      smoke: stage.smokeTests ? 1 : 0,
    });
    for (const step of smoke) {
      for (const d of deploys(pipelineStage)) expect(step.RunOrder).toBeGreaterThan(d.RunOrder);
      expect(step.Configuration?.EnvironmentVariables).toBeUndefined();
    }
    if (!stage.smokeTests) continue;
    const file = path.join(s.outdir, 'smoke', `${stage.name}-wave${wave.index}.json`);
    const targets = JSON.parse(fs.readFileSync(file, 'utf8')).targets as {
      service: string;
      environment: string;
      aliasArn: string;
    }[];
    expect(targets.map((x) => `${x.environment}/${x.service}`).sort()).toEqual(
      wave.environments.flatMap((e) => stage.services.map((x) => `${e.name}/${x.name}`)).sort(),
    );
    for (const x of targets) {
      const env = wave.environments.find((e) => e.name === x.environment)!;
      expect(x.aliasArn).toBe(
        `arn:aws:lambda:${env.region}:${env.account}:function:${stage.prefix}-${x.service}:live`,
      );
    }
    const project = Object.values(t.findResources('AWS::CodeBuild::Project')).find((p) =>
      String(p.Properties.Source.BuildSpec).includes(
        `--targets assembly/smoke/${stage.name}-wave${wave.index}.json`,
      ),
    );
    expect(project).toBeDefined();
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'lambda:InvokeFunction',
            Effect: 'Allow',
            Resource:
              wave.environments.length === 1
                ? `arn:aws:lambda:${wave.environments[0].region}:${wave.environments[0].account}:function:${stage.prefix}-*:live`
                : wave.environments.map(
                    (e) =>
                      `arn:aws:lambda:${e.region}:${e.account}:function:${stage.prefix}-*:live`,
                  ),
          },
        ]),
      },
    });
  }
});

test('a stage that blocks while alarming does not start while the health alarm of its environments fires', () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    const rules = pipelineStage.BeforeEntry?.Conditions.flatMap((c) => c.Rules) ?? [];
    const alarmRules = rules.filter((r) => r.RuleTypeId.Provider === 'CloudWatchAlarm');
    if (!stage.blockWhileAlarming) {
      expect(alarmRules).toEqual([]);
      continue;
    }
    expect(pipelineStage.BeforeEntry!.Conditions.every((c) => c.Result === 'FAIL')).toBe(true);
    expect(alarmRules.map((r) => r.Region).sort()).toEqual(
      wave.environments.map((e) => e.region).sort(),
    );
    for (const rule of alarmRules) {
      const env = wave.environments.find((e) => e.region === rule.Region)!;
      expect(rule.Configuration).toEqual({
        AlarmName: stageHealthAlarmName(stage.prefix),
        AlarmStates: 'ALARM',
      });
      expect(rule.RoleArn).toBe(conditionsRoleArn(stage, env));
    }
  }
});

test('a deployment window, where a stage names one, is the first rule before its first wave', () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    const rules = pipelineStage.BeforeEntry?.Conditions.flatMap((c) => c.Rules) ?? [];
    const windows = rules.filter((r) => r.RuleTypeId.Provider === 'DeploymentWindow');
    if (!stage.deploymentWindow || wave.index > 1) {
      expect(windows).toEqual([]);
      continue;
    }
    expect(rules[0].RuleTypeId.Provider).toBe('DeploymentWindow');
    expect(rules[0].Configuration).toEqual({
      Cron: stage.deploymentWindow.cron,
      TimeZone: stage.deploymentWindow.timeZone,
    });
  }
});

test('after each wave reaches 100%, its environments bake under the health alarm, rolling back if it fires', () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    if (stage.bakeMinutes === 0) {
      expect(pipelineStage.OnSuccess).toBeUndefined();
      continue;
    }
    const [condition] = pipelineStage.OnSuccess!.Conditions;
    expect(condition.Result).toBe('ROLLBACK');
    expect(condition.Rules.map((r) => r.Region).sort()).toEqual(
      wave.environments.map((e) => e.region).sort(),
    );
    for (const rule of condition.Rules) {
      expect(rule.RuleTypeId.Provider).toBe('CloudWatchAlarm');
      expect(rule.Configuration).toEqual({
        AlarmName: stageHealthAlarmName(stage.prefix),
        AlarmStates: 'ALARM',
        WaitTime: String(stage.bakeMinutes),
      });
    }
  }
});

test("the pipeline's role may assume the alarm-reading role of each environment with conditions", () => {
  const roles = s.model.stages
    .filter((st) => st.blockWhileAlarming || st.bakeMinutes > 0)
    .flatMap((st) => stageEnvironments(st).map((e) => conditionsRoleArn(st, e)));
  if (roles.length === 0) return;
  const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement,
  );
  const assumed = statements
    .filter((st: { Action: string }) => st.Action === 'sts:AssumeRole')
    .flatMap((st: { Resource: unknown }) => [st.Resource].flat());
  for (const role of roles) expect(assumed).toContain(role);
  for (const st of s.model.stages) {
    for (const e of stageEnvironments(st)) {
      expect(conditionsRoleArn(st, e)).toContain(conditionsRoleName(st.prefix, e.region));
    }
  }
});

test('artifacts use a rotated KMS key and a TLS-only, access-logged bucket', () => {
  t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  t.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } },
      ],
    },
    LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'artifacts/' }),
  });
});

test('the pipeline stack lives in the configured pipeline account and region', () => {
  expect(s.pipelineStack.environment.account).toBe(s.model.pipelineEnv.account);
  expect(s.pipelineStack.environment.region).toBe(s.model.pipelineEnv.region);
});
