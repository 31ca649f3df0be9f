import { describe, expect, it } from 'vitest';
import { Ed25519Signer } from '../../../functions/adapters/signing/ed25519-key.ts';
import { sealBytes, sealDocument, statementOf } from '../../../functions/core/archive/chain.ts';
import { sha256Hex } from '../../../functions/core/archive/digest.ts';
import type { FindingKind } from '../../../functions/core/archive/findings.ts';
import type { ArchiveVerification } from '../../../functions/use-cases/archive/verify-archive.ts';
import { issuedArchive, type MemoryArchive, rawBody, UPLOADS } from './memory-archive.ts';

/**
 * verify on an archive the real bulletin use case built (in memory), then changed the way an
 * insider could: each change must come back as a finding of the right kind.
 */

const V1 = 'bulletins/2023/05/v1/';
const JUNE1 = 'bulletins/2023/06/v1/';
const JUNE2 = 'bulletins/2023/06/v2/';

const kinds = (v: ArchiveVerification) => [...new Set(v.findings.map((f) => f.kind))].sort();
const has = (v: ArchiveVerification, kind: FindingKind, key: string) =>
  v.findings.some((f) => f.kind === kind && f.key === key);

function manifestOf(a: MemoryArchive, folder: string) {
  return JSON.parse(a.text(`${folder}manifest.json`)) as {
    files: { name: string; key: string; sha256: string; size: number; contentType: string }[];
    headline: string[];
    statusCounts: Record<string, number>;
  };
}

/** Rewrites a manifest (pretty JSON, as duban writes it) after `edit`. */
function rewriteManifest(a: MemoryArchive, folder: string, edit: (m: ReturnType<typeof manifestOf>) => void) {
  const m = manifestOf(a, folder);
  edit(m);
  a.overwrite(`${folder}manifest.json`, `${JSON.stringify(m, null, 2)}\n`);
}

describe('verify on an intact archive', () => {
  it('walks three sealed links and passes every check', async () => {
    // Prepare
    const a = await issuedArchive();

    // Act
    const v = await a.verify();

    // Assess
    expect(v.findings).toEqual([]);
    expect(v).toMatchObject({
      ok: true,
      mode: 'online',
      chain: { links: 3, sealed: 3, head: { seq: 3, period: '2023-06', version: 2 } },
      bulletins: { versions: 3 },
      raw: { submissionsChecked: expect.any(Number) },
      history: { checked: false },
    });
    expect(v.bulletins.objectsChecked).toBe(3 * manifestOf(a, V1).files.length);
    expect(v.summary.at(-1)).toBe('verdict: every check passed');
  });

  it('records in each manifest its place, its predecessor, the version it corrects and its sources', async () => {
    // Prepare
    const a = await issuedArchive();

    // Act
    const june2 = JSON.parse(a.text(`${JUNE2}manifest.json`));
    const june1Sha = sha256Hex(a.bytes(`${JUNE1}manifest.json`) ?? new Uint8Array());

    // Assess
    expect(june2.schema).toBe('duban-bulletin-manifest/2');
    expect(june2.chain).toEqual({
      seq: 3,
      prevSeq: 2,
      prevManifestSha256: june1Sha,
      corrects: { version: 1, manifestSha256: june1Sha },
    });
    expect(Object.keys(june2.sources)).toEqual([
      '2023-01',
      '2023-02',
      '2023-03',
      '2023-04',
      '2023-05',
      '2023-06',
    ]);
    const wlj = june2.sources['2023-06'].wlj;
    expect(wlj.key).toBe(`raw/${wlj.sha256}.xlsx`);
  });
});

