import * as fs from 'fs';
import * as path from 'path';
import { ConfigError } from '../config/config-error';
import { loadApp } from '../config/load';
import type { AppModel } from '../config/model';
import { PIPELINE_DOC, renderPipelineDoc, WRITE_COMMAND } from './markdown';
import { buildPlan } from './plan';
import { renderPlanText } from './text';

/** Exit codes of `npm run plan`. */
export const EXIT = { ok: 0, stale: 1, usage: 2 } as const;

/** Where the command reads and writes; injectable for tests. */
export interface PlanCliIo {
  /** Arguments after the script name. */
  readonly argv: readonly string[];
  /** The project root: configuration is read, and docs/pipeline.md written, below it. */
  readonly root: string;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  /** @default `loadApp(root)`, the configuration the CDK app is built from */
  readonly load?: () => AppModel;
}

const HELP = `Usage:
  npm run plan                 print the delivery plan
  npm run plan -- --write      print it and write ${PIPELINE_DOC}
  npm run plan -- --check      exit 1 if ${PIPELINE_DOC} is not what --write would write

Reads pipeline.config.ts, stages/ and services/ exactly as the CDK app does.
Exit codes: 0 ok, 1 ${PIPELINE_DOC} is stale (--check), 2 usage or configuration error.`;

/** Runs the command and returns its exit code; never calls `process.exit`. */
export function main(io: PlanCliIo): number {
  const unknown = io.argv.filter((a) => !['--write', '--check', '-h', '--help'].includes(a));
  if (unknown.length > 0 || (io.argv.includes('--write') && io.argv.includes('--check'))) {
    io.stderr(
      unknown.length > 0
        ? `plan: unknown argument "${unknown[0]}" (see --help)`
        : 'plan: use either --write or --check, not both',
    );
    return EXIT.usage;
  }
  if (io.argv.includes('-h') || io.argv.includes('--help')) {
    io.stdout(HELP);
    return EXIT.ok;
  }

  let model: AppModel;
  try {
    model = io.load ? io.load() : loadApp(io.root);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`plan: invalid configuration\n  ${error.message}`);
    return EXIT.usage;
  }
  const plan = buildPlan(model);
  const doc = renderPipelineDoc(plan);
  const file = path.join(io.root, PIPELINE_DOC);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;

  if (io.argv.includes('--check')) {
    if (current === doc) {
      io.stdout(`${PIPELINE_DOC} is up to date.`);
      return EXIT.ok;
    }
    io.stderr(staleMessage(current === undefined));
    return EXIT.stale;
  }

  io.stdout(renderPlanText(plan));
  io.stdout('');
  if (io.argv.includes('--write')) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, doc);
    io.stdout(
      current === doc ? `${PIPELINE_DOC} was already up to date.` : `Wrote ${PIPELINE_DOC}.`,
    );
  } else {
    io.stdout(
      current === doc
        ? `${PIPELINE_DOC} is up to date.`
        : `${PIPELINE_DOC} is out of date. Fix: ${WRITE_COMMAND}`,
    );
  }
  return EXIT.ok;
}

/** What --check and the docs test say when the page does not match the configuration. */
export function staleMessage(missing = false): string {
  return `${PIPELINE_DOC} ${missing ? 'does not exist' : 'is out of date: it does not match the configuration (pipeline.config.ts, stages/, services/)'}. Fix: run \`${WRITE_COMMAND}\` and commit ${PIPELINE_DOC}.`;
}
