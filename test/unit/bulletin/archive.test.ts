import { describe, expect, it } from 'vitest';
import { ObjectStoreArchive } from '../../../functions/adapters/archive.ts';
import { sealDocument } from '../../../functions/core/archive/chain.ts';
import { CorruptRecordError, ObjectExistsError } from '../../../functions/core/errors.ts';
import { buildReceipt } from '../../../functions/core/ingest/receipt.ts';
import { readReceipt } from '../../../functions/use-cases/ingest/submit-upload.ts';
import { manifestContent, pdfFile } from '../../support/archive-manifest.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

const BUCKET = 'archive';

function sealFixture() {
  return sealDocument('default', {
    seq: 1,
    prevSeq: null,
    prevManifestSha256: null,
    period: '2023-12',
    version: 1,
    reservedAt: '2024-01-05T00:00:00.000Z',
    seal: {
      seq: 1,
      manifestSha256: 'a'.repeat(64),
      inputsHash: 'b'.repeat(64),
      sealedAt: '2024-01-05T00:00:01.000Z',
      signature: { algorithm: 'ed25519', keyFingerprint: 'c'.repeat(64), value: 'AA==' },
    },
  });
}

const files = (tag: string) => [
  pdfFile('bulletin.pdf', `%PDF ${tag}`),
  pdfFile('depts/fgw.pdf', `%PDF fgw ${tag}`),
];

describe('ObjectStoreArchive', () => {
  it('writes files then the manifest with sha256 and size of each', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const archive = new ObjectStoreArchive(store, BUCKET);

    // Act
    const stored = await archive.writeVersion(manifestContent(1), files('a'));

    // Assess
    const keys = [...store.objects.keys()];
    expect(keys.at(-1)).toBe(`${BUCKET}/bulletins/2023/12/v1/manifest.json`);
    expect(stored.manifest.files.map((f) => [f.key, f.size])).toEqual([
      ['bulletins/2023/12/v1/bulletin.pdf', 6],
      ['bulletins/2023/12/v1/depts/fgw.pdf', 10],
    ]);
    expect(stored.manifest.files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await archive.list('2023-12')).map((v) => v.manifest.version)).toEqual([1]);
  });

  it('never overwrites a version folder', async () => {
    // Prepare
    const archive = new ObjectStoreArchive(new MemoryObjectStore(), BUCKET);
    await archive.writeVersion(manifestContent(1), files('a'));

    // Act
    const second = archive.writeVersion(manifestContent(1), files('b'));

    // Assess
    await expect(second).rejects.toBeInstanceOf(ObjectExistsError);
    const got = await archive.get('2023-12', 1);
    expect(new TextDecoder().decode(got.files[0]?.body)).toBe('%PDF a');
  });

  it('ignores a folder without a manifest in list and get', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const archive = new ObjectStoreArchive(store, BUCKET);
    await archive.writeVersion(manifestContent(1), files('a'));
    await store.put(BUCKET, 'bulletins/2023/12/v2/bulletin.pdf', '%PDF half');

    // Act
    const listed = await archive.list();
    const latest = await archive.get('2023-12');

    // Assess
    expect(listed.map((v) => v.manifest.version)).toEqual([1]);
    expect(latest.stored.manifest.version).toBe(1);
  });

  it('writes a seal once: the same bytes again are a no-op, other bytes are refused', async () => {
    // Prepare
    const archive = new ObjectStoreArchive(new MemoryObjectStore(), BUCKET);
    const seal = sealFixture();

    // Act
    await archive.writeSeal(seal);
    await archive.writeSeal(seal);
    const other = archive.writeSeal({ ...seal, sealedAt: '2024-02-01T00:00:00.000Z' });

    // Assess
    await expect(other).rejects.toBeInstanceOf(ObjectExistsError);
  });

  it('rejects a malformed period as input', async () => {
    // Prepare
    const archive = new ObjectStoreArchive(new MemoryObjectStore(), BUCKET);

    // Act
    const result = archive.list('2023-13');

    // Assess
    await expect(result).rejects.toThrow(/YYYY-MM/);
  });
});

describe('archive records read back', () => {
  it('refuses a manifest that lost a field, naming its key', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const archive = new ObjectStoreArchive(store, BUCKET);
    const stored = await archive.writeVersion(manifestContent(1), files('a'));
    const { files: _files, ...broken } = stored.manifest;
    store.objects.set(`${BUCKET}/${stored.manifestKey}`, {
      body: new TextEncoder().encode(JSON.stringify(broken)),
    });

    // Act
    const read = archive.readManifest('2023-12', 1);

    // Assess
    await expect(read).rejects.toBeInstanceOf(CorruptRecordError);
    await expect(read).rejects.toThrow(/bulletins\/2023\/12\/v1\/manifest\.json.*files/);
  });

  it('parses a receipt as written and refuses one that is not JSON, naming its key', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const receipt = buildReceipt({
      status: 'accepted',
      dept: 'fgw',
      period: '2023-06',
      version: 1,
      problems: [],
      rows: 3,
      values: 3,
      source: {
        bucket: 'u',
        key: 'incoming/fgw/2023-06/a.xlsx',
        sha256: 'e'.repeat(64),
        size: 9,
        receivedAt: 't',
        uploader: 'fgw',
      },
      objects: { raw: 'raw/x.xlsx', receipt: 'receipts/r.json', annotated: null, quarantine: null },
    });
    await store.put('u', 'receipts/ok.json', JSON.stringify(receipt));
    await store.put('u', 'receipts/torn.json', '{"status": "acc');

    // Act
    const ok = await readReceipt(store, 'u', 'receipts/ok.json');
    const missing = await readReceipt(store, 'u', 'receipts/none.json');
    const torn = readReceipt(store, 'u', 'receipts/torn.json');

    // Assess
    expect(ok).toEqual(receipt);
    expect(missing).toBeUndefined();
    await expect(torn).rejects.toThrow(new CorruptRecordError('receipts/torn.json', 'not JSON'));
  });
});
