import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SyntheticCheck } from '../../../runtime/synthetic/types';

/** The event CodeDeploy sends, and the ids the report must carry. */
export const EVENT = { DeploymentId: 'd-ABCDEF123', LifecycleEventHookExecutionId: 'hook-exec-42' };
export const REPORT_IDS = {
  deploymentId: 'd-ABCDEF123',
  lifecycleEventHookExecutionId: 'hook-exec-42',
};

/** Two greeter-like checks. */
export const CHECKS: SyntheticCheck[] = [
  {
    name: 'greets by name',
    event: { rawPath: '/hello', queryStringParameters: { name: 'canary' } },
    expect: { statusCode: 200, bodyFields: { message: 'Hello, canary!' } },
  },
  {
    name: 'greets the world',
    event: { rawPath: '/hello' },
    expect: { statusCode: 200, bodyContains: ['Hello, world!'] },
  },
];

/** A context with this much Lambda time left. */
export const context = (remainingMs: number) => ({ getRemainingTimeInMillis: () => remainingMs });

/**
 * A temporary folder for checks files, removed with `remove()`. `write` puts `content` (JSON
 * of a value, or raw text) into a new file and returns its path.
 */
export function checksFolder(): {
  dir: string;
  write: (content: unknown, name?: string) => string;
  remove: () => void;
} {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hook-checks-'));
  let n = 0;
  return {
    dir,
    write: (content, name = `checks-${++n}.json`) => {
      const file = path.join(dir, name);
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The environment of the pre- and post-traffic hooks for `checksFile`. */
export function hookEnv(checksFile: string): {
  pre: Record<string, string>;
  post: Record<string, string>;
} {
  const pre = {
    TARGET_FUNCTION_NAME: 'prod-greeter',
    TARGET_QUALIFIER: '7',
    HOOK_PHASE: 'pre-traffic',
    SYNTHETIC_CHECKS_FILE: checksFile,
  };
  return { pre, post: { ...pre, TARGET_QUALIFIER: 'live', HOOK_PHASE: 'post-traffic' } };
}
