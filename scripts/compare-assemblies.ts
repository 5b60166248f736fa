/**
 * `ts-node scripts/compare-assemblies.ts <cdk.out> <other cdk.out>`: checks that two cloud
 * assemblies of the same commit, synthesized at different paths, hold the same assets and the
 * same Lambda versions. If they differ, every push would publish (and canary) new versions of
 * functions that did not change. CI runs it on the clone and on an export of it.
 */
import * as fs from 'fs';
import * as path from 'path';

/** Asset hashes and Lambda version logical ids of an assembly, nested assemblies included. */
export function fingerprint(dir: string): { assets: string[]; versions: string[] } {
  const assets = new Set<string>();
  const versions = new Set<string>();
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (entry.name.endsWith('.assets.json')) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        files?: Record<string, { source: { packaging?: string } }>;
      };
      for (const [hash, asset] of Object.entries(manifest.files ?? {})) {
        // Templates embed the assembly's own names; the code assets are what must not move.
        if (asset.source.packaging === 'zip') assets.add(hash);
      }
    } else if (entry.name.endsWith('.template.json')) {
      const template = JSON.parse(fs.readFileSync(file, 'utf8')) as {
        Resources?: Record<string, { Type: string }>;
      };
      for (const [id, resource] of Object.entries(template.Resources ?? {})) {
        if (resource.Type === 'AWS::Lambda::Version') versions.add(`${entry.name}/${id}`);
      }
    }
  }
  return { assets: [...assets].sort(), versions: [...versions].sort() };
}

if (require.main === module) {
  const [a, b] = process.argv.slice(2);
  if (!a || !b) {
    console.error('usage: compare-assemblies.ts <cdk.out> <other cdk.out>');
    process.exit(2);
  }
  const [left, right] = [fingerprint(a), fingerprint(b)];
  const only = (x: string[], y: string[]) => x.filter((v) => !y.includes(v));
  const differences = [
    ...only(left.assets, right.assets).map((h) => `asset ${h} only in ${a}`),
    ...only(right.assets, left.assets).map((h) => `asset ${h} only in ${b}`),
    ...only(left.versions, right.versions).map((v) => `version ${v} only in ${a}`),
    ...only(right.versions, left.versions).map((v) => `version ${v} only in ${b}`),
  ];
  if (left.assets.length === 0 || differences.length > 0) {
    console.error(['✖ the two assemblies differ:', ...differences.map((d) => `  ${d}`)].join('\n'));
    process.exit(1);
  }
  console.error(
    `✔ same ${left.assets.length} code assets and ${left.versions.length} Lambda versions in both assemblies`,
  );
}
