import { Strategy } from '../../lib/config/strategy';
import { breaches, evaluate, type Minute, type Traffic } from '../helpers/alarm-evaluation';
import { readAssembly } from '../helpers/default-app';
import { deployedServices, ofType, resourcesOf, type Resource } from '../helpers/deployed-service';
import { appModel, serviceModel, stageModel } from '../helpers/model';
import { synthFast } from '../helpers/synth';

/**
 * What the synthesized alarms decide in a canary minute: the deployment group's alarms roll a
 * release back, the fleet alarm only notifies. Thresholds of the fixture service: error rate 2%
 * in minutes of at least 5 invocations, p99 800 ms, 3 throttles, and the new version at most 1
 * percentage point worse than the old.
 */
let release: Resource[];
let fleet: Resource;

beforeAll(() => {
  const service = serviceModel('alpha');
  const stage = stageModel('live', Strategy.canary(10, 5), [service], { requiresApproval: true });
  const model = appModel([stage]);
  const app = readAssembly(model, synthFast(model).outdir);
  const [env] = app.environments;
  const resources = resourcesOf(env.serviceStacks[0]);
  release = Object.values(deployedServices(resources, stage.prefix)[0].alarms);
  [[, fleet]] = ofType(resourcesOf(env.monitoringStack), 'AWS::CloudWatch::Alarm');
});

const traffic = (t: Partial<Traffic>): Traffic => ({
  invocations: 0,
  errors: 0,
  p99: 100,
  throttles: 0,
  ...t,
});
const rollsBack = (minute: Minute) => release.some((alarm) => breaches(alarm, minute));
const firing = (minute: Minute) =>
  release
    .filter((alarm) => breaches(alarm, minute))
    .map((a) => String(a.Properties.AlarmName).replace(/^.*-alpha-/, ''));

test('a healthy canary beside a healthy fleet: no alarm', () => {
  const minute = { released: traffic({ invocations: 10 }), old: traffic({ invocations: 90 }) };
  expect(firing(minute)).toEqual([]);
  expect(breaches(fleet, minute)).toBe(false);
});

test("the new version's errors roll back while the old version is healthy, though the alias as a whole is under the threshold", () => {
  // 1 error in 10 calls of the new version is 10%; over the alias's 1,000 calls it is 0.1%.
  const minute = {
    released: traffic({ invocations: 10, errors: 1 }),
    old: traffic({ invocations: 990 }),
  };
  expect(firing(minute)).toEqual(['canary-error-rate', 'canary-vs-baseline']);
  expect(breaches(fleet, minute)).toBe(false);
});

test('errors of the old version alone roll nothing back: the fix on its way out is not judged on them', () => {
  const minute = {
    released: traffic({ invocations: 10 }),
    old: traffic({ invocations: 90, errors: 45 }),
  };
  expect(rollsBack(minute)).toBe(false);
  // The fleet alarm sees the alias at 45% errors: it notifies, it is in no deployment group.
  expect(breaches(fleet, minute)).toBe(true);
});

test('too few invocations of the new version in a minute are not judged on their error rate', () => {
  const minute = {
    released: traffic({ invocations: 2, errors: 1 }),
    old: traffic({ invocations: 98 }),
  };
  expect(firing(minute)).toEqual([]);
});

test('a new version as bad as the old one, above the threshold, rolls back on the threshold, not on the comparison', () => {
  const minute = {
    released: traffic({ invocations: 100, errors: 5 }),
    old: traffic({ invocations: 900, errors: 45 }),
  };
  expect(firing(minute)).toEqual(['canary-error-rate']);
});

test('a slow new version and its throttles are judged on the new version too', () => {
  expect(
    firing({ released: traffic({ invocations: 10, p99: 900 }), old: traffic({ invocations: 90 }) }),
  ).toEqual(['canary-p99-latency']);
  expect(
    firing({
      released: traffic({ invocations: 10, throttles: 3 }),
      old: traffic({ invocations: 90, throttles: 0 }),
    }),
  ).toEqual(['canary-throttles']);
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
