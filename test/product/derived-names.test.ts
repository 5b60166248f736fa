import * as fs from 'node:fs';
import * as path from 'node:path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { NAME_LIMITS, type NameKind } from '../../lib/config/names';
import { defaultApp, type DefaultApp } from '../helpers/default-app';
import { ROOT } from '../helpers/project';

/**
 * The "Derived names" table of docs/configuration.md is what an on-call engineer searches
 * CloudWatch, Lambda and CloudFormation with: every physical name the sample synthesizes must
 * match one of its rows, every row must name something the sample has, its example must be a
 * real name, and its limit the one synth enforces.
 */

/** The property holding the physical name, per resource type, and the table's name for it. */
const NAMED: Record<string, { property: string; kind: string }> = {
  'AWS::Lambda::Function': { property: 'FunctionName', kind: 'function' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', kind: 'log group' },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', kind: 'alarm' },
  'AWS::CloudWatch::CompositeAlarm': { property: 'AlarmName', kind: 'alarm' },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', kind: 'dashboard' },
  'AWS::SNS::Topic': { property: 'TopicName', kind: 'topic' },
  'AWS::SQS::Queue': { property: 'QueueName', kind: 'queue' },
  'AWS::S3::Bucket': { property: 'BucketName', kind: 'bucket' },
  'AWS::Events::Rule': { property: 'Name', kind: 'rule' },
  'AWS::IAM::Role': { property: 'RoleName', kind: 'role' },
  'AWS::IAM::ManagedPolicy': { property: 'ManagedPolicyName', kind: 'managed policy' },
  'AWS::CodeDeploy::Application': { property: 'ApplicationName', kind: 'CodeDeploy application' },
  'AWS::CodeDeploy::DeploymentGroup': { property: 'DeploymentGroupName', kind: 'deployment group' },
  'AWS::CodePipeline::Pipeline': { property: 'Name', kind: 'pipeline' },
  'AWS::CodeBuild::Project': { property: 'Name', kind: 'CodeBuild project' },
  'AWS::VpcLattice::Service': { property: 'Name', kind: 'VPC Lattice service' },
  'AWS::VpcLattice::TargetGroup': { property: 'Name', kind: 'VPC Lattice target group' },
  'AWS::VpcLattice::ServiceNetwork': { property: 'Name', kind: 'VPC Lattice service network' },
  'AWS::SSM::Parameter': { property: 'Name', kind: 'SSM parameter' },
};

/** The table's kinds whose length synth checks, with the key of that check. */
const CHECKED: Record<string, NameKind> = {
  function: 'function',
  stack: 'stack',
  'deployment group': 'deployment group',
  alarm: 'alarm',
  dashboard: 'dashboard',
  'deploy action': 'pipeline action',
  role: 'role',
  'VPC Lattice service': 'Lattice service',
  'VPC Lattice service network': 'Lattice service network',
};

/** A value CloudFormation resolves at deploy time (the version in a verdict alarm's name). */
const TOKEN = '{token}';

interface Row {
  readonly kind: string;
  readonly patterns: readonly string[];
  readonly example: string;
  readonly limit: number;
}

interface Named {
  readonly kind: string;
  readonly name: string;
}

function documentedRows(): Row[] {
  const text = fs.readFileSync(path.join(ROOT, 'docs', 'configuration.md'), 'utf8');
  const section = text.slice(text.indexOf('### Derived names'));
  const table = section.slice(
    section.indexOf('\n|'),
    section.indexOf('\n\n', section.indexOf('\n|')),
  );
  return table
    .trim()
    .split('\n')
    .slice(2)
    .map((line) => {
      const [kind, pattern, example, limit] = line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim());
      const code = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
      return { kind, patterns: code(pattern), example: code(example)[0], limit: Number(limit) };
    });
}

/** A name as written in a template: a string, or a join whose tokens read as TOKEN. */
function rendered(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] } | undefined)?.['Fn::Join'];
  if (!join) return undefined;
  return join[1].map((part) => (typeof part === 'string' ? part : TOKEN)).join(join[0]);
}

