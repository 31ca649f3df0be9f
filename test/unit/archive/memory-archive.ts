import { ObjectStoreArchive } from '../../../functions/adapters/archive.ts';
import { Ed25519Signer } from '../../../functions/adapters/signing/ed25519-key.ts';
import type { Submission } from '../../../functions/core/submission.ts';
import {
  type VerifyArchiveDeps,
  verifyArchive,
} from '../../../functions/use-cases/archive/verify-archive.ts';
import {
  type IssueBulletinDeps,
  issueBulletin,
} from '../../../functions/use-cases/bulletin/issue-bulletin.ts';
import type { PdfRenderer } from '../../../functions/use-cases/ports/bulletin.ts';
import {
  seedCatalog,
  seedCatalogVersion,
  seedCorrection,
  seedSubmissions,
} from '../../fixtures/bulletin/seed-inputs.ts';
import { packageCalendar } from '../../support/calendar.ts';
import { MemoryObjectStore } from '../bulletin/memory-object-store.ts';
import { memoryStores } from '../bulletin/memory-stores.ts';

/**
 * An archive built by the real bulletin use case on in-memory ports: fake PDFs and workbook
 * (their bytes name the document), the seed submissions with their originals in raw/ (each
 * original is the text the fixture hashed, so it hashes to its name), a real Ed25519 key.
 */

export const ARCHIVE = 'archive';
export const UPLOADS = 'uploads';

const fakePdf = (): PdfRenderer => ({
  renderBulletin: async (m) => ({
    pdf: new TextEncoder().encode(`%PDF ${m.period} v${m.version} #${m.chain?.seq}`),
    pages: 1,
  }),
  renderDepartment: async (m, dept) => ({
    pdf: new TextEncoder().encode(`%PDF ${dept} ${m.period} v${m.version}`),
    pages: 1,
  }),
  close: async () => {},
});

export function rawBody(s: Submission): string {
  return JSON.stringify([s.dept, s.period, s.version, s.values]);
}

export function memoryArchive() {
  const catalog = seedCatalog();
  const stores = memoryStores(seedCatalogVersion(catalog));
  const objects = new MemoryObjectStore();
  const signer = Ed25519Signer.generate();
  const subs = seedSubmissions(catalog, 6);
  let now = new Date('2023-02-05T00:00:00.000Z');
  const deps: IssueBulletinDeps = {
    ...stores,
    archive: new ObjectStoreArchive(objects, ARCHIVE),
    signer,
    createPdfRenderer: fakePdf,
    renderWorkbook: async (m) => new TextEncoder().encode(`xlsx ${m.period} v${m.version}`),
    mailer: { send: async () => ({ messageId: '<m@test>', location: 'outbox/m.eml' }) },
    clock: () => now,
    generatorVersion: 'duban test',
    recipients: { leaders: ['leader@example.org'] },
    pollMs: 1,
    calendar: packageCalendar(),
    links: { link: async (key, ttl) => `https://links.test/${key}?X-Amz-Expires=${ttl}` },
  };
  const addSubmission = async (s: Submission) => {
    await stores.submissions.put(s);
    await objects.put(UPLOADS, s.rawKey, rawBody(s));
  };
  const verifyDeps: VerifyArchiveDeps = {
    objects,
    archiveBucket: ARCHIVE,
    uploadsBucket: UPLOADS,
    key: signer,
    records: {
      chain: stores.chain,
      ledger: stores.ledger,
      audit: stores.audit,
      submissions: stores.submissions,
    },
  };
  return {
    catalog,
    stores,
    objects,
    signer,
    deps,
    verifyDeps,
    /** Months 1..upTo of the seed submissions, each with its original in raw/. */
    async submit(upTo: number) {
      for (const s of subs.filter((x) => Number(x.period.slice(5)) <= upTo)) await addSubmission(s);
    },
    /** 文旅局 corrects June (a new submission version). */
    async correctJune() {
      await addSubmission(seedCorrection(catalog, subs));
    },
    async issue(period: string) {
      now = new Date(now.getTime() + 86_400_000);
      return issueBulletin(deps, period);
    },
    verify: (options: { period?: string } = {}) => verifyArchive(verifyDeps, options),
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    bytes: (key: string) => objects.objects.get(`${ARCHIVE}/${key}`)?.body,
    text: (key: string) => new TextDecoder().decode(objects.objects.get(`${ARCHIVE}/${key}`)?.body),
    /** Replaces an archived object's bytes, as someone with write access to the bucket could. */
    overwrite(key: string, body: Uint8Array | string, bucket = ARCHIVE) {
      const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
      objects.objects.set(`${bucket}/${key}`, { body: bytes });
    },
    remove(key: string, bucket = ARCHIVE) {
      objects.objects.delete(`${bucket}/${key}`);
    },
  };
}

export type MemoryArchive = ReturnType<typeof memoryArchive>;

/** Three monthly bulletins and a re-issue: 2023-05 v1, 06 v1, 06 v2 (correction), then nothing else. */
export async function issuedArchive(): Promise<MemoryArchive> {
  const a = memoryArchive();
  await a.submit(6);
  await a.issue('2023-05');
  await a.issue('2023-06');
  await a.correctJune();
  await a.issue('2023-06');
  return a;
}
