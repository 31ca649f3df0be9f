import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Eta } from 'eta';
import { templatesRoot } from '../templates-dir.ts';
import type { BulletinView } from './bulletin-view.ts';
import { FONT_WEIGHTS, type InlineFace, inlineFontFaceCss } from './font-catalog.ts';

/** The running header and footer, printed as CSS page-margin boxes (templates/bulletin/running.eta). */
export interface RunningText {
  readonly headerLeft: string;
  readonly headerRight: string;
  readonly footerLeft: string;
  /** The page-number line is `pageBefore` N `pageBetween` M `pageAfter`. */
  readonly pageBefore: string;
  readonly pageBetween: string;
  readonly pageAfter: string;
  /** All of the above plus the digits page numbers print, for font loading and the glyph check. */
  readonly text: string;
}

/** The bulletin as Chromium gets it. */
export interface BulletinHtml {
  readonly title: string;
  readonly lang: string;
  /** The complete document with its fonts inline: what a fresh page loads. */
  readonly html: string;
  /** The same document in parts, for a warm page that keeps its fonts between documents. */
  readonly parts: {
    /** Print CSS and this document's running header/footer rules. */
    readonly css: string;
    readonly body: string;
    readonly fontFaces: readonly InlineFace[];
  };
  /** The visible text of header and footer (page numbers are digits), for the glyph check. */
  readonly headerFooterText: string;
  /** Font slice files the document carries. */
  readonly fontFiles: ReadonlySet<string>;
}

/** templates/bulletin/, wherever templates/ is (the Lambda bundle names it in DUBAN_TEMPLATES_DIR). */
export const DEFAULT_TEMPLATES_DIR = join(templatesRoot(), 'bulletin');

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

/**
 * A CSS string literal that is safe inside a <style> element: quotes, backslashes, angle
 * brackets, ampersands and control characters become hex escapes, so no model text can end
 * the string or the element.
 */
export function cssString(text: string): string {
  const escaped = text.replace(/[\\"'<>&\p{Cc}]/gu, (ch) => `\\${(ch.codePointAt(0) ?? 0).toString(16)} `);
  return `"${escaped}"`;
}

export function runningText(view: BulletinView): RunningText {
  const parts = {
    headerLeft: view.headerText,
    headerRight: view.model.periodLabel,
    footerLeft: view.footerText,
    pageBefore: '第 ',
    pageBetween: ' 页 / 共 ',
    pageAfter: ' 页',
  };
  return { ...parts, text: `${Object.values(parts).join(' ')} 0123456789` };
}

export interface HtmlRenderer {
  render(view: BulletinView): BulletinHtml;
}

export function createHtmlRenderer(templatesDir: string = DEFAULT_TEMPLATES_DIR): HtmlRenderer {
  const eta = new Eta({ views: templatesDir, autoEscape: true, cache: true, autoTrim: [false, 'nl'] });
  const printCss = readFileSync(join(templatesDir, 'print.css'), 'utf8');
  return {
    render(view) {
      const running = runningText(view);
      const body = eta.render('./body', { ...view, running });
      const css = `${printCss}\n${eta.render('./running', { running, css: cssString })}`;
      // Every character gets both weights: which text ends up bold is decided by CSS. The
      // running text is in the body too (preloaded), so its faces are among these.
      const fonts = inlineFontFaceCss(htmlText(body), FONT_WEIGHTS);
      const lang = 'zh-CN';
      const html = eta.render('./bulletin', {
        lang,
        title: view.documentTitle,
        fontCss: fonts.css,
        docCss: css,
        bodyHtml: body,
      });
      return {
        title: view.documentTitle,
        lang,
        html,
        parts: { css, body, fontFaces: fonts.faces },
        headerFooterText: running.text,
        fontFiles: new Set(fonts.files),
      };
    },
  };
}
