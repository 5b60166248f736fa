import { Strategy } from '../../lib/config/strategy';
import { judgePolicy } from '../../lib/service/judge-policy';
import { judge } from '../../runtime/judge/judge';
import { releaseJudgementSchema } from '../../runtime/judge/judge-config';
import { evaluateAlarm, type AlarmSpec } from '../../runtime/model/alarm';
import { breaches, evaluate, type Traffic } from '../helpers/alarm-evaluation';
import { readAssembly } from '../helpers/default-app';
import {
  deployedServices,
  ofType,
  resourcesOf,
  type DeployedService,
  type Resource,
  type Resources,
} from '../helpers/deployed-service';
import { appModel, serviceModel, stageModel } from '../helpers/model';
import { synthFast } from '../helpers/synth';

/**
 * What decides a release in the synthesized templates: the deployment group's one alarm watches
 * the release judge's verdict on the version being deployed; the post-traffic hook carries the
 * judgement; the fleet alarm only notifies. The judge's statistics are tested in
 * test/runtime/judge; here, that the templates wire them as the runtime expects.
 */
const service = serviceModel('alpha');
let canary: { resources: Resources; deployed: DeployedService; fleet: Resource };
let allAtOnce: { resources: Resources; deployed: DeployedService };

beforeAll(() => {
  const live = stageModel(
    'live',
    Strategy.canary(10, 5),
    [{ ...service, strategy: Strategy.canary(10, 5) }],
    {
      requiresApproval: true,
    },
  );
  const test = stageModel('test', Strategy.allAtOnce(), [
    serviceModel('alpha', { strategy: Strategy.allAtOnce() }),
  ]);
  const model = appModel([test, live]);
  const app = readAssembly(model, synthFast(model).outdir);
  const [testEnv, liveEnv] = app.environments;
  const liveResources = resourcesOf(liveEnv.serviceStacks[0]);
  canary = {
    resources: liveResources,
    deployed: deployedServices(liveResources, live.prefix)[0],
    fleet: ofType(resourcesOf(liveEnv.monitoringStack), 'AWS::CloudWatch::Alarm').find(([, a]) =>
      String(a.Properties.AlarmName).endsWith('-fleet'),
    )![1],
  };
  const testResources = resourcesOf(testEnv.serviceStacks[0]);
  allAtOnce = {
    resources: testResources,
    deployed: deployedServices(testResources, test.prefix)[0],
  };
});

/** The alarm's own evaluation settings, read from the template. */
function specOf(alarm: Resource): AlarmSpec {
  const p = alarm.Properties;
  return {
    evaluationPeriods: p.EvaluationPeriods,
    datapointsToAlarm: p.DatapointsToAlarm,
    threshold: p.Threshold,
    comparison: p.ComparisonOperator,
  };
}

test("the deployment group's one alarm is the judge's verdict on the version being deployed", () => {
  const { deployed } = canary;
  const alarms = Object.values(deployed.alarms);
  expect(alarms).toHaveLength(1);
  const [alarm] = alarms;
  const version = { 'Fn::GetAtt': [deployed.versionId, 'Version'] };
  expect(alarm.Properties).toMatchObject({
    Namespace: 'LambdaCanary',
    MetricName: 'Verdict',
    Dimensions: [
      { Name: 'FunctionName', Value: 'fixture-pipeline-live-alpha' },
      { Name: 'Version', Value: version },
    ],
    Statistic: 'Maximum',
    Period: 60,
    TreatMissingData: 'notBreaching',
    // Named after the version: a new alarm (CloudFormation replaces it) for every release.
    AlarmName: { 'Fn::Join': ['', ['fixture-pipeline-live-alpha-canary-verdict-v', version]] },
  });
  expect(deployed.group.Properties.AutoRollbackConfiguration.Events).toEqual(
    expect.arrayContaining(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
  );
});

test('one rollback verdict makes the alarm fire for three minutes; no verdict, no alarm', () => {
  const spec = specOf(Object.values(canary.deployed.alarms)[0]);
  const verdicts = new Map([
    [10, 0],
    [11, 1],
  ]);
  expect(evaluateAlarm(spec, verdicts, 11)).toBe('OK');
  expect([12, 13, 14].map((m) => evaluateAlarm(spec, verdicts, m))).toEqual([
    'ALARM',
    'ALARM',
    'ALARM',
  ]);
  expect(evaluateAlarm(spec, verdicts, 15)).toBe('OK');
  expect(evaluateAlarm(spec, new Map(), 15)).toBe('OK');
});

test('the post-traffic hook judges a canary release as the service is configured; all at once it only runs its checks', () => {
  const hook = canary.resources[canary.deployed.postHookId].Properties;
  const judgement = releaseJudgementSchema.parse(
    JSON.parse(hook.Environment.Variables.RELEASE_JUDGEMENT),
  );
  expect(judgement.policy).toEqual(judgePolicy({ ...service, strategy: Strategy.canary(10, 5) }));
  expect(hook.Timeout).toBe(900);
  // Three failed calls of three roll a release of this service back.
  expect(
    judge(judgement.policy, {
      released: { calls: 3, errors: 3, slow: 0 },
      throttles: { during: { throttles: 0, calls: 3 }, before: { throttles: 0, calls: 3 } },
    }).decision,
  ).toBe('roll-back');

  const quick = allAtOnce.resources[allAtOnce.deployed.postHookId].Properties;
  expect(quick.Environment.Variables.RELEASE_JUDGEMENT).toBeUndefined();
  expect(quick.Timeout).toBe(120);
});

test('versions are kept, except one whose release is rolled back (so the same code can ship again)', () => {
  expect(canary.deployed.version.DeletionPolicy).toBe('RetainExceptOnCreate');
  expect(canary.deployed.version.UpdateReplacePolicy).toBe('Retain');
});

const traffic = (t: Partial<Traffic>): Traffic => ({
  invocations: 0,
  errors: 0,
  p99: 100,
  throttles: 0,
  ...t,
});

test('the fleet alarm watches the whole alias and is in no deployment group: the old version’s errors notify, never roll back', () => {
  const minute = {
    released: traffic({ invocations: 10 }),
    old: traffic({ invocations: 90, errors: 45 }),
  };
  expect(breaches(canary.fleet, minute)).toBe(true);
  expect(Object.values(canary.deployed.alarms)).not.toContain(canary.fleet);
  expect(
    breaches(canary.fleet, {
      released: traffic({ invocations: 10 }),
      old: traffic({ invocations: 90 }),
    }),
  ).toBe(false);
});

test('the evaluator reads the expressions the way CloudWatch documents them', () => {
  const values = new Map([
    ['inv', 10],
    ['err', 1],
  ]);
  expect(evaluate('IF(inv >= 5, 100 * err / inv, 0)', values)).toBe(10);
  expect(evaluate('IF(inv >= 20 AND err > 0, 1, 2)', values)).toBe(2);
  expect(evaluate('MAX([err / 2, FILL(inv, 0) / 4])', values)).toBe(2.5);
  expect(() => evaluate('inv +', values)).toThrow();
});
