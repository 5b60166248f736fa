import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { Strategy } from '../../lib/config/strategy';
import { appModel, serviceModel, stageModel } from '../helpers/model';
import { synthFast } from '../helpers/synth';

/**
 * Two copies of the app in one account (two teams, or a second pipeline for another branch) must
 * not collide: every physical name the app sets carries the pipeline's name.
 */

/** The properties that hold a physical name, unique in an account and region, per type. */
const PHYSICAL_NAMES: Record<string, string> = {
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::CompositeAlarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::SQS::Queue': 'QueueName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::CodeDeploy::DeploymentGroup': 'DeploymentGroupName',
  'AWS::CodePipeline::Pipeline': 'Name',
  'AWS::CodeBuild::Project': 'Name',
  'AWS::Events::Rule': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::VpcLattice::Service': 'Name',
  'AWS::VpcLattice::ServiceNetwork': 'Name',
  'AWS::VpcLattice::TargetGroup': 'Name',
};

/** Every physical name an app sets, with the account and region it lives in. */
function physicalNames(pipelineName: string): string[] {
  const services = [serviceModel('alpha'), serviceModel('beta-two')];
  const model = appModel(
    [
      stageModel('qa', Strategy.allAtOnce(), services, { pipelineName, smokeTests: true }),
      stageModel('live', Strategy.canary(10, 5), services, {
        pipelineName,
        requiresApproval: true,
        account: '555555555555',
      }),
    ],
    { pipelineName },
  );
  const names: string[] = [];
  for (const stack of new CloudAssembly(synthFast(model).outdir).stacksRecursively) {
    const where = `${stack.environment.account}/${stack.environment.region}`;
    names.push(`${where} stack ${stack.stackName}`);
    for (const resource of Object.values(
      stack.template.Resources as Record<
        string,
        { Type: string; Properties?: Record<string, unknown> }
      >,
    )) {
      const property = PHYSICAL_NAMES[resource.Type];
      const value = property && resource.Properties?.[property];
      if (typeof value === 'string') names.push(`${where} ${resource.Type} ${value}`);
    }
  }
  return names;
}

let teamA: string[];
let teamB: string[];

beforeAll(() => {
  teamA = physicalNames('team-a');
  teamB = physicalNames('team-b');
});

test('every physical name is unique within one app', () => {
  expect(teamA.length).toBeGreaterThan(20);
  expect(teamA.filter((n, i) => teamA.indexOf(n) !== i)).toEqual([]);
});

test('two apps with different pipeline names share no physical name', () => {
  expect(teamA.filter((n) => teamB.includes(n))).toEqual([]);
});
