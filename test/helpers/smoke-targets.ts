import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * Smoke targets files for the tests of `npm run synthetic`, in a folder of their own under the
 * run's temporary folder (which the run's teardown removes).
 */
export const TARGETS_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'smoke-targets-'));
let files = 0;

/** Writes a targets file with `content` (JSON unless a string) and returns its path. */
export function targetsFile(content: unknown): string {
  const file = path.join(TARGETS_DIR, `targets-${++files}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** A targets file of stage dev, wave 1, with these targets. */
export const targets = (...entries: Record<string, unknown>[]): string =>
  targetsFile({ stage: 'dev', wave: 1, targets: entries });

/** The ARN of a `live` alias in `region`. */
export const arn = (region: string, name = 'dev-healthy'): string =>
  `arn:aws:lambda:${region}:123456789012:function:${name}:live`;

/** The data rows of a table `npm run synthetic` printed, split into cells. */
export function rows(table: string): string[][] {
  return table
    .split('\n')
    .slice(1)
    .filter((line) => /\b(PASS|FAIL)\b/.test(line))
    .map((line) => line.split(/\s{2,}/));
}
