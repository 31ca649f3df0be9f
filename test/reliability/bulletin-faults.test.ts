import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeLocalState, writeLocalState } from '../../bin/cli/local-state.ts';
import { ObjectStoreArchive } from '../../functions/adapters/archive.ts';
import { currentConfig } from '../../functions/adapters/aws-clients.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createBrowserSession } from '../../functions/adapters/pdf/browser-session.ts';
import { createPdfRenderer } from '../../functions/adapters/pdf/pdf-renderer.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import {
  composeArchive,
  composeBulletin,
  composeVerifier,
} from '../../functions/bulletin/compose-bulletin.ts';
import { catalogTrajectories } from '../../functions/core/demo/trajectory.ts';
import { type IssueBulletinDeps, issueBulletin } from '../../functions/use-cases/bulletin/issue-bulletin.ts';
import type { ObjectStore } from '../../functions/use-cases/ports/storage.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { standInOriginal, storeOriginals } from '../support/raw-originals.ts';
import { runCli } from '../support/run-cli.ts';
import { seedCatalog } from './upload-fixtures.ts';

/**
 * A bulletin run can die anywhere (Chromium crashes, the archive write breaks off); the
 * retry must succeed and nobody may ever see a half-written version. And an archived file
 * changed afterwards must be named by `duban archive verify`.
 */

const local = useLocalAws();
let outbox: string;
const PERIOD = '2023-01';
/** Lambda retries a failed asynchronous invocation minutes later, after the run's lease. */
const RETRY_LATER_MS = 10 * 60_000;

class ArchiveOutage extends Error {
  override readonly name = 'ArchiveOutage';
}

beforeAll(async () => {
  outbox = await mkdtemp(path.join(tmpdir(), 'duban-outbox-'));
  const catalog = await seedCatalog();
  const trajectories = catalogTrajectories(catalog.catalog, 'reliability');
  const { submissions } = createStores();
  for (const dept of catalog.catalog.departments) {
    const values = catalog.catalog.indicators
      .filter((i) => i.dept === dept.id)
      .map((i) => ({ code: i.code, value: trajectories.get(i.code)?.[0] ?? 0 }));
    if (values.length === 0) continue;
    const original = standInOriginal(`${dept.id} ${PERIOD} ${JSON.stringify(values)}`);
    await storeOriginals([original]);
    await submissions.put({
      dept: dept.id,
      period: PERIOD,
      version: 1,
      catalogYear: catalog.year,
      catalogVersion: catalog.version,
      values,
      sourceSha256: original.sourceSha256,
      rawKey: original.rawKey,
      sourceKey: `incoming/${dept.id}/${PERIOD}/${dept.id}.xlsx`,
      uploader: `${dept.id}@test`,
      receivedAt: '2023-02-02T01:00:00.000Z',
      status: 'accepted',
    });
  }
});

afterAll(async () => {
  if (outbox) await rm(outbox, { recursive: true, force: true });
});

async function deps(overrides: Partial<IssueBulletinDeps> = {}): Promise<IssueBulletinDeps> {
  return { ...(await composeBulletin({ outboxDir: outbox })), ...overrides };
}

const later = () => new Date(Date.now() + RETRY_LATER_MS);

