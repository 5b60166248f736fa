import type { LatticeNetworkModel } from '../config/model';

/**
 * An IAM auth policy for VPC Lattice that lets only the configured callers invoke: the listed
 * accounts' principals, and any authenticated principal of the listed organization.
 */
export function invokePolicy(
  network: Pick<LatticeNetworkModel, 'allowedAccounts' | 'organizationId'>,
  resource: string,
  partition: string,
): Record<string, unknown> {
  const statements: Record<string, unknown>[] = [];
  if (network.allowedAccounts.length > 0) {
    statements.push({
      Sid: 'AllowedAccounts',
      Effect: 'Allow',
      Principal: { AWS: network.allowedAccounts.map((a) => `arn:${partition}:iam::${a}:root`) },
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: resource,
    });
  }
  if (network.organizationId) {
    statements.push({
      Sid: 'AllowedOrganization',
      Effect: 'Allow',
      Principal: '*',
      Action: 'vpc-lattice-svcs:Invoke',
      Resource: resource,
      Condition: {
        StringEquals: { 'aws:PrincipalOrgID': network.organizationId },
        StringNotEqualsIgnoreCase: { 'aws:PrincipalType': 'anonymous' },
      },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}
