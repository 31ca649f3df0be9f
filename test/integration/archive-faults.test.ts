import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentConfig, dynamoDocument, s3Client } from '../../functions/adapters/aws-clients.ts';
import { createStores, keyAttributes } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { Ed25519Signer } from '../../functions/adapters/signing/ed25519-key.ts';
import { composeBulletin, composeVerifier } from '../../functions/bulletin/compose-bulletin.ts';
import { sealBytes, sealDocument, statementOf } from '../../functions/core/archive/chain.ts';
import { sha256Hex } from '../../functions/core/archive/digest.ts';
import type { FindingKind } from '../../functions/core/archive/findings.ts';
import { NotFoundError } from '../../functions/core/errors.ts';
import type { Submission } from '../../functions/core/submission.ts';
import { TABLE } from '../../functions/shared/resources.ts';
import { itemKeys } from '../../functions/shared/storage-keys.ts';
import type { ArchiveVerification } from '../../functions/use-cases/archive/verify-archive.ts';
import { issueBulletin } from '../../functions/use-cases/bulletin/issue-bulletin.ts';
import type { PdfRenderer } from '../../functions/use-cases/ports/bulletin.ts';
import type { ObjectStore } from '../../functions/use-cases/ports/storage.ts';
import {
  seedCatalog,
  seedCorrection,
  seedOriginalText,
  seedSubmissions,
} from '../fixtures/bulletin/seed-inputs.ts';
import { attachLocalAws, withLocalAws } from '../support/local-aws.ts';
import { runCli } from '../support/run-cli.ts';

/**
 * The fault-injection suite of issue #13. An archive as a quarter of duban leaves it on the
 * local stand-ins (dynalite + s3rver): January to March issued by the real bulletin use case
 * with every department's original in raw/, then 文旅局 corrects February and v2 is issued (the
 * chain: #1 Jan, #2 Feb v1, #3 Mar, #4 Feb v2). PDFs and workbooks are stood in by short bytes:
 * verify reads hashes, not figures.
 *
 * Each change is made to a running copy the way an insider with write access to the buckets or
 * the table could, verify runs, and the change is undone before the next (every object and item
 * it touched is put back as it was). verify's exit code is 1 exactly when it reports a finding:
 * the CLI runs below (--offline on an exported copy, get on a changed one) show it end to end.
 */

const JAN = 'bulletins/2023/01/v1/';
const FEB1 = 'bulletins/2023/02/v1/';
const FEB2 = 'bulletins/2023/02/v2/';
const encode = (s: string) => new TextEncoder().encode(s);

const standInPdf = (): PdfRenderer => ({
  renderBulletin: async (m) => ({
    pdf: encode(`%PDF ${m.period} v${m.version} link #${m.chain?.seq}`),
    pages: 1,
  }),
  renderDepartment: async (m, dept) => ({ pdf: encode(`%PDF ${dept} ${m.period} v${m.version}`), pages: 1 }),
  close: async () => {},
});

let work: string;
let pristine: string;
/** 发改委's March original, the raw upload the raw faults change. */
let fgwMarch: Submission;

