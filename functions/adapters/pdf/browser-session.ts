import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser } from 'puppeteer-core';

/**
 * Flags on top of @sparticuz/chromium's own: the renderer must make no network call of its
 * own accord (update checks, metrics, DNS prefetch …). Every host resolves to nothing, so
 * even a request that slipped past interception could not leave the machine.
 */
export const OFFLINE_FLAGS: readonly string[] = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-client-side-phishing-detection',
  '--disable-extensions',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-pings',
  '--dns-prefetch-disable',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

export interface BrowserSessionOptions {
  /** A Chromium binary to use instead of @sparticuz/chromium's. */
  readonly executablePath?: string;
  readonly launchTimeoutMs?: number;
}

/** One headless Chromium for all documents of a run, launched on first use. */
export interface BrowserSession {
  browser(): Promise<Browser>;
  /** True once a launch has been started (for cold/warm accounting). */
  readonly launched: boolean;
  close(): Promise<void>;
}

export function createBrowserSession(options: BrowserSessionOptions = {}): BrowserSession {
  let pending: Promise<Browser> | undefined;
  const launch = async (): Promise<Browser> => {
    const executablePath = options.executablePath ?? (await chromium.executablePath());
    return puppeteer.launch({
      executablePath,
      args: [...chromium.args, ...OFFLINE_FLAGS],
      headless: true,
      timeout: options.launchTimeoutMs ?? 30_000,
    });
  };
  return {
    get launched() {
      return pending !== undefined;
    },
    browser() {
      // Concurrent first callers share one launch; a failed launch may be retried.
      pending ??= launch().catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
      return pending;
    },
    async close() {
      const current = pending;
      pending = undefined;
      if (current !== undefined) await (await current.catch(() => undefined))?.close();
    },
  };
}
