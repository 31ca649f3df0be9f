import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import type { BulletinView } from './bulletin-view.ts';
import { FONT_FAMILY, FONT_WEIGHTS, inlineFontFaceCss } from './font-catalog.ts';

/** Header/footer faces under their own family, so they never mix with the page's slices. */
const HEADER_FONT_FAMILY = `${FONT_FAMILY} HF`;

/** The bulletin as Chromium gets it: the page plus its running header and footer. */
export interface BulletinHtml {
  readonly title: string;
  readonly html: string;
  readonly headerTemplate: string;
  readonly footerTemplate: string;
  /** The visible text of header and footer (page numbers are digits), for the glyph check. */
  readonly headerFooterText: string;
  /** Font slice files the page and its header/footer carry. */
  readonly fontFiles: ReadonlySet<string>;
}

export const DEFAULT_TEMPLATES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'templates',
  'bulletin',
);

/** Font CSS goes in last: which slices a page needs depends on the text it ends up with. */
const FONT_SLOT = '/*duban:fonts*/';

/** Text of HTML we rendered ourselves: eta escapes only & < > " ', so this decodes enough. */
function htmlText(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

export interface HtmlRenderer {
  render(view: BulletinView): BulletinHtml;
}

export function createHtmlRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): HtmlRenderer {
  const eta = new Eta({ views: templatesDir, autoEscape: true, cache: true, autoTrim: [false, 'nl'] });
  const printCss = readFileSync(join(templatesDir, 'print.css'), 'utf8');
  return {
    render(view) {
      // Header and footer are rendered once without fonts to learn their text, then with the
      // inline slices that text needs (they cannot load anything themselves). Chromium draws
      // them without waiting for fonts, so the page loads the very same faces first: the
      // decoded font is then already in memory when the header is printed.
      const bare = {
        header: eta.render('./header', { ...view, fontCss: '' }),
        footer: eta.render('./footer', { ...view, fontCss: '' }),
      };
      const headerFooterText = `${htmlText(bare.header)} ${htmlText(bare.footer)} 0123456789`;
      const hf = inlineFontFaceCss(headerFooterText, [400], HEADER_FONT_FAMILY);
      const fonts = {
        fontCss: FONT_SLOT,
        hfFontCss: hf.css,
        headerFooterText,
        headerFontFamily: HEADER_FONT_FAMILY,
      };
      const draft = eta.render('./bulletin', { ...view, ...fonts, printCss });
      // Every character gets both weights: which text ends up bold is decided by CSS.
      const page = inlineFontFaceCss(htmlText(draft), FONT_WEIGHTS);
      return {
        title: view.documentTitle,
        html: draft.replace(FONT_SLOT, () => page.css),
        headerTemplate: eta.render('./header', { ...view, ...fonts, fontCss: hf.css }),
        footerTemplate: eta.render('./footer', { ...view, ...fonts, fontCss: hf.css }),
        headerFooterText,
        fontFiles: new Set([...page.files, ...hf.files]),
      };
    },
  };
}
