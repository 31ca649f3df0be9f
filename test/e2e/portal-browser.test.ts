import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillWorkbook } from '../../bin/cli/demo/fill-workbook.ts';
import { composeBulletin } from '../../functions/bulletin/compose-bulletin.ts';
import { handler as ingestHandler } from '../../functions/ingest/handler.ts';
import { issueBulletin } from '../../functions/use-cases/bulletin/issue-bulletin.ts';
import { allowDownloads, awaitDownload, launchBrowser } from '../support/browser.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { openPortal, type PortalFixture, TEST_PASSWORD } from '../support/portal.ts';

/**
 * The portal in a real browser, the way its users meet it: a department downloads its
 * template, uploads it with a mistake (keyboard only), reads the problem by cell and
 * indicator, fixes it and uploads again without JavaScript; a leader sees the month on the
 * board and opens the bulletin PDF; an auditor verifies the archive and exports the audit
 * log; another department cannot open the first one's receipt. Screenshots of every page go
 * to test-output/portal/.
 */

const SHOTS = path.resolve('test-output/portal');
const PERIOD = '2023-06';
const XSS_SCRIPT = '<script>window.__xss = 1</script>';
const XSS_IMG = '<img src=x onerror="window.__xss = 2">';

useLocalAws({ onObjectCreated: ingestHandler });
let portal: PortalFixture;
let server: ServerType;
let base: string;
let browser: Browser;
let work: string;
const cspViolations: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'duban-portal-e2e-'));
  await mkdir(SHOTS, { recursive: true });
  portal = await openPortal();
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: portal.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * A page in the browser's one context (@sparticuz/chromium runs single-process, which cannot
 * open extra contexts); each user's test starts from no cookies.
 */
