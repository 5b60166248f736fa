import * as fs from 'fs';
import * as path from 'path';
import ignore from 'ignore';

/** Never copied, whatever .gitignore says: version control data and the installed packages. */
const ALWAYS_SKIPPED = ['.git', 'node_modules'];

/**
 * Copies a project's source files into `dest` and links its node_modules, so a throw-away copy
 * can be changed and synthesized. What the project's .gitignore ignores (build output such as
 * cdk.out, compiled files, caches) is left out. It reads the files themselves, not version
 * control: it works the same in a clone and in the source zip CodePipeline hands to CodeBuild,
 * which has no `.git`. With `linkNodeModules: false` the copy has no node_modules, as a fresh
 * clone has none.
 */
export function copyProject(
  root: string,
  dest: string,
  { linkNodeModules = true }: { linkNodeModules?: boolean } = {},
): string {
  const gitignore = path.join(root, '.gitignore');
  const ignored = ignore().add(fs.existsSync(gitignore) ? fs.readFileSync(gitignore, 'utf8') : '');
  const walk = (relative: string): void => {
    for (const entry of fs.readdirSync(path.join(root, relative), { withFileTypes: true })) {
      const file = relative ? `${relative}/${entry.name}` : entry.name;
      if (ALWAYS_SKIPPED.includes(entry.name)) continue;
      if (ignored.ignores(entry.isDirectory() ? `${file}/` : file)) continue;
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) {
        fs.mkdirSync(path.join(dest, relative), { recursive: true });
        fs.copyFileSync(path.join(root, file), path.join(dest, file));
      }
    }
  };
  walk('');
  if (linkNodeModules) {
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(dest, 'node_modules'), 'dir');
  }
  return dest;
}