describe('verify names every change to the archive by its kind', () => {
  it('CHANGED: one byte of a bulletin PDF flipped', async () => {
    const a = await issuedArchive();
    const pdf = Uint8Array.from(a.bytes(`${JUNE1}bulletin.pdf`) ?? []);
    pdf[0] = (pdf[0] ?? 0) ^ 1;
    a.overwrite(`${JUNE1}bulletin.pdf`, pdf);

    const v = await a.verify();

    expect(v.ok).toBe(false);
    expect(v.findings.map((f) => [f.kind, f.key])).toEqual([['CHANGED', `${JUNE1}bulletin.pdf`]]);
  });

  it('MISSING: a department PDF deleted', async () => {
    const a = await issuedArchive();
    a.remove(`${V1}depts/fgw.pdf`);

    const v = await a.verify();

    expect(v.findings.map((f) => [f.kind, f.key])).toEqual([['MISSING', `${V1}depts/fgw.pdf`]]);
  });

  it('MISSING: the manifest of the re-issue deleted, or its whole folder', async () => {
    const a = await issuedArchive();
    const b = await issuedArchive();
    a.remove(`${JUNE2}manifest.json`);
    for (const key of b.objects.objects.keys())
      if (key.startsWith(`archive/${JUNE2}`)) b.objects.objects.delete(key);

    const [manifestGone, folderGone] = [await a.verify(), await b.verify()];

    expect(has(manifestGone, 'MISSING', `${JUNE2}manifest.json`)).toBe(true);
    expect(has(folderGone, 'MISSING', `${JUNE2}manifest.json`)).toBe(true);
    expect(manifestGone.ok || folderGone.ok).toBe(false);
  });

  it('FORGED-MANIFEST: a PDF swapped and the manifest rewritten with its new sha256', async () => {
    const a = await issuedArchive();
    const forged = new TextEncoder().encode('%PDF forged figures');
    a.overwrite(`${JUNE1}bulletin.pdf`, forged);
    rewriteManifest(a, JUNE1, (m) => {
      const pdf = m.files.find((f) => f.name === 'bulletin.pdf');
      if (pdf) Object.assign(pdf, { sha256: sha256Hex(forged), size: forged.byteLength });
    });

    const v = await a.verify();

    expect(has(v, 'FORGED-MANIFEST', `${JUNE1}manifest.json`)).toBe(true);
    expect(kinds(v)).not.toContain('CHANGED');
  });

  it('FORGED-MANIFEST: headline and status counts rewritten', async () => {
    const a = await issuedArchive();
    rewriteManifest(a, V1, (m) => {
      m.headline = ['全部指标均达到序时进度。'];
      m.statusCounts = { 达进度: 46 };
    });

    const v = await a.verify();

    expect(kinds(v)).toEqual(['FORGED-MANIFEST']);
  });

  it("UNSAFE-NAME: a manifest entry pointing at another version's object", async () => {
    const a = await issuedArchive();
    rewriteManifest(a, JUNE2, (m) => {
      const pdf = m.files.find((f) => f.name === 'bulletin.pdf');
      const old = manifestOf(a, JUNE1).files.find((f) => f.name === 'bulletin.pdf');
      if (pdf && old) Object.assign(pdf, { key: old.key, sha256: old.sha256, size: old.size });
    });

    const v = await a.verify();

    expect(has(v, 'UNSAFE-NAME', `${JUNE1}bulletin.pdf`)).toBe(true);
    expect(has(v, 'FORGED-MANIFEST', `${JUNE2}manifest.json`)).toBe(true);
  });

  it('UNSAFE-NAME: a file name that climbs out of its folder', async () => {
    const a = await issuedArchive();
    rewriteManifest(a, V1, (m) => {
      m.files.push({
        name: '../../../../pwned.pdf',
        key: `${V1}../../../../pwned.pdf`,
        sha256: 'e'.repeat(64),
        size: 1,
        contentType: 'application/pdf',
      });
    });

    const v = await a.verify();

    expect(v.findings.filter((f) => f.kind === 'UNSAFE-NAME').map((f) => f.key)).toEqual([
      `${V1}../../../../pwned.pdf`,
    ]);
  });

  it('CHANGED: a byte of a raw upload flipped', async () => {
    const a = await issuedArchive();
    const sub = (await a.stores.submissions.latest('fgw', '2023-03')) ?? expect.fail('no fgw March');
    const raw = new TextEncoder().encode(rawBody(sub));
    raw[3] = (raw[3] ?? 0) ^ 1;
    a.overwrite(sub.rawKey, raw, UPLOADS);

    const v = await a.verify();

    expect(v.findings.map((f) => [f.kind, f.key])).toEqual([['CHANGED', sub.rawKey]]);
  });

  it('MISSING and CHANGED: a raw upload replaced by another file and the submission rewritten to its sha256', async () => {
    const a = await issuedArchive();
    const sub = (await a.stores.submissions.latest('fgw', '2023-03')) ?? expect.fail('no fgw March');
    const other = 'a different workbook';
    const otherSha = sha256Hex(other);
    a.remove(sub.rawKey, UPLOADS);
    a.overwrite(`raw/${otherSha}.xlsx`, other, UPLOADS);
    const i = a.stores.subs.indexOf(sub);
    a.stores.subs[i] = { ...sub, sourceSha256: otherSha, rawKey: `raw/${otherSha}.xlsx` };

    const v = await a.verify();

    expect(has(v, 'MISSING', sub.rawKey)).toBe(true);
    expect(has(v, 'CHANGED', 'submission fgw 2023-03 v1')).toBe(true);
  });

  it('ORPHAN: a version folder added by hand, with or without a manifest', async () => {
    const a = await issuedArchive();
    a.overwrite('bulletins/2023/06/v3/bulletin.pdf', '%PDF by hand');
    a.overwrite('bulletins/2023/07/v1/manifest.json', a.text(`${V1}manifest.json`));
    a.overwrite('bulletins/stray.pdf', '%PDF');

    const v = await a.verify();

    expect(v.findings.map((f) => [f.kind, f.key])).toEqual([
      ['ORPHAN', 'bulletins/2023/06/v3/'],
      ['ORPHAN', 'bulletins/2023/07/v1/'],
      ['ORPHAN', 'bulletins/stray.pdf'],
    ]);
  });

  it('BROKEN-CHAIN: a link deleted from the ledger', async () => {
    const a = await issuedArchive();
    a.stores.reservations.delete(2);
    a.stores.seals.delete(2);

    const v = await a.verify();

    expect(has(v, 'BROKEN-CHAIN', 'chain #3')).toBe(true);
    expect(has(v, 'ORPHAN', JUNE1)).toBe(true);
  });

  it('BROKEN-CHAIN and BAD-SIGNATURE: two links swapped in the ledger', async () => {
    const a = await issuedArchive();
    const [r1, r2] = [a.stores.reservations.get(1), a.stores.reservations.get(2)];
    const [s1, s2] = [a.stores.seals.get(1), a.stores.seals.get(2)];
    if (!r1 || !r2 || !s1 || !s2) throw new Error('links 1 and 2 expected');
    a.stores.reservations.set(1, { ...r2, seq: 1, prevSeq: null, prevManifestSha256: null });
    a.stores.reservations.set(2, { ...r1, seq: 2, prevSeq: 1, prevManifestSha256: s2.manifestSha256 });
    a.stores.seals.set(1, { ...s2, seq: 1 });
    a.stores.seals.set(2, { ...s1, seq: 2 });

    const v = await a.verify();

    expect(kinds(v)).toEqual(expect.arrayContaining(['BROKEN-CHAIN', 'BAD-SIGNATURE']));
  });

  it('BAD-SIGNATURE: a link re-signed by another key, in the ledger and beside the manifest', async () => {
    const a = await issuedArchive();
    const other = Ed25519Signer.generate();
    const link = (await a.stores.chain.links())[1];
    if (!link?.seal) throw new Error('link 2 expected');
    const seal = { ...link.seal, signature: await other.sign(statementOf('default', link, link.seal)) };
    a.stores.seals.set(2, seal);
    a.overwrite(`${JUNE1}seal.json`, sealBytes(sealDocument('default', { ...link, seal })));

    const v = await a.verify();

    expect(v.findings.filter((f) => f.kind === 'BAD-SIGNATURE').map((f) => f.key)).toEqual([
      'bulletins/2023/06/v1/seal.json',
      'chain #2',
    ]);
  });

  it('BAD-SIGNATURE: an insider with table and bucket access rewrites a manifest and its link', async () => {
    const a = await issuedArchive();
    rewriteManifest(a, V1, (m) => {
      m.headline = ['forged'];
    });
    const forgedSha = sha256Hex(a.bytes(`${V1}manifest.json`) ?? new Uint8Array());
    const seal = a.stores.seals.get(1);
    if (!seal) throw new Error('seal 1 expected');
    a.stores.seals.set(1, { ...seal, manifestSha256: forgedSha });

    const v = await a.verify();

    expect(has(v, 'BAD-SIGNATURE', 'chain #1')).toBe(true);
    expect(has(v, 'BROKEN-CHAIN', 'chain #2')).toBe(true);
    expect(has(v, 'FORGED-MANIFEST', `${V1}manifest.json`)).toBe(true);
  });

  it('UNSIGNED: a seal removed from beside its manifest', async () => {
    const a = await issuedArchive();
    a.remove(`${V1}seal.json`);

    const v = await a.verify();

    expect(v.findings.map((f) => [f.kind, f.key])).toEqual([['UNSIGNED', `${V1}seal.json`]]);
  });

  it('checks only one period’s files with --period, but still the whole chain', async () => {
    const a = await issuedArchive();
    a.remove(`${V1}depts/fgw.pdf`);
    a.stores.seals.set(3, {
      ...(a.stores.seals.get(3) ?? expect.fail('seal 3')),
      inputsHash: 'f'.repeat(64),
    });

    const june = await a.verify({ period: '2023-06' });

    expect(has(june, 'MISSING', `${V1}depts/fgw.pdf`)).toBe(false);
    expect(has(june, 'BAD-SIGNATURE', 'chain #3')).toBe(true);
    expect(june.bulletins.versions).toBe(2);
  });
});
