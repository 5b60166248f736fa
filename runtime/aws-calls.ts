/**
 * The AWS calls a runtime module makes, declared next to the code that makes them. Every module
 * that sends an AWS SDK command (or signs a request itself) exports `AWS_CALLS`, one entry per
 * call; a test compares each list with the `*Command` classes the module imports, so a call
 * cannot be added without being declared. The IAM check (`scripts/iam/`) follows each deployed
 * function's imports from its handler, collects these lists and simulates every call against the
 * synthesized IAM policies, with the resource the call acts on in that deployment.
 */

/**
 * What a call acts on, which the IAM check turns into concrete ARNs for each role:
 *
 * - `invoke-target`: the Lambda version or alias the invoker was given (a hook's `TARGET_QUALIFIER`
 *   of `TARGET_FUNCTION_NAME`, the post-traffic hook's new version, a smoke target's alias).
 * - `deployment-group`: the CodeDeploy deployment group of the deployment (its ARN).
 * - `role`: the IAM role the call assumes.
 * - `alarm`: the CloudWatch alarm the call reads.
 * - `lattice-service`: the VPC Lattice service a signed request goes to.
 * - `none`: nothing a policy can name: AWS's Service Authorization Reference lists no resource
 *   type for the action, so only `Resource: "*"` allows it.
 *
 * The calls AWS services make with a role of the app (Lambda with a function's role, CodeDeploy
 * with its service role) are declared in `lib/` with these too:
 *
 * - `function`, `alias`, `version`: the service's function (unqualified), its `live` alias, and
 *   the version being released;
 * - `hooks`: the deployment group's traffic hooks (unqualified: CodeDeploy invokes them by name);
 * - `log-stream`: a stream of the function's own log group;
 * - `queue`: the function's dead-letter queue (and on-failure destination).
 */
export type AwsResourceKind =
  | 'invoke-target'
  | 'deployment-group'
  | 'role'
  | 'alarm'
  | 'lattice-service'
  | 'function'
  | 'alias'
  | 'version'
  | 'hooks'
  | 'log-stream'
  | 'queue'
  | 'none';

/** One AWS API call a module makes. */
export interface AwsCall {
  /** The SDK v3 command class that makes it, or {@link SIGNED_REQUEST} for a SigV4 request. */
  readonly command: string;
  /** The IAM action AWS authorizes it as, e.g. `lambda:InvokeFunction` for `InvokeCommand`. */
  readonly action: string;
  readonly on: AwsResourceKind;
  /**
   * Request context the call always carries, e.g. `{ 'cloudwatch:namespace': 'LambdaCanary' }`.
   * @default none
   */
  readonly context?: Readonly<Record<string, string>>;
  /**
   * `assumed-role`: made with the credentials of a role the module assumed first (`role` calls),
   * not with the function's own role. @default the function's own role
   */
  readonly as?: 'assumed-role';
}

/** The `command` of a request the module signs with SigV4 itself (no SDK command class). */
export const SIGNED_REQUEST = 'SignatureV4 request';
