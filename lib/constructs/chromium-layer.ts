import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { AssetHashType } from 'aws-cdk-lib';
import { Architecture, Code, LayerVersion } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FUNCTION_RUNTIME } from './duban-function.ts';

/**
 * The packages the bulletin function needs as real files rather than bundled code:
 * @sparticuz/chromium finds its compressed browser (bin/*.br) relative to its own module
 * file, and the CJK font is read from disk by file URL. Everything else (puppeteer-core
 * included) is bundled by esbuild into the function.
 */
export const LAYER_PACKAGES = ['@sparticuz/chromium', '@fontsource/noto-sans-sc'] as const;

// Only the woff2 files and the CSS that points at them: the .woff copies and the SCSS
// sources would add 40 MB that the renderer never reads.
const FONT_FILE_FILTER = (src: string, root: string): boolean => {
  const rel = relative(root, src);
  if (rel === '') return true;
  if (rel === 'files') return true;
  if (rel.startsWith(`files${sep}`)) return rel.endsWith('.woff2');
  if (rel.includes(sep)) return false;
  return /\.(css|json)$/.test(rel) || rel === 'LICENSE';
};

/** Bump when the selection rules above change, so the cached content is rebuilt. */
const LAYER_RECIPE = 'chromium-layer-v1';

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

function readPackage(dir: string): PackageJson {
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** Node's lookup: node_modules of the requiring package, then of each parent directory. */
function resolvePackageDir(name: string, fromDir: string, projectRoot: string): string | undefined {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === projectRoot || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

/** Package directories to copy: the roots and the hoisted part of their dependency closure. */
export function layerPackageDirs(projectRoot: string, roots: readonly string[] = LAYER_PACKAGES): string[] {
  const rootModules = join(projectRoot, 'node_modules');
  const seen = new Set<string>();
  const toCopy: string[] = [];
  const visit = (dir: string) => {
    if (seen.has(dir)) return;
    seen.add(dir);
    // Packages nested under another package's node_modules are copied along with it.
    if (dirname(dir) === rootModules || dirname(dirname(dir)) === rootModules) toCopy.push(dir);
    const pkg = readPackage(dir);
    const deps = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})];
    for (const dep of deps) {
      const depDir = resolvePackageDir(dep, dir, projectRoot);
      if (depDir) visit(depDir);
      else if (!(dep in (pkg.optionalDependencies ?? {}))) {
        throw new Error(`${pkg.name} needs ${dep}, which is not installed; run npm ci first`);
      }
    }
  };
  for (const name of roots) {
    const dir = resolvePackageDir(name, projectRoot, projectRoot);
    if (!dir) throw new Error(`${name} is not installed; run npm ci first`);
    visit(dir);
  }
  return toCopy.sort();
}

export interface LayerContent {
  /** Directory holding nodejs/node_modules/…, ready to zip. */
  readonly dir: string;
  /** Changes only when a copied package's version or the selection rules change. */
  readonly hash: string;
}

/**
 * Builds the layer directory from the project's installed node_modules (no network, no
 * Docker) into node_modules/.cache, once per distinct set of package versions.
 */
export function prepareLayerContent(projectRoot: string): LayerContent {
  const dirs = layerPackageDirs(projectRoot);
  const fingerprint = dirs.map((d) => {
    const pkg = readPackage(d);
    return `${pkg.name}@${pkg.version}`;
  });
  const hash = createHash('sha256')
    .update(JSON.stringify([LAYER_RECIPE, fingerprint]))
    .digest('hex');
  const cacheRoot = join(projectRoot, 'node_modules', '.cache', 'duban-layers');
  const dir = join(cacheRoot, hash.slice(0, 16));
  if (existsSync(dir)) return { dir, hash };

  const staging = `${dir}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const target = join(staging, 'nodejs', 'node_modules');
  for (const src of dirs) {
    const name = relative(join(projectRoot, 'node_modules'), src);
    const dest = join(target, name);
    mkdirSync(dirname(dest), { recursive: true });
    const isFont = basename(dirname(src)) === '@fontsource';
    cpSync(src, dest, {
      recursive: true,
      dereference: true,
      filter: isFont ? (s) => FONT_FILE_FILTER(s, src) : undefined,
    });
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another synth (a parallel test file) finished first: its copy is identical.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
  return { dir, hash };
}

export interface ChromiumLayerProps {
  readonly projectRoot: string;
}

/**
 * A layer rather than `nodeModules` bundling: `nodeModules` runs `npm install` inside
 * every synth (network, ~70 MB download, minutes on two cores, and CI must reach the
 * registry), while this layer is copied from the already-installed packages, keeps the
 * same asset hash until a version changes (so a handler change uploads a small zip, not
 * 100 MB) and leaves the function bundle small enough to read in the console.
 */
export class ChromiumLayer extends Construct {
  readonly layer: LayerVersion;
  readonly content: LayerContent;

  constructor(scope: Construct, id: string, props: ChromiumLayerProps) {
    super(scope, id);
    this.content = prepareLayerContent(props.projectRoot);
    this.layer = new LayerVersion(this, 'Layer', {
      code: Code.fromAsset(this.content.dir, {
        assetHash: this.content.hash,
        assetHashType: AssetHashType.CUSTOM,
      }),
      compatibleRuntimes: [FUNCTION_RUNTIME],
      compatibleArchitectures: [Architecture.X86_64],
      description: `@sparticuz/chromium and Noto Sans SC (woff2) for the bulletin PDF`,
    });
  }
}
