import { Strategy } from '../../lib/config/strategy';
import { serviceNetworkParameterName } from '../../lib/resource-names';
import { readAssembly, type AssembledApp } from '../helpers/default-app';
import { deployedServices, ofType, resourcesOf, type Resources } from '../helpers/deployed-service';
import { frontDoorOf } from '../helpers/lattice';
import { appModel, environmentModel, serviceModel, stageModel } from '../helpers/model';
import { synthFast } from '../helpers/synth';

/**
 * A fixture stage with two services, one with a front door, in two environments: one where the
 * stage creates the service network (with VPCs, accounts and an organization that may call),
 * one that names an existing network.
 */
const created = environmentModel('east', '444444444444', 'us-east-1', {
  lattice: {
    vpcIds: ['vpc-0123456789abcdef0', 'vpc-0fedcba9876543210'],
    allowedAccounts: ['444444444444', '555555555555'],
    organizationId: 'o-a1b2c3d4e5',
  },
});
const existing = environmentModel('west', '666666666666', 'us-west-2', {
  lattice: {
    serviceNetwork: 'sn-0123456789abcdef0',
    vpcIds: [],
    allowedAccounts: ['666666666666'],
  },
});
const stage = stageModel(
  'live',
  Strategy.canary(10, 5),
  [serviceModel('alpha', { lattice: true }), serviceModel('beta-two')],
  { waves: [[created], [existing]], requiresApproval: true },
);
const model = appModel([stage], { regions: ['eu-west-1', 'us-east-1', 'us-west-2'] });
let app: AssembledApp;

beforeAll(() => {
  app = readAssembly(model, synthFast(model).outdir);
});

const inEnvironment = (name: string) => app.environments.find((e) => e.environment.name === name)!;
const serviceResources = (env: string, service: string): Resources => {
  for (const stack of inEnvironment(env).serviceStacks) {
    const resources = resourcesOf(stack);
    if (deployedServices(resources, stage.prefix).some((d) => d.name === service)) return resources;
  }
  throw new Error(`no stack of ${service} in ${env}`);
};

test('the opted-in service has a Lattice service, HTTPS listener, target group on its live alias, auth policy, access logs and a network association', () => {
  for (const env of ['east', 'west']) {
    const resources = serviceResources(env, 'alpha');
    const [deployed] = deployedServices(resources, stage.prefix).filter((d) => d.name === 'alpha');
    const door = frontDoorOf(resources, stage.prefix, 'alpha')!;
    expect(door.service.Properties).toMatchObject({
      Name: 'fixture-pipeline-live-alpha',
      AuthType: 'AWS_IAM',
    });
    expect(door.listeners).toHaveLength(1);
    expect(door.listeners[0].Properties).toMatchObject({ Protocol: 'HTTPS', Port: 443 });
    const forward = door.listeners[0].Properties.DefaultAction.Forward.TargetGroups;
    expect(forward).toHaveLength(1);
    expect(forward[0].Weight).toBe(100);
    expect(door.targetGroups[0].Properties).toMatchObject({
      Type: 'LAMBDA',
      Config: { LambdaEventStructureVersion: 'V2' },
      Targets: [{ Id: { Ref: deployed.aliasId } }],
    });
    expect(door.authPolicies).toHaveLength(1);
    const [logs] = door.accessLogs;
    const logGroupId = logs.Properties.DestinationArn['Fn::GetAtt'][0];
    expect(resources[logGroupId].Properties.RetentionInDays).toBe(30);
    expect(door.associations).toHaveLength(1);
  }
});

test('the other service has no front door', () => {
  for (const env of ['east', 'west']) {
    const resources = serviceResources(env, 'beta-two');
    expect(frontDoorOf(resources, stage.prefix, 'beta-two')).toBeUndefined();
    // Each service has a stack of its own here: the other's holds no Lattice resource at all.
    expect(Object.values(resources).filter((r) => r.Type.startsWith('AWS::VpcLattice::'))).toEqual(
      [],
    );
  }
});

