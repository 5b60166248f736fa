import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseChecks } from '../synthetic/parse-checks';
import type { SyntheticCheck } from '../synthetic/types';

/** The file beside the hook handler that holds the service's synthetic checks. */
export const CHECKS_FILE = 'checks.json';

/**
 * Where the hook reads its checks unless told otherwise: `checks.json` beside the bundled
 * handler (`/var/task/checks.json` in Lambda), where the synth puts the service's checks.
 */
export const DEFAULT_CHECKS_FILE = path.join(__dirname, CHECKS_FILE);

/**
 * Reads and validates a checks file: a JSON array of `SyntheticCheck`.
 *
 * @throws Error naming the file and what is wrong with it (missing, unreadable, not JSON,
 *   malformed checks)
 */
export function readChecksFile(file: string): SyntheticCheck[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT'
        ? `checks file ${file} does not exist: the hook's bundle must hold the service's checks as ${CHECKS_FILE} beside the handler`
        : `checks file ${file} cannot be read: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseChecks(text, file);
}
