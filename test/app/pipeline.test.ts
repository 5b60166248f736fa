import * as fs from 'fs';
import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { servicesByStack, waveActions } from '../../lib/config/grouping';
import { stageEnvironments } from '../../lib/config/model';
import { buildCommands } from '../../lib/pipeline/build-commands';
import {
  bakeParameters,
  conditionsRoleArn,
  entryRuleRoleArn,
} from '../../lib/pipeline/stage-conditions';
import {
  approvalStepName,
  bakeStepName,
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
  OnFailure?: { Result: string };
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
    ...s.model.stages.flatMap((stage) => [
      ...(stage.requiresApproval ? [approvalStepName(stage)] : []),
      ...stage.waves.map((wave) => pipelineStageName(stage, wave)),
    ]),
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

test("each wave holds exactly the actions the synth counts against CodePipeline's limit", () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    const stacks = servicesByStack(stage.services).size;
    expect({
      stage: pipelineStage.Name,
      actions: waveActions(stacks, wave.environments.length, stage),
    }).toEqual({ stage: pipelineStage.Name, actions: pipelineStage.Actions.length });
  }
});

test('an approval is a stage of its own right before the first wave of the stages that ask for one, and nowhere else', () => {
  for (const { pipelineStage } of waves()) {
    expect(pipelineStage.Actions.filter((a) => a.ActionTypeId.Provider === 'Manual')).toEqual([]);
  }
  const names = stages.map((st) => st.Name);
  for (const stage of s.model.stages) {
    const approval = stageNamed(approvalStepName(stage));
    if (!stage.requiresApproval) {
      expect(approval).toBeUndefined();
      continue;
    }
    expect(approval.Actions.map((a) => [a.Name, a.ActionTypeId.Provider])).toEqual([
      [approvalStepName(stage), 'Manual'],
    ]);
    // Right before the first wave, so the wave's entry condition is checked after it.
    expect(names.indexOf(approvalStepName(stage)) + 1).toBe(
      names.indexOf(pipelineStageName(stage, stage.waves[0])),
    );
    // It is asked for inside the deployment window, where there is one.
    const rules = approval.BeforeEntry?.Conditions.flatMap((c) => c.Rules) ?? [];
    expect(rules.map((r) => r.RuleTypeId.Provider)).toEqual(
      stage.deploymentWindow ? ['DeploymentWindow'] : [],
    );
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
      // It holds a release while the alarm fires, for up to the stage's wait, then fails.
      expect(rule.Configuration).toEqual({
        AlarmName: stageHealthAlarmName(stage.prefix),
        AlarmStates: 'ALARM',
        WaitTime: String(stage.blockWaitMinutes),
      });
      expect(rule.RoleArn).toBe(entryRuleRoleArn(env));
    }
  }
});

test('a deployment window, where a stage names one, is the first rule of every wave', () => {
  for (const { stage, pipelineStage } of waves()) {
    const rules = pipelineStage.BeforeEntry?.Conditions.flatMap((c) => c.Rules) ?? [];
    const windows = rules.filter((r) => r.RuleTypeId.Provider === 'DeploymentWindow');
    if (!stage.deploymentWindow) {
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

test("after each wave deployed, a bake action watches its health alarms for the stage entry's minutes, and the stage rolls back on failure", () => {
  for (const { stage, wave, pipelineStage } of waves()) {
    expect(pipelineStage.OnSuccess).toBeUndefined();
    const bakes = pipelineStage.Actions.filter((a) => a.Name.startsWith('Bake-'));
    if (stage.bakeMinutes === 0) {
      expect(bakes).toEqual([]);
      expect(pipelineStage.OnFailure).toBeUndefined();
      continue;
    }
    expect(pipelineStage.OnFailure).toEqual({ Result: 'ROLLBACK' });
    expect(bakes.map((a) => [a.Name, a.ActionTypeId.Provider])).toEqual([
      [bakeStepName(stage, wave), 'Lambda'],
    ]);
    const [bake] = bakes;
    expect(JSON.parse(String(bake.Configuration!.UserParameters))).toEqual(
      bakeParameters(stage, wave),
    );
    for (const d of deploys(pipelineStage)) expect(bake.RunOrder).toBeGreaterThan(d.RunOrder);
  }
});

test("the pipeline may assume the read-only role of each environment its entry rules read, the bake function each environment's alarm reader", () => {
  const statements = Object.values(t.findResources('AWS::IAM::Policy')).flatMap(
    (p) => p.Properties.PolicyDocument.Statement,
  );
  const assumed = (sid: string) =>
    statements
      .filter((st: { Sid?: string; Action: string }) => st.Sid === sid)
      .flatMap((st: { Resource: unknown }) => [st.Resource].flat());
  const entry = s.model.stages
    .filter((st) => st.blockWhileAlarming)
    .flatMap((st) => stageEnvironments(st).map(entryRuleRoleArn));
  expect(assumed('ReadHealthAlarmsAtEntry').sort()).toEqual([...new Set(entry)].sort());
  const bake = s.model.stages
    .filter((st) => st.bakeMinutes > 0)
    .flatMap((st) => stageEnvironments(st).map((e) => conditionsRoleArn(st, e)));
  expect(assumed('ReadTheHealthAlarms').sort()).toEqual([...new Set(bake)].sort());
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
