import { runSimulation, runUnsafeSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import type { AppModel } from '../../lib/config/model';
import { readIamApp, type IamApp, type PolicyDocument, type RoleInfo, type Statement } from './app';
import { roleExpectations, type ExpectedCall, type RoleExpectation } from './expectations';

/**
 * The IAM check: every call each role of the app makes, simulated with
 * `@cloud-copilot/iam-simulate` against the synthesized identity policies of the role and the
 * resource policy of what it calls (a Lambda function's or alias's permissions, a role's trust
 * policy), must be allowed; every must-deny probe must be denied; and every action a statement
 * of the project grants must be one a call of the role makes.
 */

export type Problem = 'denied' | 'allowed' | 'extra' | 'error' | 'unchecked';

export interface Finding {
  readonly problem: Problem;
  readonly label: string;
  readonly role: string;
  readonly message: string;
}

export interface CheckResult {
  readonly expectations: readonly RoleExpectation[];
  /** Roles CDK Pipelines makes for its own actions and scopes itself: not simulated. */
  readonly cdkPipelinesRoles: readonly RoleInfo[];
  readonly findings: readonly Finding[];
  /** Simulations run. */
  readonly simulations: number;
}

/** Checks the app synthesized from `model` into `outdir`. */
export async function checkAssembly(model: AppModel, outdir: string): Promise<CheckResult> {
  return checkApp(model, readIamApp(outdir));
}

export async function checkApp(model: AppModel, app: IamApp): Promise<CheckResult> {
  const expectations = roleExpectations(model, app);
  const findings: Finding[] = [];
  let simulations = 0;
  for (const e of expectations) {
    for (const call of e.calls) {
      simulations++;
      const outcome = await simulate(app, e.role, call);
      if (outcome.result !== 'Allowed') {
        findings.push({
          problem: outcome.error ? 'error' : 'denied',
          label: e.label,
          role: e.role.arn,
          message: `${call.action} on ${call.resource} (${call.why}) is denied: ${outcome.error ?? `no statement of ${describePolicies(e.role)}${call.identityOnly ? '' : resourceSide(app, call)} allows it`}`,
        });
      }
    }
    for (const probe of e.probes) {
      simulations++;
      const outcome = await simulate(app, e.role, probe);
      if (outcome.result === 'Allowed') {
        findings.push({
          problem: 'allowed',
          label: e.label,
          role: e.role.arn,
          message: `${probe.action} on ${probe.resource} (${probe.why}${probe.principal ? `, as ${probe.principal.arn}` : ''}) must be denied, but is allowed by ${outcome.allowedBy.join('; ')}`,
        });
      } else if (outcome.error) {
        findings.push({
          problem: 'error',
          label: e.label,
          role: e.role.arn,
          message: `${probe.action} on ${probe.resource}: ${outcome.error}`,
        });
      }
    }
    findings.push(...extraGrants(e));
  }
  const checked = new Set(expectations.map((e) => e.role.arn));
  const cdkPipelinesRoles: RoleInfo[] = [];
  for (const role of app.roles.values()) {
    if (checked.has(role.arn)) continue;
    if (madeByCdkPipelines(role)) {
      cdkPipelinesRoles.push(role);
      continue;
    }
    findings.push({
      problem: 'unchecked',
      label: role.cdkPath ?? `${role.stack.name}/${role.logicalId}`,
      role: role.arn,
      message: `a role of the app that no expectation describes, so nothing checks what it may do. Fix: declare the calls its code makes (AWS_CALLS beside the code) and add the role to scripts/iam/expectations.ts, or remove the role if nothing uses it`,
    });
  }
  return { expectations, cdkPipelinesRoles, findings, simulations };
}

/**
 * A role CDK Pipelines creates inside its `CodePipeline` construct (the pipeline stack's
 * `Pipeline`) for its own actions (source, build, self-mutation, asset publishing, an approval,
 * an invoke action) and grants itself. The pipeline's own role is among them and is checked for
 * what this project adds to it; the others run no code of this project.
 */
function madeByCdkPipelines(role: RoleInfo): boolean {
  const stackHasPipeline = Object.values(role.stack.template.Resources ?? {}).some(
    (r) => r.Type === 'AWS::CodePipeline::Pipeline',
  );
  return stackHasPipeline && role.cdkPath?.split('/')[1] === 'Pipeline';
}

/** The actions of the project's statements of a role that no call of the role makes. */
function extraGrants(e: RoleExpectation): Finding[] {
  const made = new Set(e.calls.map((c) => c.action));
  const findings: Finding[] = [];
  for (const policy of e.role.policies) {
    policy.document.Statement.forEach((statement, index) => {
      if (statement.Effect !== 'Allow' || !e.owns(statement)) return;
      const unused = actions(statement).filter((a) => ![...made].some((m) => matches(a, m)));
      if (unused.length === 0) return;
      findings.push({
        problem: 'extra',
        label: e.label,
        role: e.role.arn,
        message: `statement ${statement.Sid ?? `#${index + 1}`} of ${policy.name} allows ${unused.join(', ')} on ${resources(statement).join(', ')}, which no call of this role makes${e.skipped.length > 0 ? ` (it does not run ${e.skipped.map((s) => `${s.module}: ${s.reason}`).join('; ')})` : ''}`,
      });
    });
  }
  return findings;
}

interface Outcome {
  readonly result: string;
  readonly error?: string;
  /** For an allowed request, the statements that allowed it. */
  readonly allowedBy: string[];
}

async function simulate(app: IamApp, role: RoleInfo, call: ExpectedCall): Promise<Outcome> {
  const principal = call.principal?.arn ?? role.arn;
  const identityPolicies = call.principal
    ? [{ name: 'probe', policy: { Version: '2012-10-17', Statement: call.principal.policies } }]
    : role.policies.map((p) => ({ name: p.name, policy: normalize(p.document) }));
  const resourcePolicy = call.identityOnly ? undefined : resourcePolicyOf(app, call);
  const principalAccount = accountOf(principal);
  // A call judged on the role's own policies alone is simulated as within the role's account.
  const account =
    call.resource === '*' || call.identityOnly
      ? (principalAccount ?? role.stack.account)
      : (accountOf(call.resource) ?? role.stack.account);
  const simulation: Simulation = {
    request: {
      principal,
      action: call.action,
      resource: { resource: call.resource, accountId: account },
      // The global keys AWS sets on every request of a role's session.
      contextVariables: {
        'aws:PrincipalArn': principal,
        ...(principalAccount && { 'aws:PrincipalAccount': principalAccount }),
        ...call.context,
      },
    },
    identityPolicies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy && { resourcePolicy: normalize(resourcePolicy) }),
  };
  // A request to another account with no resource policy there: nothing can allow it.
  if (
    !resourcePolicy &&
    account !== principalAccount &&
    !call.identityOnly &&
    call.resource !== '*'
  ) {
    return { result: 'ImplicitlyDenied', allowedBy: [] };
  }
  const response = await runSimulation(simulation, {});
  if (response.resultType === 'error' && response.errors.message === 'multiple.resource.types') {
    // One ARN of two resource types the action takes (a Lambda alias and a version look
    // alike): the simulator will not choose, so evaluate without its resource-type validation.
    // Within one account the role's own policies decide (the app's resource policies only
    // allow), which is all this path needs: the simulator's unvalidated path takes none.
    if (account !== principalAccount) {
      return {
        result: 'error',
        error: 'a cross-account request of two resource types',
        allowedBy: [],
      };
    }
    const identityOnly = { ...simulation, resourcePolicy: undefined };
    return {
      result: runUnsafeSimulation(identityOnly, {}),
      allowedBy: ['(unvalidated simulation)'],
    };
  }
  if (response.resultType === 'error') {
    return {
      result: 'error',
      error: `the simulator refused the request: ${JSON.stringify(response.errors)}`,
      allowedBy: [],
    };
  }
  const results = response.resultType === 'single' ? [response.result] : response.results;
  const allowedBy = results.flatMap((r) => [
    ...(r.analysis?.identityAnalysis?.allowStatements ?? []).map(
      (s) => `${s.policyId} ${describeExplain(s)}`,
    ),
    ...(r.analysis?.resourceAnalysis?.allowStatements ?? []).map(
      (s) => `resource policy ${describeExplain(s)}`,
    ),
  ]);
  return { result: response.overallResult, allowedBy };
}

