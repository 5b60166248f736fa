import * as fs from 'fs';
import * as path from 'path';
import { referencesIn } from '../../lib/compliance/template-text';
import type { ServiceModel, StageModel } from '../../lib/config/model';
import { codeDeployConfig } from '../../lib/plan/codedeploy';
import { SERVICE_OUTPUTS, serviceOutputKey, verdictAlarmPrefix } from '../../lib/resource-names';
import { releaseJudgement } from '../../lib/service/judge-policy';
import { releaseJudgementSchema } from '../../runtime/judge/judge-config';
import {
  VERDICT_ALARM,
  VERDICT_METRICS,
  VERDICT_NAMESPACE,
  verdictDimensions,
} from '../../runtime/judge/verdict-metric';
import { defaultApp, type AssembledEnvironment } from '../helpers/default-app';
import {
  deployedServices,
  resourcesOf,
  statementsOf,
  type DeployedService,
  type Resources,
} from '../helpers/deployed-service';

/**
 * Every service of the project's own configuration, in every stage and environment, deploys the
 * safe way. These hold for any valid configuration: they loop over what the user has.
 */
interface Case {
  readonly where: string;
  readonly stage: StageModel;
  readonly model: ServiceModel;
  readonly deployed: DeployedService;
  readonly resources: Resources;
  readonly outputs: Record<string, unknown>;
}

const cases: Case[] = [];
let outdir: string;

beforeAll(() => {
  const app = defaultApp();
  outdir = app.outdir;
  for (const env of app.environments) cases.push(...casesOf(env));
});

function casesOf({ stage, environment, serviceStacks }: AssembledEnvironment): Case[] {
  return serviceStacks.flatMap((stack) => {
    const resources = resourcesOf(stack);
    return deployedServices(resources, stage.prefix).map((deployed) => ({
      where: `${stage.name}/${environment.name}/${deployed.name}`,
      stage,
      model: stage.services.find((s) => s.name === deployed.name)!,
      deployed,
      resources,
      outputs: stack.template.Outputs ?? {},
    }));
  });
}

const each = (check: (c: Case) => void) => () => {
  expect(cases.length).toBeGreaterThan(0);
  for (const c of cases) check(c);
};

test('every service of every stage is deployed in every environment of the stage, once', () => {
  const app = defaultApp();
  for (const env of app.environments) {
    const names = casesOf(env).map((c) => c.deployed.name);
    expect({ env: env.environment.name, names: names.sort() }).toEqual({
      env: env.environment.name,
      names: env.stage.services.map((s) => s.name).sort(),
    });
  }
});

test(
  'the function runs on Node.js 24 with its settings, tracing, JSON logs and a dead-letter queue',
  each(({ stage, model, deployed }) => {
    const p = deployed.function.Properties;
    expect(p.FunctionName).toBe(`${stage.prefix}-${model.name}`);
    expect(p.Runtime).toBe('nodejs24.x');
    expect(p.MemorySize).toBe(model.memoryMb);
    expect(p.Timeout).toBe(model.timeoutSeconds);
    expect(p.TracingConfig).toEqual({ Mode: 'Active' });
    expect(p.LoggingConfig.LogFormat).toBe('JSON');
    expect(p.DeadLetterConfig.TargetArn).toBeDefined();
    for (const [key, value] of Object.entries(model.environment)) {
      expect(p.Environment.Variables[key]).toBe(value);
    }
  }),
);