/** Runs `work` against the stand-ins started on `dataDir`, then stops them. */
function onStandIns<T>(dataDir: string, run: () => Promise<T>): Promise<T> {
  return withLocalAws({ dataDir }, run);
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'duban-faults-'));
  pristine = path.join(work, 'pristine');
  await onStandIns(pristine, async () => {
    const config = currentConfig();
    const stores = createStores();
    const objects = createObjectStore();
    const catalog = seedCatalog();
    await stores.catalogs.put(catalog, new Date('2023-01-03T00:00:00Z'));
    const submissions = seedSubmissions(catalog, 3);
    const correction = seedCorrection(catalog, submissions, 2);
    const submit = async (s: Submission) => {
      await stores.submissions.put(s);
      await objects.put(config.uploadsBucket, s.rawKey, seedOriginalText(s));
    };
    let now = new Date('2023-02-06T02:00:00Z');
    const deps = {
      ...(await composeBulletin({ outboxDir: path.join(work, 'outbox'), clock: () => now })),
      createPdfRenderer: standInPdf,
      renderWorkbook: async (m: { period: string; version: number }) =>
        encode(`xlsx ${m.period} v${m.version}`),
    };
    for (const s of submissions) await submit(s);
    for (const period of ['2023-01', '2023-02', '2023-03']) {
      await issueBulletin(deps, period);
      now = new Date(now.getTime() + 28 * 86_400_000);
    }
    await submit(correction);
    const reissue = await issueBulletin(deps, '2023-02');
    if (reissue.version !== 2 || reissue.chain?.seq !== 4) {
      throw new Error(`expected the February re-issue as link #4, got v${reissue.version}`);
    }
    fgwMarch =
      submissions.find((s) => s.dept === 'fgw' && s.period === '2023-03') ?? expect.fail('fgw March');
  });
}, 300_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/** What someone with write access to the archive bucket, the uploads bucket or the table can do. */
interface Insider {
  readonly objects: ObjectStore;
  readonly archive: string;
  readonly uploads: string;
  bytes(key: string, bucket?: string): Promise<Uint8Array>;
  put(key: string, body: Uint8Array | string, bucket?: string): Promise<void>;
  remove(key: string, bucket?: string): Promise<void>;
  manifest(folder: string): Promise<ManifestJson>;
  rewriteManifest(folder: string, edit: (m: ManifestJson) => void): Promise<void>;
  item(key: { pk: string; sk: string }): Promise<Record<string, unknown>>;
  putItem(item: Record<string, unknown>): Promise<void>;
  deleteItem(key: { pk: string; sk: string }): Promise<void>;
  /** Puts back every object and item changed since the last restore. */
  restore(): Promise<void>;
}

interface ManifestJson {
  files: { name: string; key: string; sha256: string; size: number; contentType: string }[];
  headline: string[];
  statusCounts: Record<string, number>;
}

const PK = TABLE.partitionKey.name;
const SK = TABLE.sortKey.name;

