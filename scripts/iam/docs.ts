import { isWildcardOnlyAction } from '@cloud-copilot/iam-simulate';
import type { AwsResourceKind } from '../../runtime/aws-calls';
import { ROLE_KINDS, STAR_REASONS, type RoleExpectation } from './expectations';

/** How the permissions table names what a call acts on. */
const ON: Record<AwsResourceKind, string> = {
  'invoke-target': 'the version or alias it checks',
  'deployment-group': 'the deployment groups it reads',
  role: 'the roles it assumes',
  alarm: 'the alarms it reads',
  'lattice-service': 'its Lattice service',
  function: "the service's function",
  alias: 'the `live` alias',
  version: 'the version being released',
  hooks: "the group's two hooks",
  'log-stream': 'its own log group',
  queue: 'its dead-letter queue',
  none: '`*`',
};

/** What each kind of role is, for the table. */
const WHO: Record<(typeof ROLE_KINDS)[number], string> = {
  'service function': 'every function (Lambda, with its role)',
  'pre-traffic hook': 'pre-traffic hook',
  'post-traffic hook': 'post-traffic hook (judging)',
  CodeDeploy: "a deployment group's CodeDeploy role",
  'release judge': 'release judge',
  'alarm reader': 'alarm reader (`<prefix>-conditions-<region>`)',
  'bake function': 'bake function',
  'smoke step': "a wave's smoke step (`<prefix>-smoke-wave<N>`)",
  pipeline: "the pipeline's role (what this project adds)",
};

/**
 * The table of docs/operations.md ("What each role may do"): per kind of role, every action
 * its code (or the AWS service using it) calls, on what, and why; `*` with the reason. Built
 * from the IAM check's expectations of a synthesized app, which the check has proven to be
 * exactly what the policies allow.
 */
export async function permissionsTable(expectations: readonly RoleExpectation[]): Promise<string> {
  const rows: string[] = [];
  for (const kind of ROLE_KINDS) {
    const ofKind = expectations.filter((e) => e.kind === kind);
    if (ofKind.length === 0) continue;
    const seen = new Map<string, { on: Set<string>; why: Set<string> }>();
    for (const e of ofKind) {
      for (const call of e.calls) {
        // Lambda's own calls are the same for every function: listed once, first.
        if (kind !== 'service function' && call.why.startsWith('Lambda:')) continue;
        if (kind === 'service function' && !call.why.startsWith('Lambda:')) continue;
        const entry = seen.get(call.action) ?? { on: new Set(), why: new Set() };
        entry.on.add(call.on ?? 'none');
        entry.why.add(call.why.replace(/^services\/[^/]+\//, 'services/<name>/'));
        seen.set(call.action, entry);
      }
    }
    for (const [action, { on, why }] of seen) {
      const where = await Promise.all(
        [...on].map(async (o) => {
          if (o !== 'none') return ON[o as AwsResourceKind];
          const [service, name] = action.split(':');
          return (await isWildcardOnlyAction(service, name))
            ? '`*` (no resource type)'
            : `\`*\` (${STAR_REASONS[action] ?? 'NO REASON'})`;
        }),
      );
      rows.push(
        `| ${WHO[kind]} | \`${action}\` | ${where.join('; ')} | ${[...why].map((w) => (w.includes('/') ? `\`${w}\`` : w)).join(', ')} |`,
      );
    }
  }
  return ['| role | action | on | made by |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
