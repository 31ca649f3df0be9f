import type { Page } from 'puppeteer-core';
import type { BulletinModel } from '../../core/bulletin/bulletin-model.ts';
import { DubanError } from '../../core/errors.ts';
import type { PdfRenderer, RenderedPdf } from '../../use-cases/ports/bulletin.ts';
import { type BrowserSession, type BrowserSessionOptions, createBrowserSession } from './browser-session.ts';
import { buildBulletinView } from './bulletin-view.ts';
import { ChartRenderer } from './chart-svg.ts';
import type { FontWeight } from './font-catalog.ts';
import { type BulletinHtml, createHtmlRenderer } from './html-renderer.ts';
import { COLLECT_TEXT, type PageText, refuseRequest } from './page-script.ts';
import { withMetadata } from './pdf-metadata.ts';
import { assertGlyphsCovered, assertOnlyBundledFonts } from './tofu-check.ts';
import { WarmPagePool } from './warm-page.ts';

export interface PdfRendererOptions extends BrowserSessionOptions {
  readonly templatesDir?: string;
  /** Deadline for loading the page and for printing it, each. */
  readonly timeoutMs?: number;
  /** Share a browser with other renderers (the benchmark's floor uses the same one). */
  readonly session?: BrowserSession;
  /**
   * Warm pages for callers that render several documents at once (default 1). Each extra page
   * loads its own fonts; on the 2-core machines here two pages printing department slices
   * side by side measured no faster than one page printing them in turn.
   */
  readonly concurrency?: number;
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

export interface PrintOptions {
  /** Prove every character has a glyph before printing and only Noto is embedded after. */
  readonly verifyGlyphs: boolean;
  readonly timeoutMs: number;
  readonly documentName: string;
}

/** What the page requested and laid out, checked before anything is printed. */
function checkLoaded(
  doc: BulletinHtml,
  loaded: { text: PageText; blocked: readonly string[] },
  options: PrintOptions,
): void {
  const { text, blocked } = loaded;
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
}

async function printPage(page: Page, options: PrintOptions): Promise<Uint8Array> {
  // Header and footer are CSS page-margin boxes of the document itself (running.eta).
  const pdf = await page.pdf({
    format: 'A4',
    printBackground: true,
    margin: PAGE_MARGIN,
    timeout: options.timeoutMs,
  });
  if (options.verifyGlyphs) assertOnlyBundledFonts(pdf, options.documentName);
  return pdf;
}

/**
 * Load finished HTML into a fresh page of the shared browser and print it to PDF: the whole
 * document, fonts included, parsed and decoded from scratch (the benchmark's floor).
 */
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
    checkLoaded(doc, { text, blocked }, options);
    return await printPage(page, options);
  } finally {
    await page.close();
  }
}

export function createPdfRenderer(options: PdfRendererOptions = {}): PdfRenderer {
  const ownsSession = options.session === undefined;
  const session = options.session ?? createBrowserSession(options);
  const html = createHtmlRenderer(options.templatesDir);
  const charts = new ChartRenderer();
  const timeoutMs = options.timeoutMs ?? 60_000;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const pages = new WarmPagePool(session, concurrency, timeoutMs);

  const render = async (model: BulletinModel, deptId?: string): Promise<RenderedPdf> => {
    pages.warmUp();
    const view = buildBulletinView(model, deptId, charts);
    const m = view.model;
    const documentName = `bulletin ${m.period} v${m.version}${view.scope ? ` (${view.scope.id})` : ''}`;
    const doc = html.render(view);
    const print = { verifyGlyphs: true, timeoutMs, documentName };
    const pdf = await pages.use(async (page) => {
      checkLoaded(doc, await page.load(doc, timeoutMs), print);
      return printPage(page.page, print);
    });
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
    renderBulletin: (model) => render(model),
    renderDepartment: (model, deptId) => render(model, deptId),
    async close() {
      await pages.close();
      if (ownsSession) await session.close();
    },
  };
}
