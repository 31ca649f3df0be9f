import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerPackageDirs } from '../../lib/constructs/chromium-layer.ts';
import { assetDir as assetDirOf } from './support/lambda-sandbox.ts';
import { type Synthesized, sharedSynth } from './support/synth-app.ts';
import { onlyLogicalId } from './support/template-queries.ts';

/** Lambda's limit on a function plus its layers, unzipped: 250 MB = 262,144,000 bytes. */
const LAMBDA_UNZIPPED_LIMIT = 250 * 1024 * 1024;
/** The ingest bundle must stay small for cold starts on every upload. */
const INGEST_BUNDLE_LIMIT = 1_000_000;
/** The portal carries exceljs (templates, the Excel bulletin's rows) and eta: a few MB, not tens. */
const PORTAL_BUNDLE_LIMIT = 4_000_000;

let synth: Synthesized;
let stateless: Template;

beforeAll(() => {
  synth = sharedSynth();
  stateless = synth.stateless;
});

function directorySize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? directorySize(path) : statSync(path).size;
  }
  return total;
}

/** The staged directory of a function's or layer's code asset in the cloud assembly. */
const assetDir = (logicalId: string) => assetDirOf(synth, logicalId);

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

describe('bundle sizes', () => {
  it('keeps the minified ingest bundle under 1 MB', () => {
    // Act
    const dir = assetDir(onlyLogicalId(stateless, 'AWS::Lambda::Function', 'IngestFunction'));
    const size = statSync(join(dir, 'index.mjs')).size;
    console.log(`ingest index.mjs: ${size} bytes (${mb(size)})`);

    // Assess
    expect(size).toBeLessThan(INGEST_BUNDLE_LIMIT);
  });

  it('keeps the bulletin function and its layer under 250 MB unzipped', () => {
    // Prepare
    const fnDir = assetDir(onlyLogicalId(stateless, 'AWS::Lambda::Function', 'BulletinFunction'));
    const layerDir = assetDir(onlyLogicalId(stateless, 'AWS::Lambda::LayerVersion', 'BulletinChromium'));

    // Act
    const fnSize = directorySize(fnDir);
    const layerSize = directorySize(layerDir);
    console.log(`bulletin function: ${mb(fnSize)}, layer: ${mb(layerSize)}, total ${mb(fnSize + layerSize)}`);

    // Assess
    expect(fnSize + layerSize).toBeLessThan(LAMBDA_UNZIPPED_LIMIT);
  });

  it('puts the Chromium archive, its dependencies and only the woff2 fonts in the layer', () => {
    // Prepare
    const modules = join(
      assetDir(onlyLogicalId(stateless, 'AWS::Lambda::LayerVersion', 'BulletinChromium')),
      'nodejs',
      'node_modules',
    );

    // Act
    const chromiumBin = readdirSync(join(modules, '@sparticuz', 'chromium', 'bin'));
    const fontFiles = readdirSync(join(modules, '@fontsource', 'noto-sans-sc', 'files'));
    // Resolving the closure inside the layer alone throws if a required package is missing.
    const closure = layerPackageDirs(dirname(modules)).map((d) => relative(modules, d));

    // Assess
    expect(chromiumBin).toEqual(expect.arrayContaining(['chromium.br', 'fonts.tar.br']));
    expect(closure).toEqual(expect.arrayContaining(['@sparticuz/chromium', 'tar-fs', 'pump']));
    expect(readdirSync(join(modules, 'tar-fs', 'node_modules'))).toContain('tar-stream');
    expect(fontFiles.length).toBeGreaterThan(100);
    expect(fontFiles.every((f) => f.endsWith('.woff2'))).toBe(true);
  });

  it('ships the bulletin templates next to the bundle and keeps the layer packages out of it', () => {
    // Act
    const dir = assetDir(onlyLogicalId(stateless, 'AWS::Lambda::Function', 'BulletinFunction'));
    const files = readdirSync(dir);

    // Assess
    expect(files).toEqual(expect.arrayContaining(['index.mjs', 'templates']));
    expect(readdirSync(join(dir, 'templates', 'bulletin'))).toEqual(expect.arrayContaining(['bulletin.eta']));
    expect(files).not.toContain('node_modules');
  });

  it('ships the portal views and assets next to the portal bundle, and keeps it to a few MB', () => {
    // Act
    const dir = assetDir(onlyLogicalId(stateless, 'AWS::Lambda::Function', 'PortalFunction'));
    const size = statSync(join(dir, 'index.mjs')).size;
    console.log(`portal index.mjs: ${size} bytes (${mb(size)})`);

    // Assess
    expect(readdirSync(join(dir, 'templates', 'portal'))).toEqual(
      expect.arrayContaining(['layout.eta', 'dept-task.eta', 'assets']),
    );
    expect(readdirSync(join(dir, 'templates', 'portal', 'assets'))).toEqual(
      expect.arrayContaining(['portal.js', 'portal.css']),
    );
    expect(readdirSync(dir)).not.toContain('node_modules');
    expect(size).toBeLessThan(PORTAL_BUNDLE_LIMIT);
  });
});
