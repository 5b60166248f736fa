import { LIMITS } from '../../lib/compliance/aws-limits';
import { Strategy } from '../../lib/config/strategy';
import { nearestLimits, synthSummary } from '../../lib/synth-summary';
import { appModel, environmentModel, serviceModel, stageModel } from '../helpers/model';

const services = [serviceModel('alpha', { lattice: true }), serviceModel('beta')];
const model = appModel([
  stageModel('qa', Strategy.predefined('ALL_AT_ONCE'), services, { account: '210987654321' }),
  stageModel('live', Strategy.canary(20, 5), services, {
    requiresApproval: true,
    bakeMinutes: 30,
    waves: [
      [environmentModel('live-a', '123456789012', 'eu-west-1')],
      [
        environmentModel('live-b', '123456789012', 'us-east-2'),
        environmentModel('live-c', '123456789013', 'ap-southeast-2'),
      ],
    ],
  }),
]);

const checked = [
  {
    template: 'stackA.template.json',
    measurements: [
      { rule: LIMITS.resources, value: 100 },
      { rule: LIMITS.outputs, value: 150, subject: 'outputs of stackA' },
    ],
  },
  {
    template: 'stackB.template.json',
    measurements: [
      { rule: LIMITS.resources, value: 400 },
      { rule: LIMITS.outputs, value: 10 },
    ],
  },
];

test('one line per stage with its services, strategy, gates and every environment', () => {
  const lines = synthSummary(model, checked, []);
  expect(lines[0]).toBe('Pipeline fixture-pipeline: 2 stage(s), in cdk.out/');
  expect(lines[1]).toMatch(
    /^ {2}qa +2 service\(s\), ALL_AT_ONCE, 1 behind VPC Lattice → eu-west-1\/210987654321$/,
  );
  expect(lines[2]).toContain('2 service(s)');
  expect(lines[2]).toContain('approval first, 2 waves, bake 30 min');
  expect(lines[2]).toContain(
    '→ eu-west-1/123456789012, us-east-2/123456789012, ap-southeast-2/123456789013',
  );
  expect(lines[3]).toBe(
    '✔ Compliance gate passed: 0 findings in 2 template(s) (cdk-nag AwsSolutions and Serverless, CloudFormation validation, dependency cycles, AWS limits)',
  );
});

test('names the configuration folder when it is not the project root', () => {
  const lines = synthSummary(model, checked, [], { configRoot: 'examples/elsewhere' });
  expect(lines[0]).toBe(
    'Pipeline fixture-pipeline (configuration examples/elsewhere): 2 stage(s), in cdk.out/',
  );
});

test('the nearest limits come first, one per rule, named by where they were measured', () => {
  const nearest = nearestLimits(checked);
  expect(nearest.map((n) => [n.measurement.rule.id, n.measurement.value, n.where])).toEqual([
    [LIMITS.resources.id, 400, 'stackB'],
    [LIMITS.outputs.id, 150, 'outputs of stackA'],
  ]);
  expect(synthSummary(model, checked, []).at(-1)).toContain(
    'resources in a CloudFormation stack (stackB) 400 / 500 (80%)',
  );
});

test('findings are listed with where they are and the fix, and the verdict says failed', () => {
  const lines = synthSummary(model, checked, [
    {
      plugin: 'cdk-nag',
      rule: 'AwsSolutions-IAM5',
      severity: 'error',
      path: '/live/alpha/Role',
      description: 'The IAM entity contains wildcard permissions',
      fix: 'Name the resources',
    },
  ]);
  expect(lines).toEqual(
    expect.arrayContaining([
      '✖ Compliance gate failed: 1 unacknowledged finding(s) in 2 template(s) (details in cdk.out/validation-report.json):',
      '  ERROR AwsSolutions-IAM5',
      '      at /live/alpha/Role',
      '      The IAM entity contains wildcard permissions',
      '      Fix: Name the resources',
    ]),
  );
  expect(lines.some((l) => l.startsWith('✔'))).toBe(false);
});
