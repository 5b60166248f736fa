import {
  BatchGetDeploymentsCommand,
  BatchGetDeploymentTargetsCommand,
  GetDeploymentConfigCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { GetAliasCommand, UpdateAliasCommand } from '@aws-sdk/client-lambda';
import { IN_PROGRESS } from '../../../scripts/ops/aws';
import { promote, PROMOTE_LIMITATION } from '../../../scripts/ops/commands/promote';
import { stop } from '../../../scripts/ops/commands/stop';
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
const NOTHING =
  'nothing in progress in live1: no deployment of payments is Created/Queued/InProgress/Baking/Ready';

function inProgress(
  h: ReturnType<typeof harness>,
  config = 'CodeDeployDefault.LambdaCanary10Percent10Minutes',
) {
  h.mocks.codedeploy
    .on(ListDeploymentsCommand)
    .resolves({ deployments: ['d-1'] })
    .on(BatchGetDeploymentsCommand)
    .resolves({ deploymentsInfo: [deployment('d-1', { deploymentConfigName: config })] });
}

describe('stop', () => {
  test('stops the in-progress deployment with automatic rollback', async () => {
    const h = harness();
    inProgress(h);
    h.mocks.codedeploy
      .on(StopDeploymentCommand)
      .resolves({ status: 'Pending', statusMessage: 'Stopping' });

    expect(await stop(target(stage), h.deps)).toBe(0);

    expect(h.calls('codedeploy')).toEqual([
      ['ListDeployments', { ...group, includeOnlyStatuses: IN_PROGRESS }],
      ['BatchGetDeployments', { deploymentIds: ['d-1'] }],
      ['StopDeployment', { deploymentId: 'd-1', autoRollbackEnabled: true }],
    ]);
    expect(h.questions).toEqual([]);
    expect(h.lines).toEqual([
      'Stopping payments: d-1 InProgress',
      '✔ stop Pending: Stopping. CodeDeploy rolls ops-test-live1-payments:live back to the previous version; follow it with npm run ops -- status --stage live1 --service payments',
    ]);
  });

  test('with nothing in progress, says so and stops nothing', async () => {
    const h = harness();
    h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    await expect(stop(target(stage), h.deps)).rejects.toThrow(new OpsError(NOTHING));
    expect(h.mocks.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
  });
});

describe('promote', () => {
  function canary(h: ReturnType<typeof harness>, type = 'TimeBasedCanary') {
    h.mocks.codedeploy
      .on(GetDeploymentConfigCommand)
      .resolves({
        deploymentConfigInfo: {
          trafficRoutingConfig: {
            type: type as 'TimeBasedCanary',
            timeBasedCanary: { canaryPercentage: 10, canaryInterval: 10 },
          },
        },
      })
      .on(ListDeploymentTargetsCommand)
      .resolves({ targetIds: ['ops-test-live1-payments'] })
      .on(BatchGetDeploymentTargetsCommand)
      .resolves({
        deploymentTargets: [lambdaTarget('7', '8', new Date('2026-11-21T10:03:00Z'))],
      });
  }

  test('explains the limit, asks, shifts all traffic to the new version and verifies', async () => {
    const h = harness();
    inProgress(h);
    canary(h);
    h.mocks.lambda
      .on(GetAliasCommand)
      .resolvesOnce(aliasAt('7', { '8': 0.1 }))
      .resolves({ FunctionVersion: '8' })
      .on(UpdateAliasCommand)
      .resolves({});

    expect(await promote(target(stage), h.deps)).toBe(0);

    expect(h.calls('codedeploy')).toEqual([
      ['ListDeployments', { ...group, includeOnlyStatuses: IN_PROGRESS }],
      ['BatchGetDeployments', { deploymentIds: ['d-1'] }],
      [
        'GetDeploymentConfig',
        { deploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent10Minutes' },
      ],
      ['ListDeploymentTargets', { deploymentId: 'd-1' }],
      [
        'BatchGetDeploymentTargets',
        { deploymentId: 'd-1', targetIds: ['ops-test-live1-payments'] },
      ],
    ]);
    expect(h.calls('lambda')).toEqual([
      ['GetAlias', alias],
      [
        'UpdateAlias',
        { ...alias, FunctionVersion: '8', RoutingConfig: { AdditionalVersionWeights: {} } },
      ],
      ['GetAlias', alias],
    ]);
    expect(h.questions).toEqual([
      'Shift 100% of ops-test-live1-payments:live to version 8 now? [y/N] ',
    ]);
    expect(h.lines).toEqual([
      'ops-test-live1-payments:live is at version 7 90% · version 8 10%; the canary window of d-1 ends in 5m 30s.',
      PROMOTE_LIMITATION,
      'Promoting shifts all traffic to version 8 now; CodeDeploy still ends d-1 when the window does, runs the post-traffic hook, and rolls back to version 7 if an alarm fires until then.',
      '✔ ops-test-live1-payments:live is at version 8 (100%) (verified); d-1 completes in 5m 30s.',
    ]);
  });

  test('declining changes nothing and exits 1', async () => {
    const h = harness({ answer: false });
    inProgress(h);
    canary(h);
    h.mocks.lambda.on(GetAliasCommand).resolves(aliasAt('7', { '8': 0.1 }));

    expect(await promote(target(stage), h.deps)).toBe(1);
    expect(h.lines.at(-1)).toBe('Aborted: nothing changed.');
    expect(h.mocks.lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  test('refuses a linear deployment, whose next step would reset the weights', async () => {
    const h = harness({ yes: true });
    inProgress(h, 'CodeDeployDefault.LambdaLinear10PercentEvery1Minute');
    canary(h, 'TimeBasedLinear');

    await expect(promote(target(stage), h.deps)).rejects.toThrow(
      new OpsError(
        "d-1 deploys with CodeDeployDefault.LambdaLinear10PercentEvery1Minute (TimeBasedLinear): promote only ends a canary's wait, and a linear deployment would set its next step's weights again. Let it finish, or stop it",
      ),
    );
    expect(h.calls('lambda')).toEqual([]);
  });

  test('refuses before the canary has started shifting traffic', async () => {
    const h = harness({ yes: true });
    inProgress(h);
    canary(h);
    h.mocks.lambda.on(GetAliasCommand).resolves({ FunctionVersion: '7' });

    await expect(promote(target(stage), h.deps)).rejects.toThrow(
      'd-1 is not in its canary window: ops-test-live1-payments:live is at version 7 (100%) (the pre-traffic hook may still be running, or the shift is done); nothing to promote',
    );
    expect(h.mocks.lambda.commandCalls(UpdateAliasCommand)).toHaveLength(0);
  });

  test('with nothing in progress, says so', async () => {
    const h = harness({ yes: true });
    h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
    await expect(promote(target(stage), h.deps)).rejects.toThrow(new OpsError(NOTHING));
  });
});
