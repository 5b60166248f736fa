import * as fs from 'fs';
import * as path from 'path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { stageEnvironments } from '../../lib/config/model';
import { toolVersions } from '../../lib/tool-versions';
import { defaultApp, template, type DefaultApp } from '../helpers/default-app';

let s: DefaultApp;
let t: Template;
let stages: {
  Name: string;
  Actions: {
    Name: string;
    ActionTypeId: { Provider: string };
    RunOrder: number;
    Configuration?: Record<string, unknown>;
  }[];
}[];

beforeAll(() => {
  s = defaultApp();
  t = template(s.pipelineStack);
  const pipeline = Object.values(t.findResources('AWS::CodePipeline::Pipeline'))[0];
  stages = pipeline.Properties.Stages;
});

test('is a V2 pipeline triggered by a push to the configured branch', () => {
  t.hasResourceProperties('AWS::CodePipeline::Pipeline', {
    PipelineType: 'V2',
    Triggers: [
      {
        ProviderType: 'CodeStarSourceConnection',
        GitConfiguration: { Push: [{ Branches: { Includes: ['main'] } }] },
      },
    ],
  });
  const source = stages[0].Actions[0];
  expect(source.ActionTypeId.Provider).toBe('CodeStarSourceConnection');
  expect(source.Configuration).toMatchObject({
    BranchName: 'main',
    FullRepositoryId: s.model.source.repository,
    ConnectionArn: s.model.source.connectionArn,
  });
});

test('runs in order: source, build, self-mutation, assets, dev, prod', () => {
  expect(stages.map((st) => st.Name)).toEqual([
    'Source',
    'Build',
    'UpdatePipeline',
    'Assets',
    'dev',
    'prod',
  ]);
  expect(stages[2].Actions[0].Name).toBe('SelfMutate');
});

test('the build installs the pinned cfn-lint, runs the tests, a synth of every stack and cfn-lint', () => {
  const synth = Object.values(t.findResources('AWS::CodeBuild::Project')).find((p) =>
    String(p.Properties.Source.BuildSpec).includes('cdk synth'),
  );
  const spec = JSON.parse(synth!.Properties.Source.BuildSpec);
  expect(spec.phases.install.commands).toEqual([
    `pip install cfn-lint==${toolVersions().cfnLint}`,
    'npm ci',
  ]);
  expect(spec.phases.build.commands).toEqual([
    'npm test',
    "npx cdk synth '**'",
    'npm run lint:templates',
  ]);
});

test('self-mutation and asset publishing use the pinned CDK CLI, not npm latest', () => {
  const specs = Object.values(t.findResources('AWS::CodeBuild::Project')).map((p) =>
    String(p.Properties.Source.BuildSpec),
  );
  const installs = specs.filter((x) => x.includes('npm install -g aws-cdk'));
  expect(installs.length).toBeGreaterThan(0);
  for (const spec of installs) expect(spec).toContain('aws-cdk@2.1148.1');
});

test('dev deploys, then smoke-tests; the approval comes before prod deploys', () => {
  const dev = stages.find((st) => st.Name === 'dev')!;
  const prod = stages.find((st) => st.Name === 'prod')!;
  const smoke = dev.Actions.find((a) => a.Name === 'SmokeTest-dev')!;
  const devDeploys = dev.Actions.filter((a) => a.Name.endsWith('.Deploy'));
  // The monitoring stack, then one stack per service of the stage.
  const devStage = s.stages.find((st) => st.stageName === 'dev')!;
  expect(devDeploys.map((a) => a.Name).sort()).toEqual(
    [devStage.monitoringStack, ...devStage.serviceStacks]
      .map((st) => `${st.stackName}.Deploy`)
      .sort(),
  );
  expect(smoke.RunOrder).toBeGreaterThan(Math.max(...devDeploys.map((a) => a.RunOrder)));
  const approval = prod.Actions.find((a) => a.ActionTypeId.Provider === 'Manual')!;
  expect(approval.Name).toBe('Approve-prod');
  const prodDeploys = prod.Actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');
  expect(prodDeploys.length).toBeGreaterThan(0);
  for (const d of prodDeploys) expect(d.RunOrder).toBeGreaterThan(approval.RunOrder);
  expect(dev.Actions.some((a) => a.ActionTypeId.Provider === 'Manual')).toBe(false);
});

test('the smoke test reads its targets from the assembly and may invoke only the live aliases', () => {
  const smokeProject = Object.values(t.findResources('AWS::CodeBuild::Project')).find((p) =>
    String(p.Properties.Source.BuildSpec).includes('npm run synthetic -- --remote'),
  )!;
  const devModel = s.model.stages.find((st) => st.name === 'dev')!;
  expect(String(smokeProject.Properties.Source.BuildSpec)).toContain(
    'npm run synthetic -- --remote --targets assembly/smoke/dev-wave1.json',
  );
  const targets = JSON.parse(
    fs.readFileSync(path.join(s.outdir, 'smoke', 'dev-wave1.json'), 'utf8'),
  ) as { targets: { service: string; aliasArn: string }[] };
  const env = stageEnvironments(devModel)[0];
  expect(targets.targets).toEqual(
    devModel.services.map((x) => ({
      service: x.name,
      environment: env.name,
      aliasArn: `arn:aws:lambda:${env.region}:${env.account}:function:${devModel.prefix}-${x.name}:live`,
    })),
  );
  const dev = stages.find((st) => st.Name === 'dev')!;
  const smoke = dev.Actions.find((a) => a.Name === 'SmokeTest-dev')!;
  expect(smoke.Configuration?.EnvironmentVariables).toBeUndefined();
  t.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: {
      Statement: Match.arrayWith([
        {
          Action: 'lambda:InvokeFunction',
          Effect: 'Allow',
          Resource: `arn:aws:lambda:${env.region}:${env.account}:function:${devModel.prefix}-*:live`,
        },
      ]),
    },
  });
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
