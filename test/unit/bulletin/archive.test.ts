import { describe, expect, it } from 'vitest';
import { BulletinArchive } from '../../../functions/adapters/archive.ts';
import { ObjectExistsError } from '../../../functions/core/errors.ts';
import { manifestContent, pdfFile } from '../../support/archive-manifest.ts';
import { MemoryObjectStore } from './memory-object-store.ts';

const BUCKET = 'archive';

const files = (tag: string) => [
  pdfFile('bulletin.pdf', `%PDF ${tag}`),
  pdfFile('depts/fgw.pdf', `%PDF fgw ${tag}`),
];

describe('BulletinArchive', () => {
  it('writes files then the manifest with sha256 and size of each', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const archive = new BulletinArchive(store, BUCKET);

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
    const archive = new BulletinArchive(new MemoryObjectStore(), BUCKET);
    await archive.writeVersion(manifestContent(1), files('a'));

    // Act
    const second = archive.writeVersion(manifestContent(1), files('b'));

    // Assess
    await expect(second).rejects.toBeInstanceOf(ObjectExistsError);
    const got = await archive.get('2023-12', 1);
    expect(new TextDecoder().decode(got.files[0]?.body)).toBe('%PDF a');
  });

  it('ignores a folder without a manifest in list and get, and reports it as unfinished in verify', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const archive = new BulletinArchive(store, BUCKET);
    await archive.writeVersion(manifestContent(1), files('a'));
    await store.put(BUCKET, 'bulletins/2023/12/v2/bulletin.pdf', '%PDF half');

    // Act
    const listed = await archive.list();
    const latest = await archive.get('2023-12');
    const report = await archive.verify();

    // Assess
    expect(listed.map((v) => v.manifest.version)).toEqual([1]);
    expect(latest.stored.manifest.version).toBe(1);
    expect(report.problems).toEqual([]);
    expect(report.unfinished).toEqual(['bulletins/2023/12/v2/']);
  });

  it('verify names an object with a changed byte, a missing object and an unlisted one', async () => {
    // Prepare
    const store = new MemoryObjectStore();
    const archive = new BulletinArchive(store, BUCKET);
    await archive.writeVersion(manifestContent(1), files('a'));
    await archive.writeVersion(manifestContent(2), files('b'));
    const pdf = store.objects.get(`${BUCKET}/bulletins/2023/12/v1/bulletin.pdf`);
    if (pdf) pdf.body[1] = (pdf.body[1] ?? 0) ^ 1;
    store.objects.delete(`${BUCKET}/bulletins/2023/12/v2/depts/fgw.pdf`);
    await store.put(BUCKET, 'bulletins/2023/12/v2/extra.pdf', 'x');

    // Act
    const report = await archive.verify();

    // Assess
    expect(report.versions).toBe(2);
    expect(report.objectsChecked).toBe(4);
    expect(report.problems.map((p) => [p.key, p.kind])).toEqual([
      ['bulletins/2023/12/v1/bulletin.pdf', 'sha256-mismatch'],
      ['bulletins/2023/12/v2/depts/fgw.pdf', 'missing'],
      ['bulletins/2023/12/v2/extra.pdf', 'unlisted'],
    ]);
  });

  it('rejects a malformed period as input', async () => {
    // Prepare
    const archive = new BulletinArchive(new MemoryObjectStore(), BUCKET);

    // Act
    const result = archive.list('2023-13');

    // Assess
    await expect(result).rejects.toThrow(/YYYY-MM/);
  });
});
