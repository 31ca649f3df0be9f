import type { HTTPRequest } from 'puppeteer-core';

/** The text Chromium laid out, by weight, and any font face that failed to load. */
export interface PageText {
  readonly regular: string;
  readonly bold: string;
  readonly failedFonts: readonly string[];
}

/**
 * Page-side code is kept as strings, not functions: the page must not depend on how the TS
 * loader rewrites closures. This part waits until the document is final for printing: layout
 * (which starts loading the font faces the text needs), every font load and every image
 * settled; then it reads the text as laid out, split by weight, for the glyph check.
 */
const SETTLE_AND_COLLECT = `
  document.body.getBoundingClientRect();
  while (document.fonts.status === 'loading') await document.fonts.ready;
  await Promise.all([...document.images].map((img) => img.complete ? null : new Promise((done) => {
    img.addEventListener('load', done);
    img.addEventListener('error', done);
  })));
  const out = { regular: '', bold: '' };
  const weightOf = new Map();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el.closest('style,script')) continue;
    let bold = weightOf.get(el);
    if (bold === undefined) {
      bold = Number.parseInt(getComputedStyle(el).fontWeight, 10) >= 600;
      weightOf.set(el, bold);
    }
    if (bold) out.bold += n.data; else out.regular += n.data;
  }
  const failedFonts = [...document.fonts].filter((f) => f.status === 'error')
    .map((f) => f.family + ' ' + f.weight + ' ' + f.unicodeRange.slice(0, 24));
  return { ...out, failedFonts };
`;

/** For a page whose content was set as a whole document. */
export const COLLECT_TEXT = `(async () => {${SETTLE_AND_COLLECT}})()`;

/** The empty document a warm page starts from; `doc-css` holds the current document's styles. */
export const WARM_SHELL =
  '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title></title>' +
  '<style id="doc-css"></style></head><body></body></html>';

export interface SwapPayload {
  readonly title: string;
  readonly lang: string;
  readonly css: string;
  readonly body: string;
  /** Only the faces the page does not hold yet; installed faces stay loaded and decoded. */
  readonly newFaces: readonly {
    readonly family: string;
    readonly weight: number;
    readonly unicodeRange: string;
    readonly base64: string;
  }[];
}

/**
 * Replace a warm page's document in place (title, styles, body), keeping its loaded fonts.
 * New faces go in through the FontFace API from bytes: measured 3–4× faster than the same
 * faces as data: URLs in @font-face rules, which Chromium fetches one by one. A face that
 * fails to parse ends with status "error" and is reported like any failed load.
 */
export function swapDocumentScript(payload: SwapPayload): string {
  return `(async (p) => {
  const bytesOf = (b64) => Uint8Array.fromBase64 ? Uint8Array.fromBase64(b64)
    : Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  await Promise.allSettled(p.newFaces.map((f) => {
    const face = new FontFace(f.family, bytesOf(f.base64),
      { weight: String(f.weight), style: 'normal', unicodeRange: f.unicodeRange, display: 'block' });
    document.fonts.add(face);
    return face.loaded;
  }));
  document.getElementById('doc-css').textContent = p.css;
  document.title = p.title;
  document.documentElement.lang = p.lang;
  document.body.innerHTML = p.body;
  ${SETTLE_AND_COLLECT}
})(${JSON.stringify(payload)})`;
}

/** The page carries everything it needs inline; any request is a template reaching outside. */
export function refuseRequest(req: HTTPRequest, blocked: string[]): void {
  if (req.url().startsWith('data:')) {
    void req.continue();
  } else {
    blocked.push(req.url());
    void req.abort('blockedbyclient');
  }
}
