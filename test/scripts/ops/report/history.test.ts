import {
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
  PipelineNotFoundException,
} from '@aws-sdk/client-codepipeline';
import { readExecutions, type HistoryScope } from '../../../../scripts/ops/report/history';
import { ACCOUNT, harness, PIPELINE, REGION } from '../harness';
import { buildHistory, COUNT, startOf } from './fixture';
import { PAGES, serveHistory } from './serve';

const history = buildHistory();
const since = new Date('2026-10-22T10:07:30Z');
const scope = (needsRules: HistoryScope['needsRules'] = () => false): HistoryScope => ({
  pipelineName: PIPELINE,
  account: ACCOUNT,
  region: REGION,
  since,
  needsRules,
});

test('reads the executions since the window’s start, page by page, and stops there', async () => {
  const h = harness();
  serveHistory(h, history);
  const records = await readExecutions(h.clients.codepipeline, scope());

  // 50 standard executions and 2 rollbacks started in the window; 2 older ones did not.
  expect(records).toHaveLength(COUNT + 2);
  expect(records.every((r) => r.summary.startTime! >= since)).toBe(true);
  expect(records[records.length - 1].summary.startTime).toEqual(startOf(1));
  const listed = h.calls('codepipeline').filter(([name]) => name === 'ListPipelineExecutions');
  // Pages of 20: the third holds the older executions, so the fourth is never asked for.
  expect(listed.map(([, input]) => input)).toEqual([
    { pipelineName: PIPELINE },
    { pipelineName: PIPELINE, nextToken: `next@${PAGES.executions}` },
    { pipelineName: PIPELINE, nextToken: `next@${2 * PAGES.executions}` },
  ]);
});

test('every action of each execution, following nextToken; rules only where needed', async () => {
  const h = harness();
  serveHistory(h, history);
  const records = await readExecutions(
    h.clients.codepipeline,
    scope((actions) => actions.some((a) => a.stageName === 'prod')),
  );
  const full = history.executions.find(
    (e) => e.summary.pipelineExecutionId === records[5].summary.pipelineExecutionId,
  )!;
  expect(records[5].actions).toHaveLength(full.actions.length);
  expect(full.actions.length).toBeGreaterThan(PAGES.actions);

  const calls = h.calls('codepipeline');
  const executionOf = (input: unknown) =>
    (input as { filter: { pipelineExecutionId: string } }).filter.pipelineExecutionId;
  const actionCalls = calls.filter(([name]) => name === 'ListActionExecutions');
  const id = records[5].summary.pipelineExecutionId;
  expect(actionCalls.filter(([, input]) => executionOf(input) === id).map(([, i]) => i)).toEqual([
    { pipelineName: PIPELINE, filter: { pipelineExecutionId: id } },
    {
      pipelineName: PIPELINE,
      filter: { pipelineExecutionId: id },
      nextToken: `next@${PAGES.actions}`,
    },
  ]);
  // Each execution of the window, and none before it.
  expect(new Set(actionCalls.map(([, i]) => executionOf(i)))).toEqual(
    new Set(records.map((r) => r.summary.pipelineExecutionId)),
  );

  // Rules: only for the executions that reached prod.
  const ruleIds = calls
    .filter(([name]) => name === 'ListRuleExecutions')
    .map(([, i]) => executionOf(i));
  const reachedProd = records.filter((r) => r.actions.some((a) => a.stageName === 'prod'));
  expect(new Set(ruleIds)).toEqual(new Set(reachedProd.map((r) => r.summary.pipelineExecutionId)));
  expect(records.find((r) => r.rules.length > 0)!.rules[0].ruleName).toBe('Bake-prod');
  const others = records.filter((r) => !reachedProd.includes(r));
  expect(others.length).toBeGreaterThan(0);
  expect(others.every((r) => r.rules.length === 0)).toBe(true);
});

test('a pipeline that does not exist is named with the fix', async () => {
  const h = harness();
  h.mocks.codepipeline
    .on(ListPipelineExecutionsCommand)
    .rejects(new PipelineNotFoundException({ message: 'Pipeline not found', $metadata: {} }));
  await expect(readExecutions(h.clients.codepipeline, scope())).rejects.toThrow(
    `pipeline ${PIPELINE} does not exist in account ${ACCOUNT}, ${REGION}: deploy it once (npx cdk deploy), or use credentials for account ${ACCOUNT}, e.g. AWS_PROFILE=<a profile of account ${ACCOUNT}>`,
  );
  expect(h.calls('codepipeline').map(([name]) => name)).toEqual(['ListPipelineExecutions']);
  expect(h.mocks.codepipeline.commandCalls(ListActionExecutionsCommand)).toHaveLength(0);
  expect(h.mocks.codepipeline.commandCalls(ListRuleExecutionsCommand)).toHaveLength(0);
});
