import { isErrorLike } from './describe-error';

/** A failed connection as Node reports it: `code` such as `ENOTFOUND`, and the host it tried. */
export interface NetworkFailure {
  readonly code: string;
  readonly hostname?: string;
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

const LATTICE_HOST = /\.vpc-lattice-svcs\.[a-z0-9-]+\.on\.aws$/;
const AWS_API_HOST = /^[a-z0-9-]+\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/;

/**
 * The network failure behind `error`, if any: Node's own errors carry `code` and `hostname`,
 * `fetch` wraps them as the `cause` of a `TypeError`, and an invoker may wrap that again with
 * the `hostname` it called.
 */
export function networkFailure(error: unknown): NetworkFailure | undefined {
  let code: string | undefined;
  let hostname: string | undefined;
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 4; e = e.cause, depth++) {
    if (code === undefined && typeof e.code === 'string' && NETWORK_CODES.has(e.code)) {
      code = e.code;
    }
    if (hostname === undefined && typeof e.hostname === 'string') hostname = e.hostname;
  }
  return code === undefined ? undefined : { code, ...(hostname !== undefined && { hostname }) };
}

/**
 * One line naming the fix when `error` comes from where the checks run rather than from the
 * service: no or expired credentials, credentials AWS rejects, a host that does not resolve or
 * cannot be reached. `undefined` for any other error (the service's own answer).
 */
export function describeEnvironmentError(error: unknown): string | undefined {
  if (!isErrorLike(error)) return undefined;
  if (error.name === 'CredentialsProviderError') {
    return 'no AWS credentials found: configure them (e.g. export AWS_PROFILE=<profile>, or aws sso login) and run again';
  }
  if (/^Expired(Token)?(Exception)?$/.test(error.name)) {
    return 'the AWS credentials have expired: refresh them (e.g. aws sso login) and run again';
  }
  if (['UnrecognizedClientException', 'InvalidClientTokenId'].includes(error.name)) {
    return `AWS rejected the credentials (${error.name}): configure valid credentials for the target's account and run again`;
  }
  const failure = networkFailure(error);
  if (failure === undefined) return undefined;
  const host = failure.hostname ?? 'the target';
  const unresolved = failure.code === 'ENOTFOUND' || failure.code === 'EAI_AGAIN';
  const what = `${unresolved ? 'cannot resolve' : 'cannot connect to'} ${host} (${failure.code})`;
  if (LATTICE_HOST.test(host)) {
    return `${what}: a VPC Lattice service is reachable only from a VPC associated with its service network; run the checks from such a VPC, or check the alias instead (no url)`;
  }
  if (!unresolved) return `${what}: check the network connection, proxy and firewall`;
  const region = AWS_API_HOST.exec(host)?.[1];
  if (region !== undefined) {
    return `${what}: check that "${region}" is an AWS region (it comes from the target ARN) and that this machine has a network connection`;
  }
  return `${what}: check the URL and the network connection`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
