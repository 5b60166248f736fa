import { createHash } from 'node:crypto';
import type {
  ActionExecutionDetail,
  PipelineExecutionSummary,
  RuleExecutionDetail,
} from '@aws-sdk/client-codepipeline';
import type { DeploymentInfo } from '@aws-sdk/client-codedeploy';
import type { ExecutionRecord } from '../../../../scripts/ops/report/history';
import { ACCOUNT, appModel, NOW, REGION, serviceModel, stageModel } from '../harness';

/**
 * A fixed delivery history of a pipeline `ops-test` with two stages, `dev` (no approval) and
 * `prod` (approval, smoke tests, a 15-minute bake), each deploying `payments` and `orders` in
 * one environment: 50 standard executions 14 hours apart from 2026-10-22 12:00 UTC, two older
 * ones, and two rollback executions, as CodePipeline and CodeDeploy return them.
 *
 * Every execution follows the same clock (minutes after its start T) unless its row says
 * otherwise: the commit was authored 20 minutes before T; Source 0–1, Build 1–15,
 * UpdatePipeline 15–18; dev: Prepare 20–22, Deploy 22–30 (CodeDeploy 23–29), smoke tests 30–32;
 * prod starts at P = T+32 (+ `wait`): approval P to P+A (A = 30), Prepare A–A+2, Deploy A+2–A+25
 * (CodeDeploy A+3–A+24), smoke tests A+25–A+27, bake A+27–A+42. So a release ends dev at T+32
 * and prod at T+74+wait+A. `payments` moves in every execution, `orders` in every third.
 */
export const services = [serviceModel('payments'), serviceModel('orders')];
export const dev = stageModel(services, 'dev', { requiresApproval: false, smokeTests: true });
export const prod = stageModel(services, 'prod', { smokeTests: true, bakeMinutes: 15 });
export const model = appModel([dev, prod]);
export { NOW };

/** How an execution differs from the usual one. */
export interface Row {
  /** Minutes the commit was authored before the push; null: no AuthorDate recorded. */
  readonly commitAge?: number | null;
  readonly build?: 'failed' | 'stopped';
  readonly dev?: 'hook' | 'smoke' | 'deploy-action' | 'smoke-retried';
  readonly prod?: 'alarm' | 'judged-alarm' | 'bake' | 'rejected' | 'superseded' | 'running';
  /** Minutes the prod approval waits (default 30). */
  readonly approval?: number;
  /** Minutes between dev's end and prod's start (another execution held prod). */
  readonly wait?: number;
  /** A person rolls prod back this many minutes after it ended. */
  readonly rolledBackAfter?: number;
}

/** The executions that differ, by number (1 to 50). */
export const ROWS: Readonly<Record<number, Row>> = {
  3: { commitAge: null },
  5: { commitAge: 90 },
  7: { dev: 'hook' },
  9: { commitAge: 60 },
  10: { prod: 'alarm' },
  12: { build: 'failed' },
  14: { approval: 120 },
  15: { prod: 'rejected' },
  18: { commitAge: null },
  // Waits 30 hours for its approval: 21 finishes dev meanwhile and waits, then 22 supersedes it.
  20: { approval: 1800 },
  21: { prod: 'superseded' },
  // Enters prod when 20 leaves it: T20 + 74 + 1800 = T22 + 32 + 162.
  22: { wait: 162, approval: 10 },
  25: { prod: 'bake' },
  27: { commitAge: 60 },
  28: { prod: 'rejected' },
  30: { commitAge: 240 },
  33: { dev: 'smoke' },
  36: { commitAge: null },
  37: { rolledBackAfter: 180 },
  40: { build: 'stopped' },
  42: { prod: 'judged-alarm' },
  44: { dev: 'smoke-retried' },
  45: { approval: 60 },
  47: { dev: 'deploy-action' },
  // Approved 31.5 hours after it reached prod: its canary runs at NOW.
  50: { prod: 'running', approval: 1890 },
};