test(
  'a version kept on update and delete behind a live alias whose update names both hooks and the group',
  each(({ deployed }) => {
    expect(deployed.version.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(deployed.version.UpdateReplacePolicy).toBe('Retain');
    expect(deployed.alias.Properties.Name).toBe('live');
    const update = deployed.alias.UpdatePolicy.CodeDeployLambdaAliasUpdate;
    expect(update.DeploymentGroupName).toEqual({ Ref: deployed.groupId });
    expect(deployed.preHookId).toMatch(/PreTrafficHook/);
    expect(deployed.postHookId).toMatch(/PostTrafficHook/);
  }),
);

test(
  "the deployment group shifts traffic with the service's strategy and rolls back on failure, stop and alarm",
  each(({ model, deployed, resources }) => {
    const g = deployed.group.Properties;
    const expected = codeDeployConfig(model.strategy);
    if ('name' in expected) expect(g.DeploymentConfigName).toBe(expected.name);
    else {
      const config = resources[g.DeploymentConfigName.Ref].Properties;
      expect(config.TrafficRoutingConfig).toEqual(expected.trafficRouting);
    }
    expect(g.DeploymentStyle).toEqual({
      DeploymentType: 'BLUE_GREEN',
      DeploymentOption: 'WITH_TRAFFIC_CONTROL',
    });
    expect(g.AutoRollbackConfiguration.Enabled).toBe(true);
    expect(new Set(g.AutoRollbackConfiguration.Events)).toEqual(
      new Set(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_REQUEST', 'DEPLOYMENT_STOP_ON_ALARM']),
    );
    expect(g.AlarmConfiguration.Enabled).toBe(true);
  }),
);

test(
  "the group's one alarm is the release judge's verdict on the new version, named after it",
  each(({ stage, model, deployed }) => {
    const alarms = Object.values(deployed.alarms);
    expect(alarms).toHaveLength(1);
    const p = alarms[0].Properties;
    const version = { 'Fn::GetAtt': [deployed.versionId, 'Version'] };
    expect(p.AlarmName).toEqual({
      'Fn::Join': ['', [verdictAlarmPrefix(stage.prefix, model.name), version]],
    });
    expect(p.Namespace).toBe(VERDICT_NAMESPACE);
    expect(p.MetricName).toBe(VERDICT_METRICS.verdict);
    expect(p.Dimensions).toEqual(
      verdictDimensions(`${stage.prefix}-${model.name}`, version as unknown as string),
    );
    expect([p.Statistic, p.Period, p.TreatMissingData]).toEqual(['Maximum', 60, 'notBreaching']);
    expect({
      evaluationPeriods: p.EvaluationPeriods,
      datapointsToAlarm: p.DatapointsToAlarm,
      threshold: p.Threshold,
      comparison: p.ComparisonOperator,
    }).toEqual(VERDICT_ALARM);
  }),
);

test(
  'every version is kept except one whose release rolls back, so the same commit can ship again',
  each(({ deployed }) => {
    expect(deployed.version.DeletionPolicy).toBe('RetainExceptOnCreate');
    expect(deployed.version.UpdateReplacePolicy).toBe('Retain');
  }),
);

test(
  'CloudFormation updates the alarms before the alias: the alias depends on every one of them',
  each(({ deployed, resources }) => {
    const ids = new Set(Object.keys(resources));
    const dependsOn = (id: string, seen = new Set<string>()): Set<string> => {
      const r = resources[id];
      for (const dep of referencesIn([r.Properties, r.UpdatePolicy, r.DependsOn ?? []], ids)) {
        if (!seen.has(dep)) {
          seen.add(dep);
          dependsOn(dep, seen);
        }
      }
      for (const dep of [r.DependsOn ?? []].flat()) {
        if (!seen.has(dep)) {
          seen.add(dep);
          dependsOn(dep, seen);
        }
      }
      return seen;
    };
    const before = dependsOn(deployed.aliasId);
    for (const alarmId of Object.keys(deployed.alarms)) expect(before.has(alarmId)).toBe(true);
  }),
);

test(
  'the pre-traffic hook may invoke only the new version, the post-traffic hook only the alias',
  each(({ stage, model, deployed, resources }) => {
    const invokes = (fn: string) =>
      statementsOf(resources, fn).filter((st) =>
        [st.Action].flat().some((a) => a.startsWith('lambda:')),
      );
    expect(invokes(deployed.preHookId)).toEqual([
      { Action: 'lambda:InvokeFunction', Effect: 'Allow', Resource: { Ref: deployed.versionId } },
    ]);
    const env = stage.waves.flatMap((w) => w.environments);
    // A judging post-traffic hook may also call the new version: its synthetic calls.
    const post = invokes(deployed.postHookId);
    const judging = releaseJudgement(model) !== undefined;
    expect(post.map((st) => st.Resource).slice(1)).toEqual(
      judging ? [{ Ref: deployed.versionId }] : [],
    );
    expect(post[0].Resource).toEqual(
      expect.stringMatching(
        new RegExp(
          `^arn:aws[a-z-]*:lambda:(${env.map((e) => e.region).join('|')}):\\d{12}:function:${stage.prefix}-${model.name}:live$`,
        ),
      ),
    );
  }),
);

test(
  'each hook reports its result (on "*": the report has no resource type); the post-traffic hook may read its own deployment group',
  each(({ model, deployed, resources }) => {
    for (const hook of [deployed.preHookId, deployed.postHookId]) {
      const codedeploy = statementsOf(resources, hook).filter(
        (st) =>
          st.Sid !== 'ReadDeploymentTargets' &&
          [st.Action].flat().some((a) => a.startsWith('codedeploy:')),
      );
      const report = codedeploy.filter((st) => st.Sid === 'ReportToCodeDeploy');
      expect(report).toEqual([
        {
          Sid: 'ReportToCodeDeploy',
          Effect: 'Allow',
          Action: 'codedeploy:PutLifecycleEventHookExecutionStatus',
          Resource: '*',
        },
      ]);
      const reads = codedeploy.filter((st) => st.Sid !== 'ReportToCodeDeploy');
      const judging = hook === deployed.postHookId && releaseJudgement(model) !== undefined;
      expect(reads.flatMap((st) => [st.Action].flat())).toEqual(
        judging ? ['codedeploy:GetDeployment'] : [],
      );
      for (const st of reads) {
        expect(JSON.stringify(st.Resource)).toContain(`"Ref":"${deployed.groupId}"`);
        expect(JSON.stringify(st.Resource)).not.toContain('*');
      }
    }
  }),
);

test(
  'no role has Resource "*" beyond X-Ray tracing, the hooks\' report and what the judge reads and records',
  each(({ resources, deployed }) => {
    for (const fn of [deployed.functionId, deployed.preHookId, deployed.postHookId]) {
      for (const st of statementsOf(resources, fn)) {
        if (JSON.stringify(st.Resource) !== '"*"') continue;
        expect([
          ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
          ['cloudwatch:GetMetricData'],
          ['cloudwatch:PutMetricData'],
          ['codedeploy:BatchGetDeploymentTargets', 'codedeploy:ListDeploymentTargets'],
          ['codedeploy:PutLifecycleEventHookExecutionStatus'],
        ]).toContainEqual([st.Action].flat().sort());
        // Recording verdicts is limited to the judge's namespace.
        if ([st.Action].flat().includes('cloudwatch:PutMetricData')) {
          expect((st as { Condition?: unknown }).Condition).toEqual({
            StringEquals: { 'cloudwatch:namespace': VERDICT_NAMESPACE },
          });
        }
      }
    }
  }),
);

test(
  'the hooks run the checks shipped in their bundle against the right qualifier, with a timeout in minutes',
  each(({ model, deployed, resources }) => {
    const env = (id: string) => resources[id].Properties.Environment.Variables;
    expect(env(deployed.preHookId).TARGET_QUALIFIER).toEqual({
      'Fn::GetAtt': [deployed.versionId, 'Version'],
    });
    expect(env(deployed.postHookId).TARGET_QUALIFIER).toBe('live');
    for (const hook of [deployed.preHookId, deployed.postHookId]) {
      const code = resources[hook].Properties.Code;
      const asset = path.join(outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
      expect(JSON.parse(fs.readFileSync(path.join(asset, 'checks.json'), 'utf8'))).toEqual(
        model.checks,
      );
      expect(env(hook).SYNTHETIC_CHECKS).toBeUndefined();
      // Minutes for the checks; the judging post-traffic hook has Lambda's 15.
      const timeout = resources[hook].Properties.Timeout;
      const judging = hook === deployed.postHookId && releaseJudgement(model) !== undefined;
      expect(timeout).toBe(judging ? 900 : 120);
    }
  }),
);

test(
  'the post-traffic hook judges a release with a canary window as the service is configured',
  each(({ model, deployed, resources }) => {
    const vars = resources[deployed.postHookId].Properties.Environment.Variables;
    const expected = releaseJudgement(model);
    expect(vars.RELEASE_JUDGEMENT && JSON.parse(vars.RELEASE_JUDGEMENT)).toEqual(expected);
    if (expected) {
      expect(releaseJudgementSchema.parse(JSON.parse(vars.RELEASE_JUDGEMENT))).toEqual(expected);
    }
    expect(
      resources[deployed.preHookId].Properties.Environment.Variables.RELEASE_JUDGEMENT,
    ).toBeUndefined();
  }),
);

test(
  'its stack outputs what npm run ops reads, under the keys it reads',
  each(({ deployed, outputs }) => {
    for (const output of SERVICE_OUTPUTS) {
      expect(outputs).toHaveProperty(serviceOutputKey(deployed.name, output));
    }
  }),
);
