import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { metrics } from '../../../scripts/ops/commands/metrics';
import {
  ACCOUNT,
  deployedIn,
  env,
  harness,
  OTHER_ACCOUNT,
  PIPELINE,
  selection,
  serviceModel,
  stageModel,
} from './harness';

const stage = stageModel([
  serviceModel('payments'), // thresholds: error rate 2% (from 5 invocations/min), p99 800 ms, 3 throttles/min
  serviceModel('order-history', {
    alarms: {
      errorRatePercent: 5,
      minInvocationsPerMinute: 10,
      p99LatencyMs: 900,
      maxThrottles: 1,
    },
  }),
]);

/** The queries `metrics` sends for the service at `index`. */
function queries(functionName: string, index: number) {
  const dimensions = [
    { Name: 'FunctionName', Value: functionName },
    { Name: 'Resource', Value: `${functionName}:live` },
  ];
  return [
    ['invocations', 'Invocations', 'Sum'],
    ['errors', 'Errors', 'Sum'],
    ['throttles', 'Throttles', 'Sum'],
    ['p99', 'Duration', 'p99'],
  ].map(([id, MetricName, Stat]) => ({
    Id: `${id}${index}`,
    MetricStat: {
      Metric: { Namespace: 'AWS/Lambda', MetricName, Dimensions: dimensions },
      Period: 60,
      Stat,
    },
    ReturnData: true,
  }));
}

test('checks every minute of each alias against its thresholds, across pages; exits 1 on a breach', async () => {
  const h = harness();
  deployedIn(h.mocks, stage);
  h.mocks.cloudwatch
    .on(GetMetricDataCommand)
    .resolvesOnce({
      MetricDataResults: [
        { Id: 'invocations0', Values: [100, 300] },
        { Id: 'errors0', Values: [1, 1] },
        { Id: 'p990', Values: [300, 850] },
      ],
      NextToken: 'page-2',
    })
    .resolves({
      MetricDataResults: [
        { Id: 'invocations0', Values: [400] },
        { Id: 'errors0', Values: [0] },
        { Id: 'throttles0', Values: [] },
        { Id: 'invocations1', Values: [] },
      ],
    });

  expect(await metrics(selection(stage), h.deps)).toBe(1);

  const input = {
    MetricDataQueries: [
      ...queries(`${PIPELINE}-live1-payments`, 0),
      ...queries(`${PIPELINE}-live1-order-history`, 1),
    ],
    StartTime: new Date('2026-11-21T09:52:00Z'),
    EndTime: new Date('2026-11-21T10:07:00Z'),
    ScanBy: 'TimestampAscending',
  };
  expect(h.calls('cloudwatch')).toEqual([
    ['GetMetricData', { ...input, NextToken: undefined }],
    ['GetMetricData', { ...input, NextToken: 'page-2' }],
  ]);
  expect(h.lines).toEqual([
    'live1: live alias metrics from 2026-11-21 09:52:00 UTC to 2026-11-21 10:07:00 UTC (15 min), each minute checked against the alarm thresholds',
    '',
    'live1 (account 333333333333, eu-west-1)',
    '',
    `  payments (${PIPELINE}-live1-payments:live)`,
    '    error rate   0.25% (2 of 800 invocations failed)',
    '    errors       worst minute 1.00%, alarm above 2% of 5+/min   PASS',
    '    p99          worst minute 850 ms, alarm above 800 ms        FAIL',
    '    throttles    worst minute no data, alarm at 3 or more       PASS',
    '',
    `  order-history (${PIPELINE}-live1-order-history:live)`,
    '    error rate   n/a (0 of 0 invocations failed)',
    '    errors       worst minute no data, alarm above 5% of 10+/min PASS',
    '    p99          worst minute no data, alarm above 900 ms       PASS',
    '    throttles    worst minute no data, alarm at 1 or more       PASS',
    '',
    '✖ 1 check(s) failed',
  ]);
});

test('exits 0 when every minute is within the thresholds, over the window asked for', async () => {
  const h = harness();
  deployedIn(h.mocks, stage);
  h.mocks.cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'invocations0', Values: [1000] },
      { Id: 'errors0', Values: [1] },
      { Id: 'throttles0', Values: [2] },
      { Id: 'p990', Values: [799] },
    ],
  });
  const one = { ...selection(stage), services: stage.services.slice(0, 1) };

  expect(await metrics(one, { ...h.deps, windowMinutes: 60 })).toBe(0);

  const [[, input]] = h.calls('cloudwatch') as [string, { StartTime: Date; EndTime: Date }][];
  expect(input.EndTime.getTime() - input.StartTime.getTime()).toBe(60 * 60_000);
  expect(h.lines.slice(-5)).toEqual([
    '    errors       worst minute 0.10%, alarm above 2% of 5+/min   PASS',
    '    p99          worst minute 799 ms, alarm above 800 ms        PASS',
    '    throttles    worst minute 2, alarm at 3 or more             PASS',
    '',
    '✔ every check passed',
  ]);
  expect(h.lines).toContain('    error rate   0.10% (1 of 1,000 invocations failed)');
});

test('a minute of enough invocations above the error rate fails, as the alarm would; a quieter one is not judged', async () => {
  const h = harness();
  deployedIn(h.mocks, stage);
  h.mocks.cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'invocations0', Values: [10, 4] },
      { Id: 'errors0', Values: [1, 4] },
    ],
  });
  expect(await metrics(one(), h.deps)).toBe(1);
  expect(h.lines).toContain('    errors       worst minute 10.00%, alarm above 2% of 5+/min  FAIL');

  const quiet = harness();
  deployedIn(quiet.mocks, stage);
  quiet.mocks.cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'invocations0', Values: [4] },
      { Id: 'errors0', Values: [4] },
    ],
  });
  expect(await metrics(one(), quiet.deps)).toBe(0);
  expect(quiet.lines).toContain(
    '    errors       worst minute no data, alarm above 2% of 5+/min PASS',
  );
});

/** The stage with its first service only. */
function one() {
  return { ...selection(stage), services: stage.services.slice(0, 1) };
}

test('reads each environment in its own region; names one out of reach and exits 2', async () => {
  const edge = stageModel([serviceModel('payments')], 'edge', {
    waves: [
      [env('edge-eu', ACCOUNT, 'eu-west-1'), env('edge-ap', OTHER_ACCOUNT, 'ap-southeast-2')],
    ],
  });
  const h = harness();
  deployedIn(h.mocks, edge);
  h.mocks.cloudwatch.on(GetMetricDataCommand).resolves({
    MetricDataResults: [
      { Id: 'invocations0', Values: [200] },
      { Id: 'errors0', Values: [0] },
    ],
  });

  expect(await metrics(selection(edge), h.deps)).toBe(2);

  expect(h.calls('cloudwatch').map(([name]) => name)).toEqual(['GetMetricData']);
  expect(h.calls('cloudwatch', 'ap-southeast-2')).toEqual([]);
  expect(h.lines).toContain('edge-eu (account 333333333333, eu-west-1)');
  expect(h.lines).toContain('    error rate   0.00% (0 of 200 invocations failed)');
  expect(h.lines.slice(-4)).toEqual([
    '  ✖ not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
    '',
    '✖ not read: edge-ap (see above)',
    '✔ every check passed',
  ]);
});
