/** Prefix of the environment variables that hold the deployed targets of `--remote` runs. */
export const SYNTHETIC_TARGET_PREFIX = 'SYNTHETIC_TARGET_';

/** Service names as the configuration accepts them: lower-case letters, digits, single hyphens. */
const SERVICE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * The environment variable that holds the ARN of a service's deployed alias for remote
 * synthetic runs: `SYNTHETIC_TARGET_` + the name upper-cased with hyphens as underscores,
 * e.g. `order-history` → `SYNTHETIC_TARGET_ORDER_HISTORY`.
 *
 * @throws Error when `serviceName` is not a valid service name
 */
export function targetEnvVar(serviceName: string): string {
  if (!SERVICE_NAME.test(serviceName)) {
    throw new Error(
      `"${serviceName}" is not a valid service name (lower-case letters, digits and single hyphens, starting with a letter)`,
    );
  }
  return `${SYNTHETIC_TARGET_PREFIX}${serviceName.toUpperCase().replace(/-/g, '_')}`;
}
