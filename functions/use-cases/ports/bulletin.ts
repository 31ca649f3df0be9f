import type { SealDocument } from '../../core/archive/chain.ts';
import type { BulletinModel } from '../../core/bulletin/bulletin-model.ts';
import type {
  ArchivedEntry,
  BulletinClaim,
  BulletinRun,
  DeliveredEntry,
} from '../../core/bulletin/bulletin-run.ts';
import type { BulletinManifest, ManifestContent, ManifestFile } from '../../core/bulletin/manifest.ts';

/**
 * Bulletin ports: the ledger of runs, the archive, the renderers and the mail. Implemented by
 * functions/adapters; the bulletin run, the monthly check, the CLI and the portal use them.
 */

/** The one record of what happened to each bulletin version (core/bulletin/bulletin-run.ts). */
export interface BulletinLedger {
  /** Takes the version for a run; throws VersionConflictError when another run took it first. */
  claim(claim: BulletinClaim): Promise<void>;
  /** Records that the version's manifest is archived; repeating it changes nothing. */
  archived(period: string, version: number, entry: ArchivedEntry): Promise<void>;
  /** Records that the leaders' mail went out; repeating it changes nothing. */
  delivered(period: string, version: number, entry: DeliveredEntry): Promise<void>;
  /** Every claimed version of the period with its state, oldest first. */
  runs(period: string): Promise<BulletinRun[]>;
}

/** A file of a version, before it is archived. */
export interface ArchiveFile {
  /** Path inside the version folder, e.g. bulletin.pdf or depts/fgw.pdf. */
  readonly name: string;
  readonly body: Uint8Array;
  readonly contentType: string;
}

export interface StoredVersion {
  readonly manifest: BulletinManifest;
  readonly manifestKey: string;
  readonly manifestSha256: string;
}

/**
 * The archive of issued bulletins: a version is its files plus a manifest written after them,
 * then its seal (the signed chain link), so a folder without a manifest is not a version.
 * Nothing in it is ever overwritten.
 */
export interface BulletinArchive {
  folder(period: string, version: number): string;
  /** Writes the files of a version; throws ObjectExistsError if any key is already there. */
  writeFiles(period: string, version: number, files: readonly ArchiveFile[]): Promise<ManifestFile[]>;
  /** Writes the manifest of files already written; throws ObjectExistsError if it exists. */
  writeManifest(content: ManifestContent, files: readonly ManifestFile[]): Promise<StoredVersion>;
  /** writeFiles then writeManifest. */
  writeVersion(content: ManifestContent, files: readonly ArchiveFile[]): Promise<StoredVersion>;
  /** Writes the version's seal.json; the same bytes again are a no-op, other bytes ObjectExistsError. */
  writeSeal(seal: SealDocument): Promise<void>;
  /** The version's manifest, or undefined while it has none. */
  readManifest(period: string, version: number): Promise<StoredVersion | undefined>;
  /** Completed versions, oldest first (optionally of one period). */
  list(period?: string): Promise<StoredVersion[]>;
  /**
   * The given version, or the latest completed one, with its manifest's bytes as stored and
   * each file's bytes (undefined when the object is gone); NotFoundError when there is no
   * such version. Nothing is checked here: use-cases/archive/fetch-version.ts does that.
   */
  get(
    period: string,
    version?: number,
  ): Promise<{
    stored: StoredVersion;
    manifestBytes: Uint8Array;
    files: { file: ManifestFile; body: Uint8Array | undefined }[];
  }>;
}

export interface RenderedPdf {
  readonly pdf: Uint8Array;
  readonly pages: number;
}

export interface PdfRenderer {
  renderBulletin(model: BulletinModel): Promise<RenderedPdf>;
  /** The department's own slice: only the indicators it leads. */
  renderDepartment(model: BulletinModel, deptId: string): Promise<RenderedPdf>;
  close(): Promise<void>;
}

/** The Excel edition of the bulletin (sheet 指标进度 is a contract, docs/data-model.md). */
export type BulletinWorkbookRenderer = (model: BulletinModel) => Promise<Uint8Array>;

/** Time-limited download links to archived files (an S3 presigned GET). */
export interface ArchiveLinks {
  /** A URL that reads the object without credentials until it expires. */
  link(key: string, expiresInSeconds: number): Promise<string>;
}

export interface MailAttachment {
  readonly filename: string;
  readonly content: Uint8Array;
  readonly contentType: string;
}

/**
 * A mail as the use cases write it. The mailer sets From and Reply-To from configuration and
 * keeps every header on one line: a name or subject that came from a catalog or a department's
 * note can never add a header.
 */
export interface MailMessage {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly attachments?: readonly MailAttachment[];
}

export interface SentMail {
  /** Message-ID of the composed mail. */
  readonly messageId: string;
  /** Where it went: the .eml path locally, the SES message id in AWS. */
  readonly location: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<SentMail>;
}
