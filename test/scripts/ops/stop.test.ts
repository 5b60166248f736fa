import {
  BatchGetDeploymentsCommand,
  DeploymentAlreadyCompletedException,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';
import { IN_PROGRESS } from '../../../scripts/ops/aws';
import { stop } from '../../../scripts/ops/commands/stop';
import { OpsError } from '../../../scripts/ops/types';
import {
  ACCOUNT,
  deployedIn,
  deployment,
  env,
  harness,
  namesOf,
  OTHER_ACCOUNT,
  selection,
  serviceModel,
  serviceTarget,
  stageModel,
  type Harness,
} from './harness';

const stage = stageModel([serviceModel('payments')]);
const { group } = namesOf(serviceTarget(stage.prefix, stage.services[0]));

function inProgress(mocks: ReturnType<Harness['region']>, id = 'd-1') {
  mocks.codedeploy
    .on(ListDeploymentsCommand)
    .resolves({ deployments: [id] })
    .on(BatchGetDeploymentsCommand)
    .resolves({ deploymentsInfo: [deployment(id)] });
}

test('stops the in-progress deployment with automatic rollback, without asking', async () => {
  const h = harness();
  deployedIn(h.mocks, stage);
  inProgress(h.mocks);
  h.mocks.codedeploy
    .on(StopDeploymentCommand)
    .resolves({ status: 'Pending', statusMessage: 'Stopping' });

  expect(await stop(selection(stage), h.deps)).toBe(0);

  expect(h.calls('cloudformation')).toEqual([
    ['DescribeStacks', { StackName: 'ops-test-live1-payments' }],
  ]);
  expect(h.calls('codedeploy')).toEqual([
    ['ListDeployments', { ...group, includeOnlyStatuses: IN_PROGRESS }],
    ['BatchGetDeployments', { deploymentIds: ['d-1'] }],
    ['StopDeployment', { deploymentId: 'd-1', autoRollbackEnabled: true }],
  ]);
  expect(h.calls('lambda')).toEqual([]);
  expect(h.questions).toEqual([]);
  expect(h.lines).toEqual([
    'Stopping payments in live1 (eu-west-1): d-1 InProgress',
    '✔ stop Pending: Stopping. CodeDeploy rolls ops-test-live1-payments:live back to the version before; follow it with npm run ops -- status --stage live1 --environment live1',
  ]);
});

test('with nothing in progress, says so and stops nothing', async () => {
  const h = harness();
  deployedIn(h.mocks, stage);
  h.mocks.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });

  await expect(stop(selection(stage), h.deps)).rejects.toThrow(
    new OpsError(
      'nothing in progress in live1 (live1): no deployment of payments is Created/Queued/InProgress/Baking/Ready',
    ),
  );
  expect(h.mocks.codedeploy.commandCalls(StopDeploymentCommand)).toHaveLength(0);
});

test('a deployment that finished before the stop arrived: says nothing was stopped, points at rollback, exits 1', async () => {
  const h = harness();
  deployedIn(h.mocks, stage);
  inProgress(h.mocks);
  h.mocks.codedeploy.on(StopDeploymentCommand).rejects(
    new DeploymentAlreadyCompletedException({
      message: 'The deployment d-1 has already completed',
      $metadata: { httpStatusCode: 400 },
    }),
  );

  expect(await stop(selection(stage), h.deps)).toBe(1);

  expect(h.lines).toEqual([
    'Stopping payments in live1 (eu-west-1): d-1 InProgress',
    '✖ d-1 had already ended when the stop arrived (The deployment d-1 has already completed): nothing stopped. To undo a finished release: npm run ops -- rollback --stage live1',
  ]);
});

test('stops the deployments of every environment it reaches; names the account it does not; exits 2', async () => {
  const edge = stageModel([serviceModel('payments')], 'edge', {
    waves: [
      [env('edge-eu', ACCOUNT, 'eu-west-1')],
      [env('edge-us', ACCOUNT, 'us-east-1'), env('edge-ap', OTHER_ACCOUNT, 'ap-southeast-2')],
    ],
  });
  const h = harness();
  for (const [region, id] of [
    ['eu-west-1', 'd-EU'],
    ['us-east-1', 'd-US'],
  ]) {
    const mocks = h.region(region);
    deployedIn(mocks, edge, { account: ACCOUNT, region });
    inProgress(mocks, id);
    mocks.codedeploy.on(StopDeploymentCommand).resolves({ status: 'Pending' });
  }

  expect(await stop(selection(edge), h.deps)).toBe(2);

  expect(h.calls('codedeploy', 'eu-west-1').at(-1)).toEqual([
    'StopDeployment',
    { deploymentId: 'd-EU', autoRollbackEnabled: true },
  ]);
  expect(h.calls('codedeploy', 'us-east-1').at(-1)).toEqual([
    'StopDeployment',
    { deploymentId: 'd-US', autoRollbackEnabled: true },
  ]);
  expect(h.calls('codedeploy', 'ap-southeast-2')).toEqual([]);
  expect(h.lines).toEqual([
    '✖ edge-ap (account 555555555555, ap-southeast-2): not reachable with the credentials of account 333333333333: use credentials for account 555555555555, e.g. AWS_PROFILE=<a profile of account 555555555555>',
    'Stopping payments in edge-eu (eu-west-1): d-EU InProgress',
    '✔ stop Pending. CodeDeploy rolls ops-test-edge-payments:live back to the version before; follow it with npm run ops -- status --stage edge --environment edge-eu',
    'Stopping payments in edge-us (us-east-1): d-US InProgress',
    '✔ stop Pending. CodeDeploy rolls ops-test-edge-payments:live back to the version before; follow it with npm run ops -- status --stage edge --environment edge-us',
  ]);
});