export const COUNT = 50;
export const FIRST = new Date('2026-10-22T12:00:00Z');
const GAP_MINUTES = 14 * 60;

const minutes = (t: Date, m: number) => new Date(t.getTime() + m * 60_000);
/** The start of execution `i` (0 and -1 are the two before the window). */
export const startOf = (i: number) => minutes(FIRST, (i - 1) * GAP_MINUTES);
/** `00000007-4b1d-4c0f-9a7e-2f6c8d1e5a3b`. */
export const executionId = (i: number) =>
  `${String(i < 1 ? 90 - i : i).padStart(8, '0')}-4b1d-4c0f-9a7e-2f6c8d1e5a3b`;
export const rollbackId = (n: number) =>
  `${String(n).padStart(8, 'f')}-6d2e-4a1b-8c3d-9e0f1a2b3c4d`;
export const commitId = (i: number) => createHash('sha1').update(`commit ${i}`).digest('hex');

const MESSAGES = [
  'Add refunds to payments',
  'Tidy the order history query',
  'Raise the payments timeout',
  'Log the order id on errors',
  'Cache the currency table',
];
export const messageOf = (i: number) => `${MESSAGES[(i + 5) % MESSAGES.length]} (#${i + 100})`;

export const SOURCE_ACTION = 'example-org_fixture-services';
export const ROLE = 'arn:aws:sts::333333333333:assumed-role/OnCall/on-call-session';
export const ALARM = 'ops-test-prod-payments-canary-verdict-v12';

/** A whole history: what CodePipeline and CodeDeploy hold, and the judge's metrics. */
export interface History {
  /** Newest first, as ListPipelineExecutions returns them. */
  readonly executions: ExecutionRecord[];
  /** By deployment group name. */
  readonly deployments: Map<string, DeploymentInfo[]>;
  /** By deployment id: the versions it moves between. */
  readonly targets: Map<string, { from: string; to: string; functionName: string }>;
  /** By `<function>:<version>`: the verdict metrics' values. */
  readonly verdicts: Map<string, Record<string, number>>;
}

type ActionCategory = 'Source' | 'Build' | 'Deploy' | 'Approval';
const PROVIDERS: Record<ActionCategory, string> = {
  Source: 'CodeStarSourceConnection',
  Build: 'CodeBuild',
  Deploy: 'CloudFormation',
  Approval: 'Manual',
};

/** Builds the fixture history; each part of it reads like an AWS response. */
export function buildHistory(): History {
  const builder = new Builder();
  for (const i of [-1, 0]) builder.standard(i, {});
  for (let i = 1; i <= COUNT; i++) builder.standard(i, ROWS[i] ?? {});
  return builder.history();
}

class Builder {
  private readonly records: ExecutionRecord[] = [];
  private readonly deployments = new Map<string, DeploymentInfo[]>();
  private readonly targets: History['targets'] = new Map();
  private readonly verdicts: History['verdicts'] = new Map();
  /** Per `<stage>-<service>`: the versions it went live with, the live one last. */
  private readonly live = new Map<string, string[]>();
  private readonly latest = new Map<string, number>();
  private rollbacks = 0;
  /** When each execution left prod, for the rows that follow. */
  private readonly prodEnds = new Map<number, Date>();

  history(): History {
    const executions = [...this.records].sort(
      (a, b) => b.summary.startTime!.getTime() - a.summary.startTime!.getTime(),
    );
    return {
      executions,
      deployments: this.deployments,
      targets: this.targets,
      verdicts: this.verdicts,
    };
  }