test('only the configured accounts and organization may invoke, authenticated', () => {
  const door = frontDoorOf(serviceResources('east', 'alpha'), stage.prefix, 'alpha')!;
  const statements = door.authPolicies[0].Properties.Policy.Statement;
  expect(statements).toHaveLength(2);
  expect(statements[0]).toMatchObject({
    Effect: 'Allow',
    Principal: { AWS: ['arn:aws:iam::444444444444:root', 'arn:aws:iam::555555555555:root'] },
    Action: 'vpc-lattice-svcs:Invoke',
  });
  expect(statements[1]).toMatchObject({
    Principal: '*',
    Condition: {
      StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
      StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
    },
  });
  for (const st of statements) expect(JSON.stringify(st.Resource)).toContain('/*');
});

test('Lattice may invoke the live alias, from its own target group only', () => {
  const resources = serviceResources('east', 'alpha');
  const [deployed] = deployedServices(resources, stage.prefix).filter((d) => d.name === 'alpha');
  const lattice = ofType(resources, 'AWS::Lambda::Permission').filter(
    ([, p]) => p.Properties.Principal === 'vpc-lattice.amazonaws.com',
  );
  expect(lattice).toHaveLength(1);
  expect(lattice[0][1].Properties.FunctionName).toEqual({ Ref: deployed.aliasId });
  expect(JSON.stringify(lattice[0][1].Properties.SourceArn)).toContain('TargetGroup');
});

test('where the stage creates the network: IAM auth, the configured VPCs, its ARN in a parameter the service stacks read', () => {
  const monitoring = resourcesOf(inEnvironment('east').monitoringStack);
  const networks = ofType(monitoring, 'AWS::VpcLattice::ServiceNetwork');
  expect(networks.map(([, n]) => n.Properties)).toEqual([
    expect.objectContaining({ Name: 'fixture-pipeline-live', AuthType: 'AWS_IAM' }),
  ]);
  expect(
    ofType(monitoring, 'AWS::VpcLattice::ServiceNetworkVpcAssociation')
      .map(([, a]) => a.Properties.VpcIdentifier)
      .sort(),
  ).toEqual(['vpc-0123456789abcdef0', 'vpc-0fedcba9876543210']);
  const [[, parameter]] = ofType(monitoring, 'AWS::SSM::Parameter');
  expect(parameter.Properties.Name).toBe(serviceNetworkParameterName(stage.prefix));
  const door = frontDoorOf(serviceResources('east', 'alpha'), stage.prefix, 'alpha')!;
  const identifier = door.associations[0].Properties.ServiceNetworkIdentifier;
  const stack = inEnvironment('east').serviceStacks.find((s) =>
    JSON.stringify(s.template).includes(JSON.stringify(identifier)),
  )!;
  expect(stack.template.Parameters[identifier.Ref]).toMatchObject({
    Type: 'AWS::SSM::Parameter::Value<String>',
    Default: serviceNetworkParameterName(stage.prefix),
  });
});

test('where the environment names an existing network: no network is created, the service joins it', () => {
  const monitoring = resourcesOf(inEnvironment('west').monitoringStack);
  expect(ofType(monitoring, 'AWS::VpcLattice::ServiceNetwork')).toEqual([]);
  const door = frontDoorOf(serviceResources('west', 'alpha'), stage.prefix, 'alpha')!;
  expect(door.associations[0].Properties.ServiceNetworkIdentifier).toBe('sn-0123456789abcdef0');
});

test('a 5xx alarm on the front door notifies and is in no deployment group; the dashboard charts it', () => {
  const resources = serviceResources('east', 'alpha');
  const alarm = ofType(resources, 'AWS::CloudWatch::Alarm').find(([, a]) =>
    String(a.Properties.AlarmName).endsWith('-lattice-5xx'),
  )!;
  expect(alarm[1].Properties.Namespace).toBe('AWS/VpcLattice');
  expect(alarm[1].Properties.MetricName).toBe('HTTPCode_5XX_Count');
  expect(alarm[1].Properties.AlarmActions).toHaveLength(1);
  const [deployed] = deployedServices(resources, stage.prefix).filter((d) => d.name === 'alpha');
  expect(Object.keys(deployed.alarms)).not.toContain(alarm[0]);
  const dashboards = JSON.stringify(ofType(resources, 'AWS::CloudWatch::Dashboard'));
  expect(dashboards).toContain('AWS/VpcLattice');
  expect(dashboards).toContain('TotalRequestCount');
  expect(dashboards).toContain('RequestTime');
});
