/**
 * Verify benchmark (issue #13): `duban archive verify` on a year's archive on the local
 * stand-ins (dynalite + s3rver): 12 monthly bulletins issued through the real bulletin use
 * case (PDFs and workbook stood in by short bytes: verify's cost is in listing, reading and
 * hashing objects, walking the chain and reading the table, not in the bytes' meaning), every
 * department's original in raw/. In the same run, the floor: listing both prefixes and
 * reading and hashing every object once, with no check at all.
 *
 *   npm run bench:verify
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { currentConfig, resetClients } from '../functions/adapters/aws-clients.ts';
import { createStores } from '../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../functions/adapters/s3-object-store.ts';
import { composeBulletin, composeVerifier } from '../functions/bulletin/compose-bulletin.ts';
import { keys } from '../functions/shared/storage-keys.ts';
import { issueBulletin } from '../functions/use-cases/bulletin/issue-bulletin.ts';
import type { PdfRenderer } from '../functions/use-cases/ports/bulletin.ts';
import { startLocalAws } from '../lib/local/local-aws.ts';
import { seedCatalog, seedOriginalText, seedSubmissions } from '../test/fixtures/bulletin/seed-inputs.ts';

const RUNS = 5;
const encode = (s: string) => new TextEncoder().encode(s);

const standInPdf = (): PdfRenderer => ({
  renderBulletin: async (m) => ({ pdf: encode(`%PDF ${m.period} v${m.version}`), pages: 1 }),
  renderDepartment: async (m, d) => ({ pdf: encode(`%PDF ${d} ${m.period} v${m.version}`), pages: 1 }),
  close: async () => {},
});

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

/**
 * Median wall time and median CPU time of the process over RUNS runs. The stand-ins run in this
 * process, so the CPU time is the work of client and stores together: on a machine other jobs
 * keep busy, it is the figure that does not depend on them (the wall time on an idle machine
 * is close to it, the work being single-threaded).
 */
async function time(label: string, work: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await work();
    const used = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  const m = { wall: median(wall), cpu: median(cpu) };
  console.log(
    `${label.padEnd(44)} median ${m.wall.toFixed(0).padStart(6)} ms wall, ${m.cpu.toFixed(0).padStart(5)} ms CPU  (wall min ${Math.min(...wall).toFixed(0)}, max ${Math.max(...wall).toFixed(0)}, ${RUNS} runs)`,
  );
  return m;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'duban-bench-verify-'));
  const aws = await startLocalAws({ dataDir });
  Object.assign(process.env, aws.env);
  resetClients();
  try {
    const config = currentConfig();
    const stores = createStores();
    const objects = createObjectStore();
    const catalog = seedCatalog();
    await stores.catalogs.put(catalog, new Date('2023-01-03T00:00:00Z'));
    for (const s of seedSubmissions(catalog, 12)) {
      await stores.submissions.put(s);
      await objects.put(config.uploadsBucket, s.rawKey, seedOriginalText(s));
    }
    const deps = {
      ...(await composeBulletin({ outboxDir: path.join(dataDir, 'outbox') })),
      createPdfRenderer: standInPdf,
      renderWorkbook: async () => encode('xlsx'),
    };
    for (let month = 1; month <= 12; month++) {
      await issueBulletin(deps, `2023-${String(month).padStart(2, '0')}`);
    }

    const verify = composeVerifier(config);
    const report = await verify();
    if (!report.ok) throw new Error(`the benchmark archive does not verify:\n${report.summary.join('\n')}`);
    console.log(report.summary.slice(0, 3).join('\n'));

    const floor = async () => {
      for (const [bucket, prefix] of [
        [config.archiveBucket, keys.prefix.bulletins],
        [config.uploadsBucket, keys.prefix.raw],
      ] as const) {
        const listed = await objects.list(bucket, prefix);
        await Promise.all(
          listed.map(async (o) =>
            createHash('sha256')
              .update(await objects.get(bucket, o.key))
              .digest('hex'),
          ),
        );
      }
    };
    console.log(`load average before: ${load()} (2 cores)`);
    const base = await time('baseline: list + read + sha256 every object', floor);
    const full = await time('duban archive verify (whole year)', () => verify());
    await time('duban archive verify --period 2023-06', () => verify({ period: '2023-06' }));
    console.log(`load average after: ${load()}`);
    console.log(
      `verify / baseline: ${(full.wall / base.wall).toFixed(1)}× wall, ${(full.cpu / base.cpu).toFixed(1)}× CPU; target ≤ 2000 ms: ${full.wall <= 2000 ? 'met' : `not met in wall time under this load; ${full.cpu <= 2000 ? 'met' : 'NOT met'} in CPU time`}`,
    );
  } finally {
    await aws.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