function describeExplain(s: { statement: { sid(): string | undefined; index(): number } }): string {
  const sid = s.statement.sid();
  return sid ? `statement ${sid}` : `statement #${s.statement.index() + 1}`;
}

/** The resource-based policy of what a call acts on, when the app holds one. */
function resourcePolicyOf(app: IamApp, call: ExpectedCall): PolicyDocument | undefined {
  if (call.action.startsWith('lambda:')) {
    const statements = app.lambdaPolicies.get(call.resource);
    return statements ? { Version: '2012-10-17', Statement: statements } : undefined;
  }
  if (call.action === 'sts:AssumeRole') {
    const role = app.roles.get(call.resource);
    return role ? role.trust : undefined;
  }
  return undefined;
}

function resourceSide(app: IamApp, call: ExpectedCall): string {
  const policy = resourcePolicyOf(app, call);
  if (!policy) return '';
  return ` nor of the resource policy of ${call.resource} (${policy.Statement.map((s) => s.Sid ?? JSON.stringify(s.Principal)).join(', ')})`;
}

function describePolicies(role: RoleInfo): string {
  return role.policies.length > 0
    ? role.policies.map((p) => p.name).join(', ')
    : 'its policies (it has none)';
}

/** A policy document with the `Version` IAM needs and every Sid kept out of the simulator's way. */
function normalize(document: PolicyDocument): unknown {
  return {
    Version: '2012-10-17',
    Statement: document.Statement.map((s) => {
      const { Sid, ...rest } = s;
      return Sid && /^[A-Za-z0-9]+$/.test(Sid) ? s : rest;
    }),
  };
}

function actions(statement: Statement): string[] {
  return ([] as string[]).concat(statement.Action ?? []);
}

function resources(statement: Statement): string[] {
  return ([] as string[]).concat(statement.Resource ?? []);
}

/** Whether the policy action `pattern` (with `*`) covers `action`. */
function matches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );
  return re.test(action);
}

function accountOf(arn: string): string | undefined {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : undefined;
}

/** One line per finding, grouped by role. */
export function formatFindings(findings: readonly Finding[]): string {
  return findings.map((f) => `${f.label} [${f.problem}] ${f.role}: ${f.message}`).join('\n');
}
