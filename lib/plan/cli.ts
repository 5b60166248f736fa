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
  /**
   * Loads the configuration, from the project's root or from the folder `--config` names.
   * @default `loadApp(root, { configRoot })`, the configuration the CDK app is built from
   */
  readonly load?: (configRoot?: string) => AppModel;
}

const HELP = `Usage:
  npm run plan                        print the delivery plan
  npm run plan -- --write             print it and write ${PIPELINE_DOC}
  npm run plan -- --check             exit 1 if ${PIPELINE_DOC} is not what --write would write
  npm run plan -- --config <folder>   print the plan of the configuration in <folder>, e.g.
                                      examples/three-region-prod (as npx cdk synth -c config=<folder>)

Reads pipeline.config.ts, stages/ and services/ exactly as the CDK app does.
Exit codes: 0 ok, 1 ${PIPELINE_DOC} is stale (--check), 2 usage or configuration error.`;

interface PlanArgs {
  write: boolean;
  check: boolean;
  help: boolean;
  /** The folder `--config` names, holding another `pipeline.config.ts` and `stages/`. */
  configRoot?: string;
}

/** The arguments `main` knows, or why they are not usable. */
function parseArgv(argv: readonly string[]): PlanArgs | { error: string } {
  const args: PlanArgs = { write: false, check: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--write') args.write = true;
    else if (arg === '--check') args.check = true;
    else if (arg === '-h' || arg === '--help') args.help = true;
    else if (arg === '--config' && argv[i + 1] !== undefined && !argv[i + 1].startsWith('-')) {
      args.configRoot = argv[++i];
    } else if (arg === '--config') return { error: 'plan: --config needs a folder (see --help)' };
    else return { error: `plan: unknown argument "${arg}" (see --help)` };
  }
  if (args.write && args.check) return { error: 'plan: use either --write or --check, not both' };
  if (args.configRoot !== undefined && (args.write || args.check)) {
    return {
      error: `plan: ${PIPELINE_DOC} describes the project's own configuration: --config only prints the plan of another`,
    };
  }
  return args;
}

/** Runs the command and returns its exit code; never calls `process.exit`. */
export function main(io: PlanCliIo): number {
  const args = parseArgv(io.argv);
  if ('error' in args) {
    io.stderr(args.error);
    return EXIT.usage;
  }
  if (args.help) {
    io.stdout(HELP);
    return EXIT.ok;
  }

  let model: AppModel;
  try {
    const { configRoot } = args;
    model = io.load ? io.load(configRoot) : loadApp(io.root, { configRoot });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`plan: invalid configuration\n  ${error.message}`);
    return EXIT.usage;
  }
  const plan = buildPlan(model);
  const doc = renderPipelineDoc(plan);
  const file = path.join(io.root, PIPELINE_DOC);
  const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;

  if (args.check) {
    if (current === doc) {
      io.stdout(`${PIPELINE_DOC} is up to date.`);
      return EXIT.ok;
    }
    io.stderr(staleMessage(current === undefined));
    return EXIT.stale;
  }

  io.stdout(renderPlanText(plan));
  if (args.configRoot !== undefined) return EXIT.ok;
  io.stdout('');
  if (args.write) {
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
