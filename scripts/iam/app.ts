import * as fs from 'fs';
import * as path from 'path';
import { partitionOf } from '../../lib/pipeline/smoke-targets';
import { lambdaArn, ResolvingStack, type TemplateResource } from './resolve';

/**
 * The IAM side of a synthesized app, read from its cloud assembly: every role with the policies
 * attached to it (resolved to concrete ARNs), every function with its role and settings, and
 * the resource policies of Lambda functions, versions and aliases.
 */

/** An IAM policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Statement: readonly Statement[];
}

export interface Statement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: unknown;
  readonly Action?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Record<string, Record<string, unknown>>;
}

export interface StackInfo {
  /** The CloudFormation stack name. */
  readonly name: string;
  /** Path of the template, relative to the assembly. */
  readonly file: string;
  readonly account: string;
  readonly region: string;
  readonly template: { Resources: Record<string, TemplateResource> };
  readonly resolver: ResolvingStack;
}

/** A policy attached to a role, by where it comes from. */
export interface AttachedPolicy {
  /** `<stack>/<logical id>` of an `AWS::IAM::Policy`, `<role>/inline/<name>`, or a managed ARN. */
  readonly name: string;
  readonly document: PolicyDocument;
}

export interface RoleInfo {
  readonly stack: StackInfo;
  readonly logicalId: string;
  /** The construct path CDK records in the template's metadata (`aws:cdk:path`), if any. */
  readonly cdkPath?: string;
  readonly arn: string;
  readonly trust: PolicyDocument;
  readonly policies: readonly AttachedPolicy[];
}

export interface FunctionInfo {
  readonly stack: StackInfo;
  readonly logicalId: string;
  readonly name: string;
  /** Unqualified ARN. */
  readonly arn: string;
  readonly roleArn: string;
  readonly environment: Readonly<Record<string, string>>;
  /** The dead-letter queue and on-failure destination ARNs. */
  readonly queues: readonly string[];
}

export interface IamApp {
  readonly outdir: string;
  readonly stacks: readonly StackInfo[];
  /** By ARN. */
  readonly roles: ReadonlyMap<string, RoleInfo>;
  /** By unqualified ARN. */
  readonly functions: ReadonlyMap<string, FunctionInfo>;
  /** Resource-based policy statements by the (qualified or unqualified) Lambda ARN they are on. */
  readonly lambdaPolicies: ReadonlyMap<string, readonly Statement[]>;
}

/**
 * AWS managed policies the check knows the text of (it cannot fetch any): only the one this
 * project attached before it had a CodeDeploy role of its own, kept so a check of an older
 * template shows what it allowed.
 */
export const KNOWN_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  'service-role/AWSCodeDeployRoleForLambdaLimited': {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Action: [
          'cloudwatch:DescribeAlarms',
          'lambda:UpdateAlias',
          'lambda:GetAlias',
          'lambda:GetProvisionedConcurrencyConfig',
        ],
        Resource: '*',
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: 'arn:aws:s3:::*/CodeDeploy/*',
      },
      {
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:GetObjectVersion'],
        Resource: '*',
        Condition: { StringEquals: { 's3:ExistingObjectTag/UseWithCodeDeploy': 'true' } },
      },
      {
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: 'arn:aws:lambda:*:*:function:CodeDeployHook_*',
      },
    ],
  },
};

/** Every stack of the cloud assembly in `outdir`, nested stage assemblies included. */
export function readStacks(outdir: string, dir = outdir): StackInfo[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<
      string,
      {
        type: string;
        environment?: string;
        properties?: { templateFile?: string; stackName?: string; directoryName?: string };
      }
    >;
  };
  const stacks: StackInfo[] = [];
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    if (artifact.type === 'cdk:cloud-assembly' && artifact.properties?.directoryName) {
      stacks.push(...readStacks(outdir, path.join(dir, artifact.properties.directoryName)));
    }
    if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) {
      continue;
    }
    const [account, region] = (artifact.environment ?? '').replace('aws://', '').split('/');
    const file = path.join(dir, artifact.properties.templateFile);
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    const name = artifact.properties.stackName ?? id;
    const env = { account, region, partition: partitionOf(region), stackName: name };
    stacks.push({
      name,
      file: path.relative(outdir, file),
      account,
      region,
      template,
      resolver: new ResolvingStack(env, template.Resources ?? {}),
    });
  }
  return stacks;
}

