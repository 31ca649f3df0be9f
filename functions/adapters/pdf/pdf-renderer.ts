import type { HTTPRequest } from 'puppeteer-core';
import type { BulletinModel } from '../../core/bulletin/bulletin-model.ts';
import { DubanError } from '../../core/errors.ts';
import { type BrowserSession, type BrowserSessionOptions, createBrowserSession } from './browser-session.ts';
import { type BulletinView, buildBulletinView } from './bulletin-view.ts';
import type { FontWeight } from './font-catalog.ts';
import { type BulletinHtml, createHtmlRenderer } from './html-renderer.ts';
import { withMetadata } from './pdf-metadata.ts';
import { assertGlyphsCovered, assertOnlyBundledFonts } from './tofu-check.ts';

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  readonly pages: number;
}

export interface PdfRenderer {
  renderBulletin(model: BulletinModel): Promise<RenderedPdf>;
  /** The department's own slice: only the indicators it leads. */
  renderDepartment(model: BulletinModel, deptId: string): Promise<RenderedPdf>;
  close(): Promise<void>;
}

export interface PdfRendererOptions extends BrowserSessionOptions {
  readonly templatesDir?: string;
  /** Deadline for loading the page and for printing it, each. */
  readonly timeoutMs?: number;
  /** Share a browser with other renderers (the benchmark's floor uses the same one). */
  readonly session?: BrowserSession;
}

/** The page asked for something other than the bundled fonts: a template reaches outside. */
export class ExternalRequestError extends DubanError {
  override readonly name: string = 'ExternalRequestError';
  constructor(
    readonly urls: readonly string[],
    readonly document: string,
  ) {
    super(`${document}: the page requested resources outside the bundle (blocked): ${urls.join(', ')}`);
  }
}

/** A bundled font slice failed to load, so some text would fall back to another font. */
export class FontLoadError extends DubanError {
  override readonly name: string = 'FontLoadError';
}

export const PAGE_MARGIN = { top: '20mm', bottom: '16mm', left: '15mm', right: '15mm' } as const;

interface PageText {
  regular: string;
  bold: string;
  failedFonts: string[];
}

// A string, not a function: the page must not depend on how the TS loader rewrites closures.
const COLLECT_TEXT = `(async () => {
  await document.fonts.ready;
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
  const failedFonts = [...document.fonts].filter((f) => f.status === 'error').map((f) => f.family + ' ' + f.weight + ' ' + f.unicodeRange.slice(0, 24));
  return { ...out, failedFonts };
})()`;

/** The page carries everything it needs inline; any request is a template reaching outside. */
function refuseRequest(req: HTTPRequest, blocked: string[]): void {
  if (req.url().startsWith('data:')) {
    void req.continue();
  } else {
    blocked.push(req.url());
    void req.abort('blockedbyclient');
  }
}

export interface PrintOptions {
  /** Prove every character has a glyph before printing and only Noto is embedded after. */
  readonly verifyGlyphs: boolean;
  readonly timeoutMs: number;
  readonly documentName: string;
}

/** Load finished HTML into a fresh page of the shared browser and print it to PDF. */
export async function printHtml(
  session: BrowserSession,
  doc: BulletinHtml,
  options: PrintOptions,
): Promise<Uint8Array> {
  const browser = await session.browser();
  const page = await browser.newPage();
  try {
    const blocked: string[] = [];
    await page.setRequestInterception(true);
    page.on('request', (req) => refuseRequest(req, blocked));
    await page.setContent(doc.html, { waitUntil: 'load', timeout: options.timeoutMs });
    const text = (await page.evaluate(COLLECT_TEXT)) as PageText;
    if (blocked.length > 0) throw new ExternalRequestError(blocked, options.documentName);
    if (text.failedFonts.length > 0) {
      throw new FontLoadError(
        `${options.documentName}: font slices failed to load: ${text.failedFonts.join('; ')}`,
      );
    }
    if (options.verifyGlyphs) {
      const byWeight = new Map<FontWeight, string>([
        [400, `${text.regular} ${doc.headerFooterText}`],
        [700, text.bold],
      ]);
      assertGlyphsCovered(byWeight, options.documentName, doc.fontFiles);
    }
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: doc.headerTemplate,
      footerTemplate: doc.footerTemplate,
      margin: PAGE_MARGIN,
      timeout: options.timeoutMs,
    });
    if (options.verifyGlyphs) assertOnlyBundledFonts(pdf, options.documentName);
    return pdf;
  } finally {
    await page.close();
  }
}

export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  const ownsSession = options.session === undefined;
  const session = options.session ?? createBrowserSession(options);
  const html = createHtmlRenderer(options.templatesDir);
  const timeoutMs = options.timeoutMs ?? 60_000;

  const render = async (view: BulletinView): Promise<RenderedPdf> => {
    const m = view.model;
    const documentName = `bulletin ${m.period} v${m.version}${view.scope ? ` (${view.scope.id})` : ''}`;
    const doc = html.render(view);
    const pdf = await printHtml(session, doc, { verifyGlyphs: true, timeoutMs, documentName });
    return withMetadata(pdf, {
      title: view.documentTitle,
      subject: `${m.periodLabel}目标任务进度通报 ${view.versionLabel}`,
      keywords: [m.period, `v${m.version}`, m.district, ...(view.scope ? [view.scope.shortName] : [])],
      author: m.district,
      creator: m.generatorVersion,
      custom: {
        Period: m.period,
        Version: String(m.version),
        ...(view.scope ? { Department: view.scope.id } : {}),
        CatalogVersion: String(m.inputs.catalogVersion),
        InputsHash: m.inputs.inputsHash,
      },
      date: new Date(m.generatedAt),
    });
  };

  return {
    renderBulletin: (model) => render(buildBulletinView(model)),
    renderDepartment: (model, deptId) => render(buildBulletinView(model, deptId)),
    async close() {
      if (ownsSession) await session.close();
    },
  };
}
