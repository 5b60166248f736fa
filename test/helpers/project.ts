import * as fs from 'fs';
import * as path from 'path';

/** The project's root folder. Cheap to import: no aws-cdk-lib behind it. */
export const ROOT = path.join(__dirname, '..', '..');

/** The feature flags of cdk.json, so tests synthesize what `cdk synth` synthesizes. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context;
}