  standard(i: number, row: Row): void {
    const id = executionId(i);
    const T = startOf(i);
    const actions: ActionExecutionDetail[] = [];
    const rules: RuleExecutionDetail[] = [];
    const add = (
      stageName: string,
      actionName: string,
      category: ActionCategory,
      from: number,
      to: number,
      status: ActionExecutionDetail['status'] = 'Succeeded',
      output: ActionExecutionDetail['output'] = {},
    ) =>
      actions.push(
        action(
          id,
          stageName,
          actionName,
          category,
          minutes(T, from),
          minutes(T, to),
          status,
          output,
        ),
      );

    const age = row.commitAge === undefined ? 20 : row.commitAge;
    add('Source', SOURCE_ACTION, 'Source', 0, 1, 'Succeeded', {
      outputVariables: age === null ? undefined : sourceVariables(i, minutes(T, -age)),
    });
    let status: PipelineExecutionSummary['status'] = 'Succeeded';
    let ended = minutes(T, 0);
    const summary = (): PipelineExecutionSummary => ({
      pipelineExecutionId: id,
      status,
      statusSummary: status === 'Stopped' ? 'Stopped by a person' : undefined,
      startTime: T,
      lastUpdateTime: ended,
      executionMode: 'SUPERSEDED',
      executionType: 'STANDARD',
      trigger: {
        triggerType: 'WebhookV2',
        triggerDetail:
          'arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-4000-8000-000000000000',
      },
      sourceRevisions: [
        {
          actionName: SOURCE_ACTION,
          revisionId: commitId(i),
          revisionSummary: JSON.stringify({ ProviderType: 'GitHub', CommitMessage: messageOf(i) }),
          revisionUrl: `https://github.com/example-org/fixture-services/commit/${commitId(i)}`,
        },
      ],
      ...(status === 'Stopped' && { stopTrigger: { reason: 'Pushed by mistake' } }),
    });
    const finish = (): void => {
      this.records.push({ summary: summary(), actions, rules });
    };

    if (row.build === 'stopped') {
      add('Build', 'Synth', 'Build', 1, 5, 'Abandoned');
      [status, ended] = ['Stopped', minutes(T, 5)];
      return finish();
    }
    add('Build', 'Synth', 'Build', 1, 15, row.build === 'failed' ? 'Failed' : 'Succeeded');
    if (row.build === 'failed') {
      [status, ended] = ['Failed', minutes(T, 15)];
      return finish();
    }
    add('UpdatePipeline', 'SelfMutate', 'Build', 15, 18);

    // dev
    const moved = i % 3 === 0 ? ['payments', 'orders'] : ['payments'];
    for (const svc of ['payments', 'orders']) {
      add('dev', `ops-test-dev-${svc}.Prepare`, 'Deploy', 20, 22);
      const failsHere = svc === 'payments' && row.dev === 'deploy-action';
      add(
        'dev',
        `ops-test-dev-${svc}.Deploy`,
        'Deploy',
        22,
        failsHere ? 25 : 30,
        failsHere ? 'Failed' : 'Succeeded',
        failsHere
          ? failed(
              'Resource handler returned message: "Unable to publish a version: the function is being updated" (HandlerErrorCode: ResourceConflict)',
            )
          : {},
      );
    }
    if (row.dev !== 'deploy-action') {
      for (const svc of moved) {
        this.deploy(
          i,
          'dev',
          svc,
          minutes(T, 23),
          minutes(T, 29),
          svc === 'payments' && row.dev === 'hook' ? 'hook' : 'ok',
        );
      }
    }
    if (row.dev === 'hook') {
      actions.find((a) => a.actionName === 'ops-test-dev-payments.Deploy')!.status = 'Failed';
      actions.find((a) => a.actionName === 'ops-test-dev-payments.Deploy')!.output = failed(
        'Resource handler returned message: "Deployment failed because of a CodeDeploy deployment failure" (HandlerErrorCode: GeneralServiceException)',
      );
    }
    if (row.dev === 'hook' || row.dev === 'deploy-action') {
      [status, ended] = ['Failed', minutes(T, 30)];
      return finish();
    }
    let devEnd = 32;
    if (row.dev === 'smoke' || row.dev === 'smoke-retried') {
      add(
        'dev',
        'SmokeTest-dev',
        'Build',
        30,
        32,
        'Failed',
        failed('Build failed: 1 of 4 synthetic checks failed (payments answers)'),
      );
      if (row.dev === 'smoke') {
        [status, ended] = ['Failed', minutes(T, 32)];
        return finish();
      }
      // Retried by a person (RetryStageExecution): a second run of the same action.
      add('dev', 'SmokeTest-dev', 'Build', 50, 52);
      devEnd = 52;
    } else {
      add('dev', 'SmokeTest-dev', 'Build', 30, 32);
    }

    // prod
    if (row.prod === 'superseded') {
      [status, ended] = ['Superseded', minutes(startOf(i + 1), 32)];
      return finish();
    }
    const P = devEnd + (row.wait ?? 0);
    const A = row.approval ?? 30;
    if (row.prod === 'rejected') {
      add('prod', 'Approve-prod', 'Approval', P, P + 120, 'Failed', {
        executionResult: { externalExecutionSummary: 'Rejected: not before the freeze ends' },
      });
      [status, ended] = ['Failed', minutes(T, P + 120)];
      return finish();
    }
    add('prod', 'Approve-prod', 'Approval', P, P + A, 'Succeeded', {
      executionResult: { externalExecutionSummary: 'Approved' },
    });
    const running = row.prod === 'running';
    const alarm = row.prod === 'alarm' || row.prod === 'judged-alarm';
    for (const svc of ['payments', 'orders']) {
      add('prod', `ops-test-prod-${svc}.Prepare`, 'Deploy', P + A, P + A + 2);
      if (running)
        add('prod', `ops-test-prod-${svc}.Deploy`, 'Deploy', P + A + 2, P + A + 2, 'InProgress');
      else if (alarm && svc === 'payments') {
        add(
          'prod',
          `ops-test-prod-${svc}.Deploy`,
          'Deploy',
          P + A + 2,
          P + A + 12,
          'Failed',
          failed(
            'Resource handler returned message: "Deployment failed because of a CodeDeploy deployment failure" (HandlerErrorCode: GeneralServiceException)',
          ),
        );
      } else add('prod', `ops-test-prod-${svc}.Deploy`, 'Deploy', P + A + 2, P + A + 25);
    }
    for (const svc of moved) {
      const outcome = running ? 'running' : alarm && svc === 'payments' ? 'alarm' : 'ok';
      this.deploy(
        i,
        'prod',
        svc,
        minutes(T, P + A + 3),
        minutes(T, P + A + (outcome === 'alarm' ? 10 : 24)),
        outcome,
        row.prod === 'judged-alarm',
      );
    }
    if (running) {
      [status, ended] = ['InProgress', minutes(T, P + A + 2)];
      return finish();
    }
    if (alarm) {
      [status, ended] = ['Failed', minutes(T, P + A + 12)];
      return finish();
    }
    add('prod', 'SmokeTest-prod', 'Build', P + A + 25, P + A + 27);
    const bakeFails = row.prod === 'bake';
    rules.push(
      rule(
        id,
        'prod',
        'Bake-prod',
        minutes(T, P + A + 27),
        minutes(T, P + A + (bakeFails ? 33 : 42)),
        bakeFails ? 'Failed' : 'Succeeded',
        bakeFails ? 'Alarm ops-test-prod-health in ALARM' : 'No alarm in ALARM for 15 minutes',
      ),
    );
    const end = minutes(T, P + A + (bakeFails ? 33 : 42));
    this.prodEnds.set(i, end);
    [status, ended] = [bakeFails ? 'Failed' : 'Succeeded', end];
    finish();
    if (bakeFails) this.rollback(i, end, 'AutomatedRollback', moved);
    if (row.rolledBackAfter !== undefined) {
      this.rollback(i, minutes(end, row.rolledBackAfter), 'ManualRollback', moved);
    }
  }

