import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { IN_PROGRESS } from '../../../scripts/ops/aws';
import { rollback } from '../../../scripts/ops/commands/rollback';
import { OpsError } from '../../../scripts/ops/types';
import {
  aliasAt,
  deployment,
  harness,
  lambdaTarget,
  namesOf,
  serviceModel,
  stageModel,
  target,
} from './harness';

const stage = stageModel([serviceModel('payments')]);
const { group, alias } = namesOf(target(stage).services[0]);

/** Version 8 is live; it was put live by d-2 (7 → 8); d-R rolled back a later failed 8 → 9. */
function history(h: ReturnType<typeof harness>) {
  h.mocks.codedeploy
    .on(ListDeploymentsCommand, { includeOnlyStatuses: IN_PROGRESS })
    .resolves({ deployments: [] })
    .on(ListDeploymentsCommand, { includeOnlyStatuses: ['Succeeded'] })
    .resolves({ deployments: ['d-1', 'd-2', 'd-R'] })
    .on(BatchGetDeploymentsCommand)
    .resolves({
      deploymentsInfo: [
        deployment('d-1', { status: 'Succeeded', createTime: new Date('2026-11-19T00:00:00Z') }),
        deployment('d-2', { status: 'Succeeded', createTime: new Date('2026-11-20T00:00:00Z') }),
        deployment('d-R', {
          status: 'Succeeded',
          creator: 'codeDeployRollback',
          createTime: new Date('2026-11-21T00:00:00Z'),
        }),
      ],
    })
    .on(ListDeploymentTargetsCommand, { deploymentId: 'd-2' })
    .resolves({ targetIds: ['ops-test-live1-payments'] })
    .on(BatchGetDeploymentTargetsCommand, { deploymentId: 'd-2' })
    .resolves({ deploymentTargets: [lambdaTarget('7', '8')] });
}

test('asks, points the alias at the version live before, with no weights, and verifies it', async () => {
  const h = harness();
  history(h);
  h.mocks.lambda
    .on(GetAliasCommand)
    .resolvesOnce({ FunctionVersion: '8' })
    .resolves({ FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: {} } })
    .on(UpdateAliasCommand)
    .resolves({});

  expect(await rollback(target(stage), h.deps)).toBe(0);

  expect(h.questions).toEqual(['Point ops-test-live1-payments:live at version 7 alone? [y/N] ']);
  expect(h.calls('lambda')).toEqual([
    ['GetAlias', alias],
    [
      'UpdateAlias',
      { ...alias, FunctionVersion: '7', RoutingConfig: { AdditionalVersionWeights: {} } },
    ],
    ['GetAlias', alias],
  ]);
  expect(h.calls('codedeploy')).toEqual([
    ['ListDeployments', { ...group, includeOnlyStatuses: IN_PROGRESS }],
    ['ListDeployments', { ...group, includeOnlyStatuses: ['Succeeded'] }],
    ['BatchGetDeployments', { deploymentIds: ['d-1', 'd-2', 'd-R'] }],
    // d-R only undid a failed deployment: skipped.
    ['ListDeploymentTargets', { deploymentId: 'd-2' }],
    ['BatchGetDeploymentTargets', { deploymentId: 'd-2', targetIds: ['ops-test-live1-payments'] }],
  ]);
  expect(h.lines).toEqual([
    'ops-test-live1-payments:live is at version 8 (100%); the previous version is 7.',
    '✔ ops-test-live1-payments:live is at version 7 (100%) (verified).',
    'CloudFormation still records version 8: the next release through the pipeline deploys as usual.',
  ]);
});

test('declining changes nothing and exits 1; --yes does not ask', async () => {
  const declined = harness({ answer: false });
  history(declined);
  declined.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '8' });
  expect(await rollback(target(stage), declined.deps)).toBe(1);
  expect(declined.lines.at(-1)).toBe('Aborted: nothing changed.');
  expect(declined.mocks.lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);

  const yes = harness({ yes: true });
  history(yes);
  yes.mocks.lambda
    .on(GetAliasCommand)
    .resolvesOnce({ FunctionVersion: '8' })
    .resolves({ FunctionVersion: '7' });
  expect(await rollback(target(stage), yes.deps)).toBe(0);
  expect(yes.questions).toEqual([]);
  expect(yes.mocks.lambda.commandCalls(UpdateAliasCommand)).toHaveLength(1);
});

test('with traffic split, goes back to the main version alone without reading history', async () => {
  const h = harness({ yes: true });
  h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  h.mocks.lambda
    .on(GetAliasCommand)
    .resolvesOnce(aliasAt('7', { '8': 0.3 }))
    .resolves({ FunctionVersion: '7' });

  expect(await rollback(target(stage), h.deps)).toBe(0);

  expect(h.lines[0]).toBe(
    'ops-test-live1-payments:live is at version 7 70% · version 8 30%; the previous version is 7.',
  );
  expect(h.calls('codedeploy')).toEqual([
    ['ListDeployments', { ...group, includeOnlyStatuses: IN_PROGRESS }],
  ]);
  expect(h.mocks.lambda.commandCalls(UpdateAliasCommand)[0].args[0].input).toEqual({
    ...alias,
    FunctionVersion: '7',
    RoutingConfig: { AdditionalVersionWeights: {} },
  });
});

test('refuses while a deployment is in progress, pointing at stop', async () => {
  const h = harness({ yes: true });
  h.mocks.codedeploy
    .on(ListDeploymentsCommand)
    .resolves({ deployments: ['d-9'] })
    .on(BatchGetDeploymentsCommand)
    .resolves({ deploymentsInfo: [deployment('d-9')] });

  await expect(rollback(target(stage), h.deps)).rejects.toThrow(
    new OpsError(
      'payments has deployment d-9 in progress, and CodeDeploy owns the alias until it ends: run npm run ops -- stop --stage live1 --service payments, which rolls it back',
    ),
  );
  expect(h.calls('lambda')).toEqual([]);
});

test('fails with exit 1 when the alias does not read back as asked', async () => {
  const h = harness({ yes: true });
  history(h);
  h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '8' });

  const error = (await rollback(target(stage), h.deps).catch((e: unknown) => e)) as OpsError;

  expect(error.message).toBe(
    'ops-test-live1-payments:live did not verify: it is at version 8 (100%), not version 7 alone',
  );
  expect(error.exitCode).toBe(1);
});

test('says so when no deployment tells which version was live before', async () => {
  const h = harness({ yes: true });
  h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '1' });

  await expect(rollback(target(stage), h.deps)).rejects.toThrow(
    'cannot tell which version of ops-test-live1-payments was live before version 1: no successful deployment put it live. Point the alias yourself (aws lambda update-alias)',
  );
  expect(h.mocks.lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
});