/** Reads the roles, functions and Lambda resource policies of an assembly. */
export function readIamApp(outdir: string): IamApp {
  const stacks = readStacks(outdir);
  const roles = new Map<string, RoleInfo>();
  const functions = new Map<string, FunctionInfo>();
  const lambdaPolicies = new Map<string, Statement[]>();
  for (const stack of stacks) {
    const r = stack.resolver;
    const resources = Object.entries(stack.template.Resources ?? {});
    const attached = new Map<string, AttachedPolicy[]>();
    for (const [id, res] of resources) {
      if (res.Type !== 'AWS::IAM::Policy') continue;
      const document = resolveDocument(r, res.Properties?.PolicyDocument);
      for (const role of (res.Properties?.Roles ?? []) as unknown[]) {
        const refId = (role as { Ref?: string }).Ref;
        const key = refId ?? r.value(role);
        attached.set(key, [
          ...(attached.get(key) ?? []),
          { name: `${stack.name}/${id}`, document },
        ]);
      }
    }
    for (const [id, res] of resources) {
      if (res.Type === 'AWS::IAM::Role') {
        const arn = r.value({ 'Fn::GetAtt': [id, 'Arn'] });
        const name = r.value({ Ref: id });
        const inline = (
          (res.Properties?.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]
        ).map((p) => ({
          name: `${stack.name}/${id}/inline/${p.PolicyName}`,
          document: resolveDocument(r, p.PolicyDocument),
        }));
        const managed = ((res.Properties?.ManagedPolicyArns ?? []) as unknown[]).map((m) => {
          const managedArn = r.value(m);
          const known =
            KNOWN_MANAGED_POLICIES[managedArn.replace(/^arn:[^:]+:iam::aws:policy\//, '')];
          if (!known) {
            throw new Error(
              `${stack.name}/${id} has the managed policy ${managedArn}, whose text the IAM check does not know. Fix: give the role a policy of its own`,
            );
          }
          return { name: managedArn, document: known };
        });
        const cdkPath = (res as { Metadata?: Record<string, unknown> }).Metadata?.['aws:cdk:path'];
        roles.set(arn, {
          stack,
          logicalId: id,
          ...(typeof cdkPath === 'string' && { cdkPath }),
          arn,
          trust: resolveDocument(r, res.Properties?.AssumeRolePolicyDocument),
          policies: [
            ...inline,
            ...managed,
            ...new Set([...(attached.get(id) ?? []), ...(attached.get(name) ?? [])]),
          ],
        });
      }
      if (res.Type === 'AWS::Lambda::Function') {
        const p = res.Properties ?? {};
        const name = r.value({ Ref: id });
        const env = (p.Environment as { Variables?: Record<string, unknown> })?.Variables ?? {};
        functions.set(lambdaArn(r, name), {
          stack,
          logicalId: id,
          name,
          arn: lambdaArn(r, name),
          roleArn: r.value(p.Role),
          environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, r.value(v)])),
          queues: [
            ...((p.DeadLetterConfig as { TargetArn?: unknown })?.TargetArn
              ? [r.value((p.DeadLetterConfig as { TargetArn: unknown }).TargetArn)]
              : []),
          ],
        });
      }
      if (res.Type === 'AWS::Lambda::Permission') {
        const p = res.Properties ?? {};
        const target = lambdaArn(r, r.value(p.FunctionName));
        const principal = r.value(p.Principal);
        const condition: Record<string, Record<string, unknown>> = {};
        if (p.SourceArn !== undefined)
          condition.ArnLike = { 'aws:SourceArn': r.value(p.SourceArn) };
        if (p.SourceAccount !== undefined) {
          condition.StringEquals = { 'aws:SourceAccount': r.value(p.SourceAccount) };
        }
        const statement: Statement = {
          Sid: `${stack.name}/${id}`,
          Effect: 'Allow',
          Principal: principal.endsWith('.amazonaws.com')
            ? { Service: principal }
            : {
                AWS: /^\d{12}$/.test(principal)
                  ? `arn:${partitionOf(stack.region)}:iam::${principal}:root`
                  : principal,
              },
          Action: r.value(p.Action),
          Resource: target,
          ...(Object.keys(condition).length > 0 && { Condition: condition }),
        };
        lambdaPolicies.set(target, [...(lambdaPolicies.get(target) ?? []), statement]);
      }
    }
    for (const [id, res] of resources) {
      if (res.Type !== 'AWS::Lambda::EventInvokeConfig') continue;
      const fn = lambdaArn(r, r.value(res.Properties?.FunctionName));
      const destination = (
        res.Properties?.DestinationConfig as { OnFailure?: { Destination?: unknown } }
      )?.OnFailure?.Destination;
      const info = functions.get(fn);
      if (info && destination !== undefined) {
        functions.set(fn, {
          ...info,
          queues: [...new Set([...info.queues, r.value(destination)])],
        });
      } else if (!info) {
        throw new Error(`${stack.name}/${id} configures ${fn}, which is not in the stack`);
      }
    }
  }
  return { outdir, stacks, roles, functions, lambdaPolicies };
}

function resolveDocument(r: ResolvingStack, document: unknown): PolicyDocument {
  const doc = (document ?? { Statement: [] }) as { Version?: string; Statement?: unknown[] };
  return {
    Version: doc.Version,
    Statement: (doc.Statement ?? []).map((s) => resolveStatement(r, s as Record<string, unknown>)),
  };
}

function resolveStatement(r: ResolvingStack, s: Record<string, unknown>): Statement {
  const out: Record<string, unknown> = { ...s };
  if (s.Action !== undefined) out.Action = r.list(s.Action);
  if (s.Resource !== undefined) out.Resource = r.list(s.Resource);
  if (s.Principal !== undefined) out.Principal = resolvePrincipal(r, s.Principal);
  if (s.Condition !== undefined) {
    out.Condition = Object.fromEntries(
      Object.entries(s.Condition as Record<string, Record<string, unknown>>).map(([op, keys]) => [
        op,
        Object.fromEntries(
          Object.entries(keys).map(([k, v]) => [k, Array.isArray(v) ? r.list(v) : r.value(v)]),
        ),
      ]),
    );
  }
  return out as unknown as Statement;
}

function resolvePrincipal(r: ResolvingStack, principal: unknown): unknown {
  if (principal === '*') return principal;
  return Object.fromEntries(
    Object.entries(principal as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? r.list(v) : r.value(v),
    ]),
  );
}