  /** A rollback execution of prod back to the execution before `i`, starting at `at`. */
  private rollback(
    i: number,
    at: Date,
    trigger: 'AutomatedRollback' | 'ManualRollback',
    moved: string[],
  ): void {
    const id = rollbackId(++this.rollbacks);
    const actions = ['payments', 'orders'].flatMap((svc) => [
      action(id, 'prod', `ops-test-prod-${svc}.Prepare`, 'Deploy', at, minutes(at, 2)),
      action(id, 'prod', `ops-test-prod-${svc}.Deploy`, 'Deploy', minutes(at, 2), minutes(at, 22)),
    ]);
    for (const svc of moved) this.deploy(i, 'prod', svc, minutes(at, 3), minutes(at, 21), 'back');
    this.records.push({
      summary: {
        pipelineExecutionId: id,
        status: 'Succeeded',
        startTime: at,
        lastUpdateTime: minutes(at, 22),
        executionMode: 'SUPERSEDED',
        executionType: 'ROLLBACK',
        rollbackMetadata: { rollbackTargetPipelineExecutionId: executionId(i - 1) },
        trigger: {
          triggerType: trigger,
          triggerDetail: trigger === 'ManualRollback' ? ROLE : executionId(i),
        },
        sourceRevisions: [{ actionName: SOURCE_ACTION, revisionId: commitId(i - 1) }],
      },
      actions,
      rules: [],
    });
  }