async function newPage(
  options: { javascript?: boolean; width?: number; height?: number; keepCookies?: boolean } = {},
): Promise<Page> {
  const page = await browser.newPage();
  if (!options.keepCookies) {
    const cdp = await page.createCDPSession();
    await cdp.send('Network.clearBrowserCookies');
    await cdp.detach();
  }
  page.setDefaultTimeout(60_000);
  page.setDefaultNavigationTimeout(60_000);
  await page.setViewport({ width: options.width ?? 1280, height: options.height ?? 800 });
  if (options.javascript === false) await page.setJavaScriptEnabled(false);
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('dialog', async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  return page;
}

/** Logs in with the form, pressing Enter in the password field. */
async function login(page: Page, username: string): Promise<void> {
  await page.goto(`${base}/login`);
  await page.type('input[name=username]', username);
  await page.type('input[name=password]', TEST_PASSWORD);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Evaluates an expression in the page (a string: the test project has no DOM types). */
const inPage = <T>(page: Page, expression: string) => page.evaluate(expression) as Promise<T>;
const text = (page: Page) => inPage<string>(page, 'document.body.innerText');

describe('the portal in a browser', () => {
  let uploadIdOfFgw = '';

  it('a department downloads its template, uploads a mistake by keyboard, reads it by cell and indicator', async () => {
    // Prepare
    const page = await newPage();
    const downloads = path.join(work, 'fgw');
    await allowDownloads(page, downloads);
    await login(page, 'fgw');
    await page.goto(`${base}/dept?period=${PERIOD}`);
    await shot(page, '01-department-task');

    // Act: the template, as the department gets it.
    await page.click(`a[href="/api/periods/${PERIOD}/template"]`);
    const template = await awaitDownload(downloads, /\.xlsx$/);
    const wrong = await fillWorkbook(template.bytes, [
      { code: 'ECO-GDP', value: '八十亿', note: '二季度数据待统计局核定' },
      { code: 'ECO-FAI-GROWTH', value: 6.1 },
      { code: 'DYN-KEY-PROJECT-INVESTMENT', value: 40.2 },
      { code: 'ECO-DOUBLE-HIGH-ZONE', value: '方案编制' },
      { code: 'DYN-BUSINESS-ENVIRONMENT', value: '迎接评价' },
    ]);
    const wrongFile = path.join(work, 'fgw-wrong.xlsx');
    await writeFile(wrongFile, wrong);

    // Act: keyboard only, from the top of the page to the file field and the button.
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'file-input'; i++) {
      await page.keyboard.press('Tab');
      focused = await inPage<string>(page, "document.activeElement?.id ?? ''");
    }
    expect(focused).toBe('file-input');
    const input = await page.$('#file-input');
    await input?.uploadFile(wrongFile);
    await page.keyboard.press('Tab');
    expect(await inPage<string>(page, 'document.activeElement?.type')).toBe('submit');
    await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
    expect(page.url()).toContain(`/receipts/${PERIOD}/fgw/`);

    // Assess: the problem named by sheet, cell and indicator, in Chinese.
    await page.waitForSelector('.verdict');
    const receipt = await text(page);
    expect(receipt).toContain('未通过');
    expect(receipt).toMatch(/填报[\s\S]*E\d+[\s\S]*地区生产总值/);
    expect(await page.$('a[href$="/annotated.xlsx"]')).not.toBeNull();
    uploadIdOfFgw = page.url().split('/').pop() ?? '';
    await shot(page, '02-receipt-rejected');

    // Act: fix it and upload again, this time with JavaScript off (a plain form POST).
    const fixed = await fillWorkbook(template.bytes, [
      { code: 'ECO-GDP', value: 20.5, note: `${XSS_SCRIPT} 受外部需求影响` },
      { code: 'ECO-FAI-GROWTH', value: 1.2, note: XSS_IMG },
      { code: 'DYN-KEY-PROJECT-INVESTMENT', value: 40.2 },
      { code: 'ECO-DOUBLE-HIGH-ZONE', value: '方案编制' },
      { code: 'DYN-BUSINESS-ENVIRONMENT', value: '迎接评价' },
    ]);
    const fixedFile = path.join(work, 'fgw-fixed.xlsx');
    await writeFile(fixedFile, fixed);
    const plain = await newPage({ javascript: false, keepCookies: true });
    await plain.goto(`${base}/dept?period=${PERIOD}`);
    await (await plain.$('#file-input'))?.uploadFile(fixedFile);
    await Promise.all([plain.waitForNavigation(), plain.click('#upload-form button[type=submit]')]);
    expect(plain.url()).toContain(`/receipts/${PERIOD}/fgw/`);
    await plain.waitForSelector('.verdict');

    // Assess
    expect(await text(plain)).toContain('已接收');
    await shot(plain, '03-receipt-accepted');
    await plain.goto(`${base}/dept/history`);
    expect(await text(plain)).toContain('2023年6月');
    await shot(plain, '04-department-history');
    await page.close();
    await plain.close();
  });

  it('another department cannot open that receipt', async () => {
    const page = await newPage();
    await login(page, 'gxj');
    const res = await page.goto(`${base}/receipts/${PERIOD}/fgw/${uploadIdOfFgw}`);
    expect(res?.status()).toBe(403);
    expect(await text(page)).toContain('无权访问');
    await page.close();
  });

  it('a leader sees the month on the board and opens the bulletin PDF; notes stay text', async () => {
    // Prepare: the month's bulletin, as the schedule would issue it.
    await issueBulletin(await composeBulletin({ outboxDir: path.join(work, 'outbox') }), PERIOD);
    const page = await newPage();
    const downloads = path.join(work, 'leader');
    await allowDownloads(page, downloads);
    await login(page, 'leader');

    // Act
    await page.goto(`${base}/leader/board?period=${PERIOD}`);
    const board = await text(page);
    await shot(page, '05-leader-board');
    await page.goto(`${base}/leader`);
    await shot(page, '06-leader-bulletin');
    const bulletin = await text(page);
    await page.click('a.button.primary[href$=".pdf"]');
    const pdf = await awaitDownload(downloads, /\.pdf$/);

    // Assess
    expect(board).toMatch(/发改委\s+已报送/);
    expect(board).toMatch(/工信局\s+未报送/);
    expect(bulletin).toContain('地区生产总值');
    expect(bulletin).toContain(XSS_SCRIPT);
    expect(bulletin).toContain(XSS_IMG);
    expect(await inPage<unknown>(page, 'window.__xss')).toBeUndefined();
    expect(await page.$$('td.note img, td.note script')).toHaveLength(0);
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.close();
  });

  it('an auditor verifies the archive and exports the audit log as CSV', async () => {
    const page = await newPage();
    const downloads = path.join(work, 'auditor');
    await allowDownloads(page, downloads);
    await login(page, 'auditor');
    await page.goto(`${base}/audit/archive`);
    await Promise.all([page.waitForNavigation(), page.click('form[action="/audit/verify"] button')]);
    const verified = await text(page);
    await shot(page, '07-auditor-verify');
    await page.goto(`${base}/audit/log`);
    await shot(page, '08-auditor-log');
    await page.click('#audit-csv');
    const csv = (await awaitDownload(downloads, /\.csv$/)).bytes.toString('utf8');

    expect(verified).toContain('核验通过');
    expect(csv.startsWith('\ufeff时间(北京)')).toBe(true);
    expect(csv).toMatch(/报送退回,submission\.rejected,fgw,/);
    expect(csv).toMatch(/报送接收,submission\.accepted,fgw,/);
    await page.close();
  });

  it('the upload page works on a phone', async () => {
    const page = await newPage({ width: 390, height: 844 });
    await login(page, 'fgw');
    await page.goto(`${base}/dept?period=${PERIOD}`);
    const overflow = await inPage<number>(page, 'document.documentElement.scrollWidth - window.innerWidth');
    await shot(page, '09-phone-upload');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });

  it('raised no script dialog and no CSP violation on any page', () => {
    expect(dialogs).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
