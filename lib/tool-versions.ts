import * as fs from 'fs';
import * as path from 'path';

/** The versions of the CDK tools the pipeline installs, pinned in package.json. */
export interface ToolVersions {
  /** `aws-cdk`, the CLI that synthesizes and self-mutates (never npm's `latest`). */
  readonly cdkCli: string;
  /** `cdk-assets`, the CLI the asset-publishing steps run. */
  readonly cdkAssets: string;
  /** `cfn-lint`, AWS's CloudFormation linter (a Python package), run on every template. */
  readonly cfnLint: string;
}

/** Reads the pins from the project's package.json (`devDependencies`, `config.cfnLint`). */
export function toolVersions(root = path.join(__dirname, '..')): ToolVersions {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    devDependencies?: Record<string, string>;
    config?: { cfnLint?: string };
  };
  const pin = (name: string): string => {
    const version = pkg.devDependencies?.[name];
    if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
      throw new Error(
        `package.json: devDependencies["${name}"] is ${JSON.stringify(version)}, not an exact version. Fix: pin it, e.g. npm install --save-dev --save-exact ${name}@<version>`,
      );
    }
    return version;
  };
  const cfnLint = pkg.config?.cfnLint;
  if (!cfnLint || !/^\d+\.\d+\.\d+$/.test(cfnLint)) {
    throw new Error(
      `package.json: config.cfnLint is ${JSON.stringify(cfnLint)}, not an exact version. Fix: set it to the cfn-lint version to pin, e.g. "1.51.0"`,
    );
  }
  return { cdkCli: pin('aws-cdk'), cdkAssets: pin('cdk-assets'), cfnLint };
}