  /**
   * A CodeDeploy deployment of `svc` in `stage`: `ok` takes a new version live; `hook` and
   * `alarm` fail and CodeDeploy rolls back with a deployment of its own; `back` deploys the
   * version before (a pipeline rollback); `running` is in its canary.
   */
  private deploy(
    i: number,
    stage: string,
    svc: string,
    created: Date,
    completed: Date,
    outcome: 'ok' | 'hook' | 'alarm' | 'back' | 'running',
    judged = false,
  ): void {
    const group = `ops-test-${stage}-${svc}`;
    const lives = this.live.get(group) ?? ['10'];
    const current = lives[lives.length - 1];
    const next =
      outcome === 'back' ? lives[lives.length - 2] : String((this.latest.get(group) ?? 10) + 1);
    if (outcome !== 'back') this.latest.set(group, Number(next));
    const deploymentId =
      `d-${stage[0].toUpperCase()}${svc[0].toUpperCase()}${String(i + 10).padStart(3, '0')}${outcome === 'back' ? 'RBK' : 'K7Q'}`.slice(
        0,
        11,
      );
    const failedDeployment = outcome === 'hook' || outcome === 'alarm';
    const rollbackDeployment = `${deploymentId.slice(0, 8)}RB1`;
    const info: DeploymentInfo = {
      applicationName: `app-${svc}`,
      deploymentGroupName: group,
      deploymentConfigName:
        stage === 'prod'
          ? 'CodeDeployDefault.LambdaCanary10Percent10Minutes'
          : 'CodeDeployDefault.LambdaAllAtOnce',
      deploymentId,
      status:
        outcome === 'running'
          ? 'InProgress'
          : outcome === 'alarm'
            ? 'Stopped'
            : outcome === 'hook'
              ? 'Failed'
              : 'Succeeded',
      creator: 'CloudFormation',
      computePlatform: 'Lambda',
      createTime: created,
      completeTime: outcome === 'running' ? undefined : completed,
      ...(outcome === 'alarm' && {
        errorInformation: {
          code: 'ALARM_ACTIVE',
          message: `One or more alarms have been activated according to the Amazon CloudWatch metrics you selected, and the affected deployments have been stopped. Activated alarms: <${ALARM}>`,
        },
      }),
      ...(outcome === 'hook' && {
        errorInformation: {
          code: 'HOOK_EXECUTION_FAILURE',
          message: `The BeforeAllowTraffic hook ${group}-pre-hook reported Failed.`,
        },
      }),
      ...(failedDeployment && { rollbackInfo: { rollbackDeploymentId: rollbackDeployment } }),
    };
    const infos = this.deployments.get(group) ?? [];
    infos.push(info);
    this.targets.set(deploymentId, { from: current, to: next, functionName: group });
    if (failedDeployment) {
      // CodeDeploy's own deployment back to the live version, inside the same deploy action.
      infos.push({
        ...info,
        deploymentId: rollbackDeployment,
        status: 'Succeeded',
        creator: 'codeDeployRollback',
        createTime: minutes(completed, 0.5),
        completeTime: minutes(completed, 1),
        errorInformation: undefined,
        rollbackInfo: {
          rollbackTriggeringDeploymentId: deploymentId,
          rollbackMessage: `Deployment ${rollbackDeployment} is triggered to roll back deployment ${deploymentId}.`,
        },
      });
      this.targets.set(rollbackDeployment, { from: next, to: current, functionName: group });
    }
    this.deployments.set(group, infos);
    if (outcome === 'ok') this.live.set(group, [...lives, next]);
    if (outcome === 'back') this.live.set(group, lives.slice(0, -1));
    if (stage === 'prod' && svc === 'payments') {
      if (judged) {
        this.verdicts.set(`${group}:${next}`, {
          verdict: 1,
          invocations: 240,
          errors: 14,
          slow: 3,
          throttles: 0,
          evidence: 5.3,
        });
      } else if (outcome === 'ok' && i >= 41) {
        this.verdicts.set(`${group}:${next}`, {
          verdict: 0,
          invocations: 1000 + 10 * i,
          errors: 1,
          slow: 4,
          throttles: 0,
          evidence: 0.25,
        });
      }
    }
  }
}