function insider(): Insider {
  const config = currentConfig();
  const objects = createObjectStore();
  const table = { TableName: config.tableName };
  const doc = dynamoDocument();
  const objectsBefore = new Map<string, { bucket: string; key: string; body: Uint8Array | undefined }>();
  const itemsBefore = new Map<
    string,
    { key: Record<string, unknown>; item: Record<string, unknown> | undefined }
  >();
  const keepObject = async (bucket: string, key: string) => {
    if (objectsBefore.has(`${bucket}/${key}`)) return;
    const body = await objects.get(bucket, key).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    objectsBefore.set(`${bucket}/${key}`, { bucket, key, body });
  };
  const keepItem = async (key: Record<string, unknown>) => {
    const id = `${String(key[PK])} ${String(key[SK])}`;
    if (itemsBefore.has(id)) return;
    const out = await doc.send(new GetCommand({ ...table, Key: key, ConsistentRead: true }));
    itemsBefore.set(id, { key, item: out.Item });
  };
  const self: Insider = {
    objects,
    archive: config.archiveBucket,
    uploads: config.uploadsBucket,
    bytes: (key, bucket = config.archiveBucket) => objects.get(bucket, key),
    async put(key, body, bucket = config.archiveBucket) {
      await keepObject(bucket, key);
      await objects.put(bucket, key, body);
    },
    async remove(key, bucket = config.archiveBucket) {
      await keepObject(bucket, key);
      await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    },
    async manifest(folder) {
      return JSON.parse(new TextDecoder().decode(await self.bytes(`${folder}manifest.json`))) as ManifestJson;
    },
    async rewriteManifest(folder, edit) {
      const m = await self.manifest(folder);
      edit(m);
      await self.put(`${folder}manifest.json`, `${JSON.stringify(m, null, 2)}\n`);
    },
    async item(key) {
      const out = await doc.send(new GetCommand({ ...table, Key: keyAttributes(key), ConsistentRead: true }));
      return out.Item ?? expect.fail(`no item ${key.pk} / ${key.sk}`);
    },
    async putItem(item) {
      await keepItem({ [PK]: item[PK], [SK]: item[SK] });
      await doc.send(new PutCommand({ ...table, Item: item }));
    },
    async deleteItem(key) {
      await keepItem(keyAttributes(key));
      await doc.send(new DeleteCommand({ ...table, Key: keyAttributes(key) }));
    },
    async restore() {
      for (const { bucket, key, body } of objectsBefore.values()) {
        if (body) await objects.put(bucket, key, body);
        else await s3Client().send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
      for (const { key, item } of itemsBefore.values()) {
        if (item) await doc.send(new PutCommand({ ...table, Item: item }));
        else await doc.send(new DeleteCommand({ ...table, Key: key }));
      }
      objectsBefore.clear();
      itemsBefore.clear();
    },
  };
  return self;
}

/** The running copy every change is made to (started on first use, stopped after all). */
let live: { readonly insider: Insider; stop(): Promise<void> } | undefined;

async function startLive(): Promise<NonNullable<typeof live>> {
  const dataDir = path.join(work, 'live');
  await cp(pristine, dataDir, { recursive: true });
  const attached = await attachLocalAws({ dataDir });
  return { insider: insider(), stop: () => attached.detach() };
}

afterAll(async () => {
  await live?.stop();
});

/** The running copy changed by `change` and verified in process; then the change is undone. */
async function tampered(change: (i: Insider) => Promise<void>): Promise<{ report: ArchiveVerification }> {
  live ??= await startLive();
  try {
    await change(live.insider);
    return { report: await composeVerifier(currentConfig())() };
  } finally {
    await live.insider.restore();
  }
}

/** A copy of the archive of its own, changed by `change`, its stand-ins stopped (for the CLI). */
async function changedCopy(name: string, change: (i: Insider) => Promise<void>): Promise<string> {
  const dataDir = path.join(work, name);
  await cp(pristine, dataDir, { recursive: true });
  await onStandIns(dataDir, () => change(insider()));
  return dataDir;
}

const CLIMBING = '../../../../pwned.pdf';

/** January's manifest gains an entry whose name climbs out of its folder. */
const climbOut = (i: Insider) =>
  i.rewriteManifest(JAN, (m) => {
    m.files.push({
      name: CLIMBING,
      key: `${JAN}${CLIMBING}`,
      sha256: sha256Hex('%PDF pwned'),
      size: 10,
      contentType: 'application/pdf',
    });
  });

const kinds = (v: ArchiveVerification) => [...new Set(v.findings.map((f) => f.kind))].sort();
const pairs = (v: ArchiveVerification) => v.findings.map((f) => [f.kind, f.key]);
const has = (v: ArchiveVerification, kind: FindingKind, key: string) =>
  v.findings.some((f) => f.kind === kind && f.key === key);

const flip = (bytes: Uint8Array, at = 0) => {
  const copy = Uint8Array.from(bytes);
  copy[at] = (copy[at] ?? 0) ^ 0x01;
  return copy;
};

describe('a clean archive', () => {
  it('verifies: every link sealed, no finding', async () => {
    // Act
    const { report } = await tampered(async () => {});

    // Assess
    expect(report).toMatchObject({ ok: true, findings: [], chain: { links: 4, sealed: 4 } });
    expect(report.raw.rawObjectsChecked).toBeGreaterThan(0);
  });

  it('exports a copy that `verify --offline` proves with its public key (exit 0), and names a byte changed in it (exit 1)', async () => {
    // Prepare
    const copy = path.join(work, 'export');
    const exported = await runCli(['--data', pristine, 'archive', 'export', '--out', copy]);

    // Act
    const clean = await runCli(['archive', 'verify', '--offline', copy, '--json']);
    const pdf = path.join(copy, `${FEB2}bulletin.pdf`);
    await writeFile(pdf, flip(await readFile(pdf)));
    const changed = await runCli(['archive', 'verify', '--offline', copy, '--json']);

    // Assess
    expect(exported.code, exported.stderr).toBe(0);
    expect(clean.code, clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({
      ok: true,
      mode: 'offline',
      chain: { links: 4, sealed: 4 },
    });
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).findings).toEqual([
      expect.objectContaining({ kind: 'CHANGED', key: `${FEB2}bulletin.pdf` }),
    ]);
  });
});