function synthesizedNames(app: DefaultApp): Named[] {
  const names: Named[] = [];
  for (const stack of new CloudAssembly(app.outdir).stacksRecursively) {
    names.push({ kind: 'stack', name: stack.stackName });
    const resources = stack.template.Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    for (const resource of Object.values(resources)) {
      const named = NAMED[resource.Type];
      const value = named && resource.Properties?.[named.property];
      if (value === undefined) continue;
      const name = rendered(value);
      if (name === undefined) throw new Error(`${resource.Type}: a name we cannot read`);
      names.push({ kind: named.kind, name });
    }
    if (stack.stackName === `${app.model.pipelineName}-pipeline`) {
      const pipeline = Object.values(resources).find(
        (r) => r.Type === 'AWS::CodePipeline::Pipeline',
      )!;
      const stages = pipeline.Properties!.Stages as { Actions: { Name: string }[] }[];
      for (const action of stages.flatMap((s) => s.Actions)) {
        if (action.Name.endsWith('.Deploy'))
          names.push({ kind: 'deploy action', name: action.Name });
      }
    }
  }
  return names;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (values: Iterable<string>) => `(?:${[...new Set(values)].map(escape).join('|')})`;

/** A row's pattern as a regular expression over the sample's own names. */
function matcher(app: DefaultApp, functions: readonly string[]): (pattern: string) => RegExp {
  const { model } = app;
  const services = model.stages.flatMap((s) => s.services);
  const environments = model.stages.flatMap((s) => s.waves.flatMap((w) => w.environments));
  const placeholders: Record<string, string> = {
    pipeline: escape(model.pipelineName),
    stage: anyOf(model.stages.map((s) => s.name)),
    service: anyOf(services.map((s) => s.name)),
    stack: anyOf(services.map((s) => s.stack)),
    environment: anyOf(environments.map((e) => e.name)),
    region: anyOf(environments.map((e) => e.region)),
    function: anyOf(functions),
    wave: '[1-9]\\d*',
    version: `(?:\\d+|${escape(TOKEN)})`,
  };
  return (pattern) =>
    new RegExp(
      `^${pattern
        .split(/(<[a-z]+>)/)
        .map((part) => {
          const placeholder = /^<([a-z]+)>$/.exec(part)?.[1];
          if (placeholder === undefined) return escape(part);
          if (!(placeholder in placeholders)) throw new Error(`unknown placeholder ${part}`);
          return placeholders[placeholder];
        })
        .join('')}$`,
    );
}

let rows: Row[];
let names: Named[];
let matches: (row: Row, name: string) => boolean;

beforeAll(() => {
  const app = defaultApp();
  rows = documentedRows();
  names = synthesizedNames(app);
  const toRegExp = matcher(
    app,
    names.filter((n) => n.kind === 'function').map((n) => n.name),
  );
  matches = (row, name) => row.patterns.some((p) => toRegExp(p).test(name));
});

test('the table has a row for each kind of name, with a pattern, an example and a limit', () => {
  expect(rows.length).toBeGreaterThanOrEqual(20);
  for (const row of rows) {
    expect(row.patterns.length).toBeGreaterThan(0);
    expect(row.example).toBeDefined();
    expect(row.limit).toBeGreaterThan(0);
  }
});

test('every physical name the sample synthesizes matches a documented pattern of its kind', () => {
  expect(names.length).toBeGreaterThan(40);
  const undocumented = names.filter(
    (n) => !rows.some((row) => row.kind === n.kind && matches(row, n.name)),
  );
  expect(undocumented).toEqual([]);
});

test('every documented pattern names something the sample synthesizes, and its example is one', () => {
  for (const row of rows) {
    const found = names.filter((n) => n.kind === row.kind && matches(row, n.name));
    expect({ row: row.patterns, found: found.length > 0 }).toEqual({
      row: row.patterns,
      found: true,
    });
    expect({ row: row.patterns, example: matches(row, row.example) }).toEqual({
      row: row.patterns,
      example: true,
    });
    // A name with a deploy-time token (the version) shows a version in the example.
    const real = found.some((n) => n.name === row.example || n.name.includes(TOKEN));
    expect({ row: row.patterns, exampleIsReal: real }).toEqual({
      row: row.patterns,
      exampleIsReal: true,
    });
  }
});

test('each limit of a kind synth checks is the limit synth enforces', () => {
  const checked = rows.filter((row) => row.kind in CHECKED);
  expect(new Set(checked.map((r) => r.kind))).toEqual(new Set(Object.keys(CHECKED)));
  for (const row of checked) {
    expect({ kind: row.kind, limit: row.limit }).toEqual({
      kind: row.kind,
      limit: NAME_LIMITS[CHECKED[row.kind]].max,
    });
  }
});
