import type { Page } from 'puppeteer-core';
import type { BrowserSession } from './browser-session.ts';
import type { BulletinHtml } from './html-renderer.ts';
import { type PageText, refuseRequest, swapDocumentScript, WARM_SHELL } from './page-script.ts';

/**
 * A page that stays open between documents and keeps the font faces it was given. Loading a
 * bulletin with setContent ships megabytes of base64 fonts and makes Chromium decode them
 * again for every document; a department slice needs the same faces as the bulletin before
 * it, so a warm page gets only the faces it lacks and swaps title, styles and body in place.
 */
export class WarmPage {
  private readonly installed = new Set<string>();
  private readonly blocked: string[] = [];

  private constructor(readonly page: Page) {}

  static async open(session: BrowserSession, timeoutMs: number): Promise<WarmPage> {
    const page = await (await session.browser()).newPage();
    try {
      const warm = new WarmPage(page);
      await page.setRequestInterception(true);
      page.on('request', (req) => refuseRequest(req, warm.blocked));
      await page.setContent(WARM_SHELL, { waitUntil: 'load', timeout: timeoutMs });
      return warm;
    } catch (err) {
      await page.close().catch(() => undefined);
      throw err;
    }
  }

  /** Number of font faces the page holds (for tests). */
  get fontFaces(): number {
    return this.installed.size;
  }

  /** Show the document; returns its laid-out text and the URLs it tried to fetch (blocked). */
  async load(doc: BulletinHtml, timeoutMs: number): Promise<{ text: PageText; blocked: string[] }> {
    this.blocked.length = 0;
    const fresh = doc.parts.fontFaces.filter((f) => !this.installed.has(f.key));
    const script = swapDocumentScript({
      title: doc.title,
      lang: doc.lang,
      css: doc.parts.css,
      body: doc.parts.body,
      newFaces: fresh.map(({ family, weight, unicodeRange, base64 }) => ({
        family,
        weight,
        unicodeRange,
        base64,
      })),
    });
    const text = (await withTimeout(this.page.evaluate(script), timeoutMs, doc.title)) as PageText;
    for (const f of fresh) this.installed.add(f.key);
    return { text, blocked: [...this.blocked] };
  }

  close(): Promise<void> {
    return this.page.close().catch(() => undefined);
  }
}

async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: page did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Up to `size` warm pages of one browser. A page whose document failed in any way is closed,
 * not reused: its state is unknown.
 */
export class WarmPagePool {
  private readonly idle: WarmPage[] = [];
  private readonly waiters: (() => void)[] = [];
  private opened = 0;
  private closed = false;

  constructor(
    private readonly session: BrowserSession,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  async use<T>(work: (page: WarmPage) => Promise<T>): Promise<T> {
    const page = await this.acquire();
    let healthy = false;
    try {
      const out = await work(page);
      healthy = true;
      return out;
    } finally {
      if (healthy && !this.closed) this.idle.push(page);
      else {
        this.opened--;
        await page.close();
      }
      this.waiters.shift()?.();
    }
  }

  /**
   * Open a page ahead of need, if none is idle and the pool has room: a caller about to spend
   * a few hundred ms drawing charts lets Chromium launch and open the page meanwhile. A failure
   * is left for the next `use` to meet (and report) again.
   */
  warmUp(): void {
    if (this.closed || this.idle.length > 0 || this.opened >= this.size) return;
    this.opened++;
    WarmPage.open(this.session, this.timeoutMs).then(
      (page) => {
        if (this.closed) {
          this.opened--;
          void page.close();
        } else this.idle.push(page);
        this.waiters.shift()?.();
      },
      () => {
        this.opened--;
        this.waiters.shift()?.();
      },
    );
  }

  /** Close the idle pages (the browser may be shared and outlive this pool). */
  async close(): Promise<void> {
    this.closed = true;
    const pages = this.idle.splice(0);
    this.opened -= pages.length;
    await Promise.all(pages.map((p) => p.close()));
  }

  private async acquire(): Promise<WarmPage> {
    for (;;) {
      if (this.closed) throw new Error('the PDF renderer is closed');
      const ready = this.idle.pop();
      if (ready !== undefined) return ready;
      if (this.opened < this.size) {
        this.opened++;
        try {
          return await WarmPage.open(this.session, this.timeoutMs);
        } catch (err) {
          this.opened--;
          this.waiters.shift()?.();
          throw err;
        }
      }
      await new Promise<void>((resume) => this.waiters.push(resume));
    }
  }
}
