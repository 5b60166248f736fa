import { RegionInfo } from 'aws-cdk-lib/region-info';
import { ConfigError } from '../../lib/config/config-error';
import type { AppModel } from '../../lib/config/model';
import { list } from './format';
import { OpsError, type EnvironmentChoice } from './types';

/** An account a command needs, and what for. */
export interface Place {
  readonly account: string;
  readonly region: string;
  /** `environment prod-eu of stage prod`, `pipeline ops-test`. */
  readonly what: string;
}

export function environmentPlace(stage: string, choice: EnvironmentChoice): Place {
  const { name, account, region } = choice.environment;
  return { account, region, what: `environment ${name} of stage ${stage}` };
}

export function pipelinePlace(app: AppModel): Place {
  return { ...app.pipelineEnv, what: `pipeline ${app.pipelineName}` };
}

/** `account 111111111111 (pipeline p) and account 333333333333 (environments a and b)`. */
export function describePlaces(places: readonly Place[]): string {
  const byAccount = new Map<string, string[]>();
  for (const p of places) {
    const whats = byAccount.get(p.account) ?? [];
    if (!whats.includes(p.what)) whats.push(p.what);
    byAccount.set(p.account, whats);
  }
  return list([...byAccount].map(([account, whats]) => `account ${account} (${list(whats)})`));
}

/** The fix for a place the credentials do not reach. */
export function useCredentialsFor(account: string): string {
  return `use credentials for account ${account}, e.g. AWS_PROFILE=<a profile of account ${account}>`;
}

/**
 * Refuses a region AWS does not have (by the CDK's region list, which the configuration is
 * validated against) before any client is made for it: an SDK client would only fail later, on
 * a host name that does not resolve.
 */
export function checkRegion(place: Place): void {
  if (!RegionInfo.regions.some((r) => r.name === place.region)) {
    throw new OpsError(
      `unknown AWS region "${place.region}" for ${place.what}: set a region AWS has (e.g. eu-west-1) in pipeline.config.ts`,
    );
  }
}

const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EPIPE',
]);

const THROTTLING_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
]);

/** The name of an AWS service error (it carries `$metadata`), else undefined. */
function awsErrorName(error: Error): string | undefined {
  return '$metadata' in error ? error.name : undefined;
}

export function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const retryable = (error as { $retryable?: { throttling?: boolean } }).$retryable;
  return THROTTLING_NAMES.has(error.name) || retryable?.throttling === true;
}

/**
 * One line for an error the operator can act on, naming the fix; undefined for a bug, which the
 * caller rethrows. `needed` names the accounts the command needed, for credential errors.
 */
export function describeFailure(error: unknown, needed: readonly Place[]): string | undefined {
  if (error instanceof OpsError) return error.message;
  if (error instanceof ConfigError) return `invalid configuration: ${error.message}`;
  if (!(error instanceof Error)) return undefined;
  const accounts = needed.length > 0 ? describePlaces(needed) : 'the stage';
  if (error.name === 'CredentialsProviderError') {
    return `no AWS credentials: configure credentials for ${accounts}, e.g. AWS_PROFILE=<profile> or aws sso login`;
  }
  if (/Expired(Token)?/.test(error.name)) {
    return `the AWS credentials have expired: refresh them for ${accounts} (e.g. aws sso login)`;
  }
  if (/^Region (is missing|not accepted)|[Ii]nvalid region/.test(error.message)) {
    return `invalid AWS region (${error.message}): set a region AWS has (e.g. eu-west-1) in pipeline.config.ts`;
  }
  const code = (error as { code?: unknown }).code;
  if ((typeof code === 'string' && NETWORK_CODES.has(code)) || error.name === 'TimeoutError') {
    return `no network: AWS did not answer (${error.message}): check the internet connection, VPN or proxy (HTTPS_PROXY), then run the command again`;
  }
  if (isThrottling(error)) {
    return `AWS is throttling these requests (${error.name}: ${error.message}), even after retries: wait a minute, then run the command again`;
  }
  // Any other AWS service error (access denied, a conflict, ...): its name and message say it.
  const name = awsErrorName(error);
  if (name !== undefined) return `${name}: ${error.message}`;
  return undefined;
}
