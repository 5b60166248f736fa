/**
 * Describes any thrown value as `Name: message` for logs and check reasons. Error-like objects
 * from another realm (Node's `fetch` rejects with those under jest) count as errors.
 */
export function describeError(error: unknown): string {
  if (isErrorLike(error)) {
    return error.message ? `${error.name}: ${error.message}` : error.name;
  }
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/** An `Error`, or an object with the `name` and `message` of one. */
export function isErrorLike(error: unknown): error is Error {
  if (error instanceof Error) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { name, message } = error as Record<string, unknown>;
  return typeof name === 'string' && typeof message === 'string';
}

/**
 * Like {@link describeError}, but a plain `Error` (one of this project's own, which already says
 * what failed) by its message alone.
 */
export function errorMessage(error: unknown): string {
  return isErrorLike(error) && error.name === 'Error' && error.message
    ? error.message
    : describeError(error);
}