function sourceVariables(i: number, authored: Date): Record<string, string> {
  return {
    AuthorDate: authored.toISOString().replace('.000Z', 'Z'),
    BranchName: 'main',
    CommitId: commitId(i),
    CommitMessage: messageOf(i),
    ConnectionArn:
      'arn:aws:codeconnections:eu-west-1:111111111111:connection/00000000-0000-4000-8000-000000000000',
    FullRepositoryName: 'example-org/fixture-services',
  };
}

function failed(message: string): ActionExecutionDetail['output'] {
  return { executionResult: { errorDetails: { code: 'JobFailed', message } } };
}

let actionCount = 0;

/** An action execution as ListActionExecutions returns it. */
export function action(
  pipelineExecutionId: string,
  stageName: string,
  actionName: string,
  category: ActionCategory,
  start: Date,
  end: Date,
  status: ActionExecutionDetail['status'] = 'Succeeded',
  output: ActionExecutionDetail['output'] = {},
): ActionExecutionDetail {
  actionCount++;
  return {
    pipelineExecutionId,
    actionExecutionId: `${String(actionCount).padStart(8, '0')}-aaaa-4bbb-8ccc-dddddddddddd`,
    pipelineVersion: 3,
    stageName,
    actionName,
    startTime: start,
    lastUpdateTime: end,
    status,
    input: {
      actionTypeId: {
        category,
        owner: category === 'Approval' ? 'AWS' : 'AWS',
        provider: PROVIDERS[category],
        version: '1',
      },
      configuration:
        category === 'Deploy'
          ? {
              StackName: actionName.split('.')[0],
              ActionMode: actionName.endsWith('.Prepare')
                ? 'CHANGE_SET_REPLACE'
                : 'CHANGE_SET_EXECUTE',
            }
          : {},
      region: REGION,
    },
    output,
  };
}

/** A rule execution as ListRuleExecutions returns it. */
export function rule(
  pipelineExecutionId: string,
  stageName: string,
  ruleName: string,
  start: Date,
  end: Date,
  status: RuleExecutionDetail['status'],
  summary: string,
): RuleExecutionDetail {
  return {
    pipelineExecutionId,
    ruleExecutionId: `${ruleName}-${pipelineExecutionId.slice(0, 8)}`,
    pipelineVersion: 3,
    stageName,
    ruleName,
    startTime: start,
    lastUpdateTime: end,
    status,
    input: {
      ruleTypeId: { category: 'Rule', owner: 'AWS', provider: 'CloudWatchAlarm', version: '1' },
      configuration: { AlarmName: 'ops-test-prod-health', AlarmStates: 'ALARM', WaitTime: '15' },
      region: REGION,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/ops-test-prod-conditions-${REGION}`,
    },
    output: { executionResult: { externalExecutionSummary: summary } },
  };
}
