import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { JudgePolicy } from './judge';

/**
 * How the deployed judge learns what to judge: the scheduled judge reads `judge.json` beside
 * its handler (every service of its stage, written by the synth into its bundle), and the
 * post-traffic hook reads its service's judgement from its environment (`RELEASE_JUDGEMENT`,
 * JSON). Both come from the same resolved configuration (`lib/service/judge-policy.ts`).
 */

const percent = (min: number, max: number) => z.number().gt(min).lt(max);

export const judgePolicySchema = z.strictObject({
  errorRatePercent: z.number().gt(0).max(100),
  baselineErrorRatePercent: z.number().gt(0).lt(100),
  p99LatencyMs: z.number().int().min(1),
  confidencePercent: percent(50, 100),
  powerPercent: percent(50, 100),
  compareToBaseline: z.boolean(),
  requireVerdict: z.boolean(),
}) satisfies z.ZodType<JudgePolicy>;

/** A service the scheduled judge watches. */
export const judgedServiceSchema = z.strictObject({
  /** Its function, `<prefix>-<service>`. */
  functionName: z.string().min(1),
  /** Its CodeDeploy deployment group (same name). */
  deploymentGroup: z.string().min(1),
  /** The alias its real traffic comes through. */
  alias: z.string().min(1),
  policy: judgePolicySchema,
});

export const judgeFileSchema = z.strictObject({ services: z.array(judgedServiceSchema) });

export type JudgedService = z.infer<typeof judgedServiceSchema>;
export type JudgeFile = z.infer<typeof judgeFileSchema>;

/** What the post-traffic hook needs to judge its release after the shift to 100%. */
export const releaseJudgementSchema = z.strictObject({
  policy: judgePolicySchema,
  onQuiet: z.enum(['fail', 'generate-traffic']),
  /** Minutes it watches real traffic at 100% at most. */
  watchMinutes: z.number().int().min(1).max(13),
});

export type ReleaseJudgement = z.infer<typeof releaseJudgementSchema>;

/** The file beside the scheduled judge's handler. */
export const JUDGE_FILE = 'judge.json';

/** Where the scheduled judge reads its services: beside the bundled handler. */
export const DEFAULT_JUDGE_FILE = path.join(__dirname, JUDGE_FILE);

/**
 * Parses JSON text with a schema.
 * @throws Error naming `what` and the first problem
 */
export function parseJson<T>(schema: z.ZodType<T>, text: string, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new Error(`${what} is invalid${where}: ${issue.message}`);
  }
  return parsed.data;
}

/**
 * Reads the scheduled judge's file.
 * @throws Error naming the file and what is wrong with it
 */
export function readJudgeFile(file = DEFAULT_JUDGE_FILE): JudgeFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`judge file ${file} cannot be read: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseJson(judgeFileSchema, text, `judge file ${file}`);
}
