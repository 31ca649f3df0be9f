import { describe, expect, it } from 'vitest';
import { isSealed } from '../../../functions/core/archive/chain.ts';
import {
  ChainNotInitialisedError,
  reserveLink,
  sealArchived,
} from '../../../functions/use-cases/archive/chain-link.ts';
import { issueBulletin } from '../../../functions/use-cases/bulletin/issue-bulletin.ts';
import { PhaseTimeoutError } from '../../../functions/use-cases/bulletin/phase-deadline.ts';
import { manifestContent, pdfFile } from '../../support/archive-manifest.ts';
import { issuedArchive, memoryArchive } from './memory-archive.ts';

const timing = (overrides: Partial<{ leaseMs: number; deadlineMs: number }> = {}) => ({
  leaseMs: 60_000,
  pollMs: 1,
  signal: new AbortController().signal,
  deadlineMs: 1_000,
  ...overrides,
});

describe('making links of the chain', () => {
  it('numbers links in issue order across periods, each naming the last sealed one', async () => {
    // Act
    const a = await issuedArchive();
    const links = await a.stores.chain.links();

    // Assess
    expect(links.map((l) => [l.seq, l.period, l.version, l.prevSeq])).toEqual([
      [1, '2023-05', 1, null],
      [2, '2023-06', 1, 1],
      [3, '2023-06', 2, 2],
    ]);
    expect(links.every(isSealed)).toBe(true);
    expect(links[2]?.prevManifestSha256).toBe(links[1]?.seal?.manifestSha256);
  });

  it('of two concurrent runs for different periods, each gets its own number', async () => {
    // Prepare
    const a = memoryArchive();
    await a.submit(6);

    // Act
    const [may, june] = await Promise.all([
      issueBulletin(a.deps, '2023-05'),
      issueBulletin(a.deps, '2023-06'),
    ]);

    // Assess
    expect([may.chain?.seq, june.chain?.seq].sort()).toEqual([1, 2]);
    expect((await a.verify()).findings).toEqual([]);
  });

  it('waits while a live run holds the head, and times out with the claim phase', async () => {
    // Prepare
    const a = await issuedArchive();
    await a.stores.chain.reserve({
      seq: 4,
      prevSeq: 3,
      prevManifestSha256: 'a'.repeat(64),
      period: '2023-07',
      version: 1,
      reservedAt: a.deps.clock().toISOString(),
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);

    // Act
    const waiting = reserveLink(
      a.deps,
      { period: '2023-08', version: 1 },
      { ...timing(), signal: controller.signal },
    );

    // Assess
    await expect(waiting).rejects.toBeInstanceOf(PhaseTimeoutError);
  });

  it('passes over a dead run’s reservation, naming the last sealed link; verify explains the gap', async () => {
    // Prepare
    const a = await issuedArchive();
    await a.stores.chain.reserve({
      seq: 4,
      prevSeq: 3,
      prevManifestSha256: (await a.stores.chain.links())[2]?.seal?.manifestSha256 ?? null,
      period: '2023-06',
      version: 3,
      reservedAt: a.deps.clock().toISOString(),
    });
    a.advance(120_000);

    // Act
    const link = await reserveLink(a.deps, { period: '2023-07', version: 1 }, timing());
    const v = await a.verify();

    // Assess
    expect(link).toMatchObject({ seq: 5, prevSeq: 3 });
    expect(v.notes.some((n) => n.includes('chain #4') && n.includes('passes over it'))).toBe(true);
  });

  it('finishes the seal of a run that archived its manifest and died', async () => {
    // Prepare
    const a = await issuedArchive();
    a.stores.seals.delete(3);
    a.remove('bulletins/2023/06/v2/seal.json');
    const unsigned = await a.verify();

    // Act
    const stored = await a.deps.archive.readManifest('2023-06', 2);
    if (!stored) throw new Error('manifest expected');
    const sealed = await sealArchived(a.deps, stored);
    const after = await a.verify();

    // Assess
    expect(unsigned.findings.map((f) => f.kind)).toEqual(['UNSIGNED']);
    expect(sealed?.seq).toBe(3);
    expect(after.findings).toEqual([]);
  });

  it('refuses to start a chain on an archive that predates it', async () => {
    // Prepare
    const a = memoryArchive();
    await a.deps.archive.writeVersion(manifestContent(1), [pdfFile('bulletin.pdf', '%PDF old')]);

    // Act
    const reserved = reserveLink(a.deps, { period: '2024-01', version: 1 }, timing());

    // Assess
    await expect(reserved).rejects.toBeInstanceOf(ChainNotInitialisedError);
    await expect(reserved).rejects.toThrow(/duban archive chain --init/);
  });
});
