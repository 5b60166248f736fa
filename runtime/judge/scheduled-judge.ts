import { Logger } from '@aws-lambda-powertools/logger';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import {
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  ListDeploymentsCommand,
  type DeploymentInfo,
} from '@aws-sdk/client-codedeploy';
import type { AwsCall } from '../aws-calls';
import { findCanaryWindow, type CanaryWindow } from '../hooks/canary-window';
import { floorMinute, heldUntil } from '../model/metric-delay';
import { describeError, errorMessage } from '../synthetic/describe-error';
import { judge, type Evidence, type Verdict } from './judge';
import { readJudgeFile, type JudgedService } from './judge-config';
import { publishVerdicts, type VerdictRecord } from './publish-verdict';
import { readEvidence } from './read-evidence';

/**
 * The scheduled judge: runs every minute in each environment of a stage, finds the stage's
 * CodeDeploy deployments in progress, judges each release on everything its new version served
 * since the shift started (the minutes CloudWatch surely holds), and records the verdict as a
 * custom metric (`verdict-metric.ts`). The deployment group's verdict alarm watches that metric,
 * so a release the judge rolls back is stopped by CodeDeploy before it reaches 100%: between
 * the first shift and 100%, an alarm is CodeDeploy's only brake.
 *
 * It publishes a verdict (0: not rolled back yet) every minute a deployment runs, so the
 * post-traffic hook can tell a judged canary from one the judge never saw.
 */

/**
 * Every deployment in progress in the account and region: an unscoped ListDeployments (no
 * application, no group) is authorized on `"*"`; BatchGetDeployments on each deployment's group.
 */
export const AWS_CALLS: readonly AwsCall[] = [
  { command: 'ListDeploymentsCommand', action: 'codedeploy:ListDeployments', on: 'none' },
  {
    command: 'BatchGetDeploymentsCommand',
    action: 'codedeploy:BatchGetDeployments',
    on: 'deployment-group',
  },
];

/** CodeDeploy describes at most 25 deployments per call. */
const BATCH = 25;
/** Pages of in-progress deployments read at most. */
const MAX_PAGES = 20;

export interface ScheduledJudgeDependencies {
  readonly codedeploy: CodeDeployClient;
  readonly cloudwatch: CloudWatchClient;
  /** @default the services in `judge.json` beside the handler */
  readonly services?: readonly JudgedService[];
  /** @default Date.now */
  readonly now?: () => number;
  readonly logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** One release judged in a run. */
export interface JudgedRelease {
  readonly service: string;
  readonly deploymentId: string;
  readonly version: string;
  readonly verdict: Verdict;
}

export interface JudgeRun {
  readonly judged: readonly JudgedRelease[];
  /** Deployments it could not judge, with why. */
  readonly failed: readonly { readonly deploymentId: string; readonly error: string }[];
}

export function createScheduledJudge(deps: ScheduledJudgeDependencies): () => Promise<JudgeRun> {
  /** Windows found, by deployment id: the version and the shift's start do not change. */
  const windows = new Map<string, CanaryWindow>();
  const logger = deps.logger ?? new Logger({ serviceName: 'release-judge' });
  const now = deps.now ?? Date.now;
  return async () => {
    const services = deps.services ?? readJudgeFile().services;
    const byGroup = new Map(services.map((s) => [s.deploymentGroup, s]));
    const deployments = (await inProgress(deps.codedeploy)).filter(
      (d) => d.deploymentGroupName !== undefined && byGroup.has(d.deploymentGroupName),
    );
    const at = now();
    const failed: { deploymentId: string; error: string }[] = [];
    const releases: { service: JudgedService; deploymentId: string; window: CanaryWindow }[] = [];
    for (const deployment of deployments) {
      const service = byGroup.get(deployment.deploymentGroupName!)!;
      const deploymentId = deployment.deploymentId!;
      try {
        releases.push({ service, deploymentId, window: await windowOf(deploymentId, service) });
      } catch (error) {
        failed.push({ deploymentId, error: errorMessage(error) });
      }
    }

    const to = heldUntil(at);
    const withData = releases.filter((r) => to > floorMinute(r.window.trafficStartedAt.getTime()));
    const evidence = await readEvidence(
      deps.cloudwatch,
      withData.map((r) => ({
        functionName: r.service.functionName,
        alias: r.service.alias,
        version: r.window.version,
        p99LatencyMs: r.service.policy.p99LatencyMs,
        from: floorMinute(r.window.trafficStartedAt.getTime()),
        to,
      })),
    );
    const judged: JudgedRelease[] = releases.map((r) => {
      const found = withData.indexOf(r);
      const verdict = judge(r.service.policy, found >= 0 ? evidence[found] : NO_EVIDENCE);
      return {
        service: r.service.functionName,
        deploymentId: r.deploymentId,
        version: r.window.version,
        verdict,
      };
    });
    const records: VerdictRecord[] = judged.map((j) => ({
      functionName: j.service,
      version: j.version,
      verdict: j.verdict,
    }));
    if (records.length > 0) await publishVerdicts(deps.cloudwatch, records, new Date(at));

    for (const j of judged) {
      const line = {
        function: j.service,
        deploymentId: j.deploymentId,
        version: j.version,
        decision: j.verdict.decision,
        reason: j.verdict.reason,
      };
      if (j.verdict.decision === 'roll-back') logger.warn('release judged: roll back', line);
      else logger.info('release judged', line);
    }
    for (const f of failed) logger.error('could not judge a deployment', f);
    if (failed.length > 0) {
      throw new Error(
        `could not judge ${failed.length} deployment(s): ${failed.map((f) => `${f.deploymentId}: ${f.error}`).join('; ')}`,
      );
    }
    return { judged, failed };
  };

  async function windowOf(deploymentId: string, service: JudgedService): Promise<CanaryWindow> {
    const known = windows.get(deploymentId);
    if (known) return known;
    const found = await findCanaryWindow(
      deps.codedeploy,
      deploymentId,
      service.functionName,
      new AbortController().signal,
    );
    // Before AllowTraffic starts, the deployment's creation stands in: look again next time.
    if (found.startedFrom === 'AllowTraffic') windows.set(deploymentId, found);
    return found;
  }
}

const NO_EVIDENCE: Evidence = {
  released: { calls: 0, errors: 0, slow: 0 },
  throttles: { during: { throttles: 0, calls: 0 }, before: { throttles: 0, calls: 0 } },
};

/** Every deployment in progress in the account and region (ListDeployments, paginated). */
async function inProgress(client: CodeDeployClient): Promise<DeploymentInfo[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const listed = await client
      .send(new ListDeploymentsCommand({ includeOnlyStatuses: ['InProgress'], nextToken }))
      .catch((error: unknown) => {
        throw new Error(`CodeDeploy ListDeployments failed: ${describeError(error)}`, {
          cause: error,
        });
      });
    ids.push(...(listed.deployments ?? []));
    nextToken = listed.nextToken;
    if (nextToken === undefined) break;
  }
  const infos: DeploymentInfo[] = [];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = await client
      .send(new BatchGetDeploymentsCommand({ deploymentIds: ids.slice(i, i + BATCH) }))
      .catch((error: unknown) => {
        throw new Error(`CodeDeploy BatchGetDeployments failed: ${describeError(error)}`, {
          cause: error,
        });
      });
    infos.push(...(batch.deploymentsInfo ?? []));
  }
  return infos;
}

/** The Lambda entry point; its clients live for the container. */
export const handler = createScheduledJudge({
  codedeploy: new CodeDeployClient({}),
  cloudwatch: new CloudWatchClient({}),
});
