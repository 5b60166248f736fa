import * as fs from 'fs';
import * as path from 'path';

/** The project's root folder. Cheap to import: no aws-cdk-lib behind it. */
export const ROOT = path.join(__dirname, '..', '..');

/**
 * The context `cdk synth` gives the app: the feature flags of cdk.json and the metadata the CLI
 * turns on (construct and asset paths, and the CDK metadata resource by which tools such as
 * cfn-lint recognise a CDK template), so tests synthesize what `cdk synth` synthesizes.
 */
export function cdkJsonContext(): Record<string, unknown> {
  return {
    ...JSON.parse(fs.readFileSync(path.join(ROOT, 'cdk.json'), 'utf8')).context,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
    'aws:cdk:version-reporting': true,
  };
}