describe('every change in the table of issue #13 is found', () => {
  it('CHANGED: one byte of a bulletin PDF flipped', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      await i.put(`${JAN}bulletin.pdf`, flip(await i.bytes(`${JAN}bulletin.pdf`)));
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(pairs(report)).toEqual([['CHANGED', `${JAN}bulletin.pdf`]]);
  });

  it('MISSING: a department PDF deleted', async () => {
    // Prepare
    let gone = '';

    // Act
    const { report } = await tampered(async (i) => {
      gone =
        (await i.manifest(JAN)).files.find((f) => f.name.startsWith('depts/'))?.key ??
        expect.fail('no slice');
      await i.remove(gone);
    });

    // Assess
    expect(pairs(report)).toEqual([['MISSING', gone]]);
  });

  it('CHANGED: a byte of a raw upload flipped', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      await i.put(fgwMarch.rawKey, flip(await i.bytes(fgwMarch.rawKey, i.uploads)), i.uploads);
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(has(report, 'CHANGED', fgwMarch.rawKey)).toBe(true);
    expect(kinds(report)).toEqual(['CHANGED']);
  });

  it('MISSING: the manifest of the 2023-02 v2 re-issue deleted', async () => {
    // Act
    const { report } = await tampered((i) => i.remove(`${FEB2}manifest.json`));

    // Assess
    expect(report.ok).toBe(false);
    expect(has(report, 'MISSING', `${FEB2}manifest.json`)).toBe(true);
  });

  it('MISSING: the whole bulletins/2023/02/v2/ folder deleted', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      for (const o of await i.objects.list(i.archive, FEB2)) await i.remove(o.key);
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(has(report, 'MISSING', `${FEB2}manifest.json`)).toBe(true);
  });

  it('FORGED-MANIFEST: a PDF swapped and the manifest rewritten with the new sha256', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      const forged = encode('%PDF figures nobody reported');
      await i.put(`${FEB1}bulletin.pdf`, forged);
      await i.rewriteManifest(FEB1, (m) => {
        const pdf = m.files.find((f) => f.name === 'bulletin.pdf') ?? expect.fail('no bulletin.pdf');
        Object.assign(pdf, { sha256: sha256Hex(forged), size: forged.byteLength });
      });
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(has(report, 'FORGED-MANIFEST', `${FEB1}manifest.json`)).toBe(true);
    expect(kinds(report)).not.toContain('CHANGED');
  });

  it("FORGED-MANIFEST: the manifest's headline and status counts rewritten", async () => {
    // Act
    const { report } = await tampered((i) =>
      i.rewriteManifest(JAN, (m) => {
        m.headline = ['全部指标均达到序时进度。'];
        m.statusCounts = { 达进度: 46 };
      }),
    );

    // Assess
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual(['FORGED-MANIFEST']);
  });

  it("UNSAFE-NAME: a manifest entry pointing at another version's object", async () => {
    // Act
    const { report } = await tampered(async (i) => {
      const old =
        (await i.manifest(FEB1)).files.find((f) => f.name === 'bulletin.pdf') ?? expect.fail('v1 pdf');
      await i.rewriteManifest(FEB2, (m) => {
        const pdf = m.files.find((f) => f.name === 'bulletin.pdf') ?? expect.fail('v2 pdf');
        Object.assign(pdf, { key: old.key, sha256: old.sha256, size: old.size });
      });
    });

    // Assess
    expect(has(report, 'UNSAFE-NAME', `${FEB1}bulletin.pdf`)).toBe(true);
    expect(has(report, 'FORGED-MANIFEST', `${FEB2}manifest.json`)).toBe(true);
  });

  it('UNSAFE-NAME: a file named ../../…/pwned.pdf', async () => {
    // Act
    const { report } = await tampered(climbOut);

    // Assess
    expect(report.ok).toBe(false);
    expect(report.findings.filter((f) => f.kind === 'UNSAFE-NAME').map((f) => f.key)).toEqual([
      `${JAN}${CLIMBING}`,
    ]);
  });

  it('and `archive get` of that version exits 1 naming the file, writing nothing, outside --out or in it', async () => {
    // Prepare
    const dataDir = await changedCopy('pwned', climbOut);
    // ../../../../pwned.pdf from --out lands in get-pwned/, which exists, so a write would show.
    const top = path.join(work, 'get-pwned');
    await mkdir(top);
    const out = path.join(top, 'a', 'b', 'c', 'out');

    // Act
    const get = await runCli([
      '--data',
      dataDir,
      'archive',
      'get',
      '2023-01',
      '--version',
      '1',
      '--out',
      out,
    ]);

    // Assess
    expect(get.code).toBe(1);
    expect(get.stderr).toContain('pwned.pdf');
    expect(get.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    expect(await readdir(top, { recursive: true })).toEqual([]);
  });
});

