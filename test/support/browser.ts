import { mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import chromium from '@sparticuz/chromium';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { OFFLINE_FLAGS } from '../../functions/adapters/pdf/browser-session.ts';

/** Headless Chromium (@sparticuz/chromium) for browser tests: no network but the loopback. */
export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: await chromium.executablePath(),
    // The loopback stays reachable (the portal under test); every other host resolves to nothing.
    args: [
      ...chromium.args,
      ...OFFLINE_FLAGS.filter((f) => !f.startsWith('--host-resolver-rules')),
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
    ],
    headless: true,
    timeout: 120_000,
    protocolTimeout: 120_000,
  });
}

/** Lets the page save downloads into `dir`. */
export async function allowDownloads(page: Page, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const cdp = await page.createCDPSession();
  await cdp.send('Browser.setDownloadBehavior', {
    behavior: 'allow',
    downloadPath: dir,
    eventsEnabled: true,
  });
}

/** Waits for a finished download whose name matches, and returns its bytes. */
export async function awaitDownload(
  dir: string,
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<{ name: string; bytes: Buffer }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(dir);
    const name = names.find((n) => pattern.test(n) && !n.endsWith('.crdownload'));
    if (name) return { name, bytes: await readFile(path.join(dir, name)) };
    if (Date.now() > deadline)
      throw new Error(`no download matching ${pattern} in ${dir} (have: ${names.join(', ')})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
