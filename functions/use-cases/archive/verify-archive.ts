import type { BulletinArchive, VerifyReport } from '../ports/bulletin.ts';
import type { RawArchive, RawVerifyReport } from './raw-uploads.ts';

export interface ArchiveVerification {
  /** True when every bulletin file matches its manifest and every raw upload its sha256. */
  readonly ok: boolean;
  readonly bulletins: VerifyReport;
  readonly raw: RawVerifyReport;
}

/**
 * The auditor's check, for the CLI and the portal alike: every archived bulletin against its
 * manifest, every raw upload against the sha256 it is named by and its submissions recorded.
 */
export async function verifyArchive(
  deps: { readonly archive: BulletinArchive; readonly raw: RawArchive },
  period?: string,
): Promise<ArchiveVerification> {
  const bulletins = await deps.archive.verify(period);
  const raw = await deps.raw.verify(period);
  return { ok: bulletins.problems.length === 0 && raw.problems.length === 0, bulletins, raw };
}