describe('changes to the ledger, the signatures and raw/ are found too', () => {
  it('BROKEN-CHAIN: a link deleted from the ledger', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      await i.deleteItem(itemKeys.chainLink(2, 'reservation'));
      await i.deleteItem(itemKeys.chainLink(2, 'seal'));
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(has(report, 'BROKEN-CHAIN', 'chain #3')).toBe(true);
    expect(has(report, 'ORPHAN', FEB1)).toBe(true);
  });

  it('BROKEN-CHAIN and BAD-SIGNATURE: two links reordered in the ledger', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      const [r1, r2] = [
        await i.item(itemKeys.chainLink(1, 'reservation')),
        await i.item(itemKeys.chainLink(2, 'reservation')),
      ];
      const [s1, s2] = [
        await i.item(itemKeys.chainLink(1, 'seal')),
        await i.item(itemKeys.chainLink(2, 'seal')),
      ];
      const keysOf = (n: number, entry: 'reservation' | 'seal') =>
        keyAttributes(itemKeys.chainLink(n, entry));
      await i.putItem({
        ...r2,
        ...keysOf(1, 'reservation'),
        seq: 1,
        prevSeq: null,
        prevManifestSha256: null,
      });
      await i.putItem({
        ...r1,
        ...keysOf(2, 'reservation'),
        seq: 2,
        prevSeq: 1,
        prevManifestSha256: s2.manifestSha256,
      });
      await i.putItem({ ...s2, ...keysOf(1, 'seal'), seq: 1 });
      await i.putItem({ ...s1, ...keysOf(2, 'seal'), seq: 2 });
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(kinds(report)).toEqual(expect.arrayContaining(['BROKEN-CHAIN', 'BAD-SIGNATURE']));
  });

  it('BAD-SIGNATURE: a link re-signed by another key, in the ledger and beside the manifest', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      const link = (await createStores().chain.links())[1];
      if (!link?.seal) throw new Error('link #2 expected sealed');
      const other = Ed25519Signer.generate();
      const seal = { ...link.seal, signature: await other.sign(statementOf('default', link, link.seal)) };
      const sealItem = await i.item(itemKeys.chainLink(2, 'seal'));
      await i.putItem({ ...sealItem, signature: seal.signature });
      await i.put(`${FEB1}seal.json`, sealBytes(sealDocument('default', { ...link, seal })));
    });

    // Assess
    expect(report.findings.filter((f) => f.kind === 'BAD-SIGNATURE').map((f) => f.key)).toEqual([
      `${FEB1}seal.json`,
      'chain #2',
    ]);
  });

  it('MISSING and CHANGED: a raw upload replaced by another file, the submission rewritten to its recomputed sha256', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      const other = 'another workbook, uploaded by nobody';
      const otherSha = sha256Hex(other);
      await i.remove(fgwMarch.rawKey, i.uploads);
      await i.put(`raw/${otherSha}.xlsx`, other, i.uploads);
      const key = itemKeys.submission(fgwMarch);
      await i.putItem({ ...(await i.item(key)), sourceSha256: otherSha, rawKey: `raw/${otherSha}.xlsx` });
    });

    // Assess
    expect(report.ok).toBe(false);
    expect(has(report, 'MISSING', fgwMarch.rawKey)).toBe(true);
    expect(has(report, 'CHANGED', 'submission fgw 2023-03 v1')).toBe(true);
  });

  it('ORPHAN: a version folder added by hand', async () => {
    // Act
    const { report } = await tampered(async (i) => {
      await i.put('bulletins/2023/02/v3/bulletin.pdf', '%PDF by hand');
      await i.put('bulletins/2023/04/v1/manifest.json', await i.bytes(`${JAN}manifest.json`));
    });

    // Assess
    expect(pairs(report)).toEqual([
      ['ORPHAN', 'bulletins/2023/02/v3/'],
      ['ORPHAN', 'bulletins/2023/04/v1/'],
    ]);
  });

  it('UNSIGNED: the seal beside a manifest removed', async () => {
    // Act
    const { report } = await tampered((i) => i.remove(`${JAN}seal.json`));

    // Assess
    expect(pairs(report)).toEqual([['UNSIGNED', `${JAN}seal.json`]]);
  });

  it('leaves the running copy as it found it: with every change undone, it verifies clean', async () => {
    // Act
    const { report } = await tampered(async () => {});

    // Assess
    expect(report).toMatchObject({ ok: true, findings: [] });
  });
});
