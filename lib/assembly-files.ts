import * as fs from 'fs';
import * as path from 'path';

/**
 * The files of a cloud assembly that its manifests list, and the clean-up that keeps an output
 * folder to them. The CDK writes into a long-lived folder (`cdk.out`) and never removes what an
 * earlier synth left there: the nested assembly of a stage that is gone, the template of a
 * removed service, the asset of old code. Tools that read the folder would read those too.
 */

interface Manifest {
  readonly artifacts?: Record<
    string,
    {
      readonly type: string;
      readonly properties?: {
        readonly templateFile?: string;
        readonly directoryName?: string;
        readonly file?: string;
      };
    }
  >;
}

interface AssetManifest {
  readonly files?: Record<string, { readonly source: { readonly path?: string } }>;
  readonly dockerImages?: Record<string, { readonly source: { readonly directory?: string } }>;
}

/** One assembly folder as its manifest describes it. */
interface ListedAssembly {
  /** Absolute path of the folder. */
  readonly dir: string;
  /** Its stack templates, absolute. */
  readonly templates: string[];
  /** Files its manifest names: templates, asset manifests, metadata files. */
  readonly files: Set<string>;
  /** Nested assemblies, absolute. */
  readonly nested: string[];
  /** Asset sources its asset manifests name, absolute. */
  readonly assets: Set<string>;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/** Every assembly reachable from the manifest in `dir`, this one first. */
function listed(dir: string): ListedAssembly[] {
  const manifest = readJson<Manifest>(path.join(dir, 'manifest.json'));
  if (!manifest) return [];
  const assembly: ListedAssembly = {
    dir,
    templates: [],
    files: new Set([path.join(dir, 'manifest.json')]),
    nested: [],
    assets: new Set(),
  };
  for (const [id, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && props.templateFile) {
      const template = path.join(dir, props.templateFile);
      assembly.templates.push(template);
      assembly.files.add(template);
      // The CLI's metadata of the stack, beside its template.
      assembly.files.add(path.join(dir, `${id}.metadata.json`));
    } else if (artifact.type === 'cdk:cloud-assembly' && props.directoryName) {
      assembly.nested.push(path.join(dir, props.directoryName));
    } else if (artifact.type === 'cdk:asset-manifest' && props.file) {
      const file = path.join(dir, props.file);
      assembly.files.add(file);
      const assets = readJson<AssetManifest>(file);
      for (const { source } of Object.values(assets?.files ?? {})) {
        if (source.path) assembly.assets.add(path.join(dir, source.path));
      }
      for (const { source } of Object.values(assets?.dockerImages ?? {})) {
        if (source.directory) assembly.assets.add(path.join(dir, source.directory));
      }
    }
  }
  return [assembly, ...assembly.nested.flatMap(listed)];
}

/**
 * The templates of the assembly in `dir` and of every assembly nested in it, as their manifests
 * list them (absolute, sorted): exactly the stacks of the last synth, whatever else lies there.
 */
export function assemblyTemplates(dir: string): string[] {
  return listed(path.resolve(dir))
    .flatMap((a) => a.templates)
    .sort();
}

/** Names of the files the CDK writes into an assembly folder per stack or asset manifest. */
const STACK_FILE = /\.(template|assets|metadata)\.json$/;

/**
 * Removes from the assembly in `dir` what its manifests no longer list: nested assembly folders
 * (`assembly-*`) of stages that are gone, template, asset-manifest and metadata files of stacks
 * that are gone, and staged assets (`asset.*`) no asset manifest names. Anything else in the
 * folder (the app's own files, the CLI's) is left alone. Returns what it removed, relative to
 * `dir`.
 */
export function pruneAssembly(dir: string): string[] {
  const root = path.resolve(dir);
  const assemblies = listed(root);
  if (assemblies.length === 0) return [];
  const removed: string[] = [];
  const remove = (full: string) => {
    fs.rmSync(full, { recursive: true, force: true });
    removed.push(path.relative(root, full).split(path.sep).join('/'));
  };
  const nested = new Set(assemblies.slice(1).map((a) => a.dir));
  const assets = new Set(assemblies.flatMap((a) => [...a.assets]));
  for (const entry of fs.readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory() && entry.name.startsWith('assembly-') && !nested.has(full)) {
      remove(full);
    } else if (entry.name.startsWith('asset.') && !assets.has(full)) {
      remove(full);
    }
  }
  for (const assembly of assemblies) {
    for (const entry of fs.readdirSync(assembly.dir, { withFileTypes: true })) {
      const full = path.join(assembly.dir, entry.name);
      if (entry.isFile() && STACK_FILE.test(entry.name) && !assembly.files.has(full)) {
        remove(full);
      }
    }
  }
  return removed.sort();
}