describe('bulletin runs that die half-way', () => {
  it('retries after Chromium crashes mid-run and shows only the complete version', async () => {
    // Prepare
    const session = createBrowserSession();
    const crashing = await deps({
      createPdfRenderer: () => {
        const renderer = createPdfRenderer({ session });
        return {
          ...renderer,
          async renderBulletin(model) {
            const rendered = await renderer.renderBulletin(model);
            // Chromium dies between two documents of the run.
            (await session.browser()).process()?.kill('SIGKILL');
            return rendered;
          },
        };
      },
    });
    const archive = composeArchive();

    // Act
    const crashed = await issueBulletin(crashing, PERIOD).then(
      () => undefined,
      (error: unknown) => error,
    );
    await session.close().catch(() => {});
    const visibleAfterCrash = await archive.list(PERIOD);
    const retried = await issueBulletin(await deps({ clock: later }), PERIOD);

    // Assess
    expect(crashed).toBeInstanceOf(Error);
    expect(visibleAfterCrash).toEqual([]);
    expect(retried.status).toBe('issued');
    const visible = await archive.list(PERIOD);
    expect(visible.map((v) => v.manifest.version)).toEqual([retried.version]);
    const report = await composeVerifier()({ period: PERIOD });
    expect(report.findings).toEqual([]);
  });

  it('never shows a version whose archive write broke off, and the retry completes a new one', async () => {
    // Prepare
    const real = createObjectStore();
    let puts = 0;
    const breaking: ObjectStore = {
      get: (b, k) => real.get(b, k),
      head: (b, k) => real.head(b, k),
      list: (b, p) => real.list(b, p),
      put: async (bucket, key, body, options) => {
        if (++puts > 3) throw new ArchiveOutage(`connection reset while writing ${key}`);
        return real.put(bucket, key, body, options);
      },
    };
    const archive = composeArchive();
    const before = (await archive.list(PERIOD)).map((v) => v.manifest.version);
    // A correction arrives, so the inputs differ and a new version is due.
    const { submissions } = createStores();
    const latest = await submissions.latest('fgw', PERIOD);
    if (!latest) throw new Error('no fgw submission');
    const [first, ...rest] = latest.values;
    await submissions.put({
      ...latest,
      version: 2,
      values: [{ ...first, code: first?.code ?? '', value: Number(first?.value) + 1 }, ...rest],
      correction: { previousVersion: 1, changes: [] },
    });

    // Act
    const broken = await issueBulletin(
      await deps({ archive: new ObjectStoreArchive(breaking, currentConfig().archiveBucket), clock: later }),
      PERIOD,
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    const visibleAfterBreak = (await archive.list(PERIOD)).map((v) => v.manifest.version);
    const reportAfterBreak = await composeVerifier()({ period: PERIOD });
    const retried = await issueBulletin(
      await deps({ clock: () => new Date(Date.now() + 2 * RETRY_LATER_MS) }),
      PERIOD,
    );

    // Assess
    expect(broken).toBeInstanceOf(ArchiveOutage);
    expect(visibleAfterBreak).toEqual(before);
    expect(reportAfterBreak.findings).toEqual([]);
    expect(reportAfterBreak.notes.filter((n) => n.includes('unfinished run'))).toHaveLength(1);
    expect(retried.status).toBe('issued');
    expect((await archive.list(PERIOD)).map((v) => v.manifest.version)).toEqual([...before, retried.version]);
    const got = await archive.get(PERIOD, retried.version);
    expect(got.stored.manifest.files.length).toBeGreaterThan(2);
  });
});

describe('an archived file changed afterwards', () => {
  it('makes `duban archive verify` exit 1 and name the object', async () => {
    // Prepare
    const archive = composeArchive();
    const [version] = (await archive.list(PERIOD)).slice(-1);
    const excel = version?.manifest.files.find((f) => f.name === 'bulletin.xlsx');
    if (!excel) throw new Error('no archived bulletin.xlsx');
    const objects = createObjectStore();
    const bytes = await objects.get(currentConfig().archiveBucket, excel.key);
    const tampered = Uint8Array.from(bytes);
    tampered[tampered.length - 10] = (tampered[tampered.length - 10] ?? 0) ^ 0xff;
    await objects.put(currentConfig().archiveBucket, excel.key, tampered);
    // The CLI joins these running stand-ins, as it joins a running `duban local`.
    await writeLocalState(local.dataDir, {
      pid: process.pid,
      endpoints: local.aws.endpoints,
      env: local.aws.env,
      startedAt: new Date().toISOString(),
    });

    // Act
    const text = await runCli(['archive', 'verify', '--data', local.dataDir]);
    const json = await runCli(['archive', 'verify', '--data', local.dataDir, '--json']);
    await removeLocalState(local.dataDir);

    // Assess
    expect(text.code).toBe(1);
    expect(`${text.stdout}${text.stderr}`).toContain(excel.key);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; findings: { key: string; kind: string }[] };
    expect(report.ok).toBe(false);
    expect(report.findings).toEqual([expect.objectContaining({ key: excel.key, kind: 'CHANGED' })]);
  });
});
