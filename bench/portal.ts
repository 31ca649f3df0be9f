/**
 * Portal benchmarks (`npm run bench:portal`). Prints figures and same-run baselines; asserts
 * nothing about time. Everything runs on the embedded stand-ins with the real ingest handler.
 *
 *  (a) server time of each page, warm (the app called in-process, no socket), p50/p95 over
 *      RUNS requests, against two floors measured in the same run: GET /healthz through the
 *      same app (framework, headers, no session) and GET /api/me (plus the session lookup);
 *  (b) a 35-row file uploaded from Chromium until the receipt page shows its verdict, p50/p95,
 *      against the same file put straight into the local S3 until its receipt is written
 *      (the ingest path without the portal);
 *  (c) 50 departments uploading at once over HTTP: wall time, per-upload p50/p95, receipts
 *      answered, and receipts and submissions found in storage afterwards (none lost).
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { fillWorkbook } from '../bin/cli/demo/fill-workbook.ts';
import { resetClients } from '../functions/adapters/aws-clients.ts';
import { createStores } from '../functions/adapters/dynamo-stores.ts';
import { storeCatalog } from '../functions/adapters/ensure-catalog.ts';
import { createObjectStore } from '../functions/adapters/s3-object-store.ts';
import type { Receipt } from '../functions/core/ingest/receipt.ts';
import { makeDepartmentTemplate } from '../functions/ingest/department-template.ts';
import { handler as ingestHandler } from '../functions/ingest/handler.ts';
import { createPortalApp } from '../functions/portal/app.ts';
import { createLocalPortalDeps } from '../functions/portal/compose.ts';
import { UPLOAD_METADATA } from '../functions/shared/resources.ts';
import { keys } from '../functions/shared/storage-keys.ts';
import { startLocalAws } from '../lib/local/local-aws.ts';
import { allowDownloads, launchBrowser } from '../test/support/browser.ts';
import { benchCatalog } from './ingest.ts';

const PERIOD = '2023-06';
const DEPTS = 50;
const ROWS = 35;
const RUNS = 60;
const BROWSER_RUNS = 20;
const PASSWORD = 'bench-password-1';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}
const ms = (n: number) => `${n.toFixed(1)} ms`.padStart(9);
function stats(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95) };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'duban-bench-portal-'));
  const local = await startLocalAws({ dataDir, onObjectCreated: ingestHandler });
  Object.assign(process.env, local.env, { POWERTOOLS_LOG_LEVEL: 'ERROR' });
  resetClients();
  const stores = createStores();
  const objects = createObjectStore();
  const catalog = benchCatalog(ROWS, DEPTS);
  await storeCatalog(stores, catalog, { file: 'bench.yaml', now: new Date(), actor: 'bench' });
  const deps = createLocalPortalDeps({ settings: { receiptWaitMs: 30_000, district: '基准区' } });
  const app = createPortalApp({ ...deps, clientAddress: () => '127.0.0.1' });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const depts = catalog.departments.map((d) => d.id);
  await Promise.all([
    ...depts.map((d) =>
      deps.data.users.add({ username: d, role: 'department', dept: d, name: d, password: PASSWORD }, 'bench'),
    ),
    deps.data.users.add(
      { username: 'leader', role: 'leader', dept: null, name: '领导', password: PASSWORD },
      'bench',
    ),
    deps.data.users.add(
      { username: 'auditor', role: 'auditor', dept: null, name: '审计', password: PASSWORD },
      'bench',
    ),
  ]);
  const login = async (username: string) => {
    const res = await fetch(`${base}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  };
  const cookies = new Map<string, string>();
  for (const u of [...depts, 'leader', 'auditor']) cookies.set(u, await login(u));
  /** A department's template filled with base + row number: a new base makes a new version. */
  const filled = async (dept: string, base: number) => {
    const t = await makeDepartmentTemplate(stores, { dept, period: PERIOD, now: new Date(), actor: 'bench' });
    const codes = catalog.indicators.filter((i) => i.dept === dept).map((i) => i.code);
    return fillWorkbook(
      t.bytes,
      codes.map((code, n) => ({ code, value: base + n })),
    );
  };
  const files = new Map<string, Uint8Array>();
  for (const d of depts) files.set(d, await filled(d, 400));
  const file = files.get('d00') ?? new Uint8Array();

  console.log(
    `bench:portal — ${DEPTS} departments, ${ROWS}-row file (${(file.length / 1024).toFixed(1)} KB), Node ${process.version}`,
  );

  // (c) first: 50 departments at once, on an empty month (every upload is a first version).
  const post = async (dept: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(bytes)]), `${dept}.xlsx`);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/periods/${PERIOD}/uploads`, {
      method: 'POST',
      body: form,
      headers: { cookie: cookies.get(dept) ?? '', origin: base },
    });
    const body = (await res.json()) as Receipt;
    return { status: res.status, receipt: body, ms: performance.now() - t0 };
  };
  const t0 = performance.now();
  const results = await Promise.all(depts.map((d) => post(d, files.get(d) ?? new Uint8Array())));
  const wall = performance.now() - t0;
  await local.uploads?.drain();
  const storedReceipts = (await objects.list(local.names.uploadsBucket, 'receipts/')).filter((o) =>
    o.key.endsWith('.receipt.json'),
  ).length;
  const submissions = (await stores.submissions.latestForPeriod(PERIOD)).length;
  const c = stats(results.map((r) => r.ms));
  console.log('\n(c) 50 departments uploading at once (HTTP, real ingest)');
  console.log(`    wall ${ms(wall)}   per upload p50 ${ms(c.p50)}  p95 ${ms(c.p95)}`);
  console.log(
    `    answered 200: ${results.filter((r) => r.status === 200).length}/${DEPTS}, accepted ${results.filter((r) => r.receipt.status === 'accepted').length}; ` +
      `in storage: ${storedReceipts} receipts, ${submissions} submissions, dead letters ${local.uploads?.deadLetters.length ?? 0}`,
  );

  // The month's bulletin, so the leader's page has one to show (rows read from its Excel).
  const { composeBulletin } = await import('../functions/bulletin/compose-bulletin.ts');
  const { issueBulletin } = await import('../functions/use-cases/bulletin/issue-bulletin.ts');
  await issueBulletin(await composeBulletin({ outboxDir: path.join(dataDir, 'outbox') }), PERIOD);

  // (a) page server time, warm, in-process.
  const d00 = cookies.get('d00') ?? '';
  const leader = cookies.get('leader') ?? '';
  const auditor = cookies.get('auditor') ?? '';
  const receiptPath = `/receipts/${PERIOD}/d00/${(results[0]?.receipt.source.key ?? '')
    .split('/')
    .pop()
    ?.replace(/\.xlsx$/, '')}`;
  const pages: [string, string, string][] = [
    ['floor: GET /healthz (no session)', '/healthz', ''],
    ['floor: GET /api/me (session lookup)', '/api/me', d00],
    ['department: 本月填报 /dept', `/dept?period=${PERIOD}`, d00],
    ['department: receipt page', receiptPath, d00],
    ['department: 报送记录', '/dept/history', d00],
    ['leader: 报送进度 board', `/leader/board?period=${PERIOD}`, leader],
    ['leader: 进度通报 (latest bulletin)', '/leader', leader],
    ['auditor: 审计日志', `/audit/log?period=${PERIOD}`, auditor],
    ['api: status', `/api/periods/${PERIOD}/status`, leader],
  ];
  console.log(`\n(a) server time per page, warm, in-process (${RUNS} requests each; p50 target ≤ 50 ms)`);
  for (const [label, url, cookie] of pages) {
    for (let i = 0; i < 5; i++) await app.request(`http://localhost${url}`, { headers: { cookie } });
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const s = performance.now();
      const res = await app.request(`http://localhost${url}`, { headers: { cookie } });
      await res.arrayBuffer();
      samples.push(performance.now() - s);
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    }
    const st = stats(samples);
    console.log(`    ${label.padEnd(38)} p50 ${ms(st.p50)}  p95 ${ms(st.p95)}`);
  }

  // (b) from the browser: pick the file, click, until the receipt page shows the verdict.
  const work = await mkdtemp(path.join(tmpdir(), 'duban-bench-files-'));
  const browser = await launchBrowser();
  const page = await browser.newPage();
  await allowDownloads(page, work);
  await page.goto(`${base}/login`);
  await page.type('input[name=username]', 'd00');
  await page.type('input[name=password]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const browserMs: number[] = [];
  /** Click until the upload's HTTP answer (the receipt JSON) reached the browser. */
  const answeredMs: number[] = [];
  for (let i = 0; i < BROWSER_RUNS + 2; i++) {
    // A new value each run, so every upload is a new version (a correction), not "unchanged".
    const f = path.join(work, `d00-${i}.xlsx`);
    await writeFile(f, await filled('d00', 500 + i));
    await page.goto(`${base}/dept?period=${PERIOD}`);
    await (await page.$('#file-input'))?.uploadFile(f);
    const s = performance.now();
    let answered = 0;
    const onResponse = (r: { url(): string }) => {
      if (r.url().includes('/uploads')) answered = performance.now() - s;
    };
    page.on('response', onResponse);
    await Promise.all([
      page.waitForNavigation({ waitUntil: 'domcontentloaded' }),
      page.click('#upload-form button[type=submit]'),
    ]);
    await page.waitForSelector('.verdict');
    page.off('response', onResponse);
    if (i >= 2) {
      browserMs.push(performance.now() - s);
      answeredMs.push(answered);
    }
  }
  await browser.close();
  // Baseline: the same kind of file straight into S3 until ingest has written its receipt.
  const directMs: number[] = [];
  for (let i = 0; i < BROWSER_RUNS; i++) {
    const bytes = await filled('d01', 700 + i);
    const name = `direct-${i}.xlsx`;
    const s = performance.now();
    await objects.put(
      local.names.uploadsBucket,
      keys.incoming({ dept: 'd01', period: PERIOD, file: name }),
      bytes,
      {
        metadata: { [UPLOAD_METADATA.uploader]: 'bench' },
      },
    );
    const sha = createHash('sha256').update(bytes).digest('hex');
    const receiptKey = keys.uploadOutputs({ dept: 'd01', period: PERIOD, file: name }, sha).json;
    while (!(await objects.head(local.names.uploadsBucket, receiptKey)))
      await new Promise((r) => setTimeout(r, 10));
    directMs.push(performance.now() - s);
  }
  // The same upload through the API (no browser): where the browser's time goes.
  const apiMs: number[] = [];
  for (let i = 0; i < BROWSER_RUNS; i++) {
    apiMs.push((await post('d00', await filled('d00', 900 + i))).ms);
  }
  const b = stats(browserMs);
  const api = stats(apiMs);
  const base_ = stats(directMs);
  console.log(
    `\n(b) ${ROWS}-row upload to receipt shown, from Chromium (${BROWSER_RUNS} runs; p95 target ≤ 1 s)`,
  );
  const answeredStats = stats(answeredMs);
  console.log(`    browser: click → receipt page       p50 ${ms(b.p50)}  p95 ${ms(b.p95)}`);
  console.log(
    `      of which click → upload answered  p50 ${ms(answeredStats.p50)}  p95 ${ms(answeredStats.p95)}`,
  );
  console.log(`    API: POST → receipt JSON            p50 ${ms(api.p50)}  p95 ${ms(api.p95)}`);
  console.log(`    baseline: S3 put → receipt written  p50 ${ms(base_.p50)}  p95 ${ms(base_.p95)}`);

  await new Promise<void>((resolve) => server.close(() => resolve()));
  await local.stop();
  await rm(work, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
}

await main();
