import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fontSlices, sliceBytes } from '../../adapters/pdf/font-catalog.ts';

/**
 * Every asset the pages load, served by the app itself (no CDN): the stylesheet, the one
 * script (upload progress, drag-and-drop, receipt polling) and the bundled Noto Sans SC as a
 * fallback face for machines without a Chinese font. URLs carry a content hash, so browsers
 * may keep them for a year.
 */

/** Family name of the bundled face, distinct from any installed "Noto Sans SC". */
export const WEB_FONT_FAMILY = 'Duban Sans SC';

export interface Asset {
  readonly body: Uint8Array | string;
  readonly contentType: string;
}

export interface PortalAssets {
  /** `/assets/portal.css?v=<hash>` for a named asset. */
  url(name: 'portal.css' | 'portal.js' | 'fonts.css'): string;
  get(name: string): Asset | undefined;
}

const FONT_FILE = /^fonts\/(noto-sans-sc-[a-z0-9-]+\.woff2)$/;

function fontFacesCss(): string {
  return fontSlices()
    .map(
      (s) =>
        `@font-face{font-family:'${WEB_FONT_FAMILY}';font-style:normal;font-weight:${s.weight};font-display:swap;src:url(/assets/fonts/${s.file}) format('woff2');unicode-range:${s.unicodeRange};}`,
    )
    .join('\n');
}

export function loadAssets(portalTemplatesDir: string): PortalAssets {
  const files: Record<string, Asset> = {
    'portal.css': {
      body: readFileSync(join(portalTemplatesDir, 'assets', 'portal.css'), 'utf8'),
      contentType: 'text/css; charset=utf-8',
    },
    'portal.js': {
      body: readFileSync(join(portalTemplatesDir, 'assets', 'portal.js'), 'utf8'),
      contentType: 'text/javascript; charset=utf-8',
    },
    'fonts.css': { body: fontFacesCss(), contentType: 'text/css; charset=utf-8' },
  };
  const versions = new Map(
    Object.entries(files).map(([name, a]) => [
      name,
      createHash('sha256').update(a.body).digest('hex').slice(0, 10),
    ]),
  );
  return {
    url: (name) => `/assets/${name}?v=${versions.get(name) ?? ''}`,
    get(name) {
      const own = files[name];
      if (own) return own;
      const font = FONT_FILE.exec(name)?.[1];
      if (!font || !fontSlices().some((s) => s.file === font)) return undefined;
      return { body: sliceBytes(font), contentType: 'font/woff2' };
    },
  };
}
