import { createHash } from 'node:crypto';
import { type SealDocument, sealBytes } from '../core/archive/chain.ts';
import {
  type BulletinManifest,
  MANIFEST_SCHEMA,
  type ManifestContent,
  type ManifestFile,
  manifestSchema,
} from '../core/bulletin/manifest.ts';
import { InputRejectedError, NotFoundError, ObjectExistsError } from '../core/errors.ts';
import { parseStoredJson } from '../core/stored-record.ts';
import { PERIOD_PATTERN } from '../core/submission.ts';
import { keys } from '../shared/storage-keys.ts';
import type { ArchiveFile, BulletinArchive, StoredVersion } from '../use-cases/ports/bulletin.ts';
import type { ObjectStore } from '../use-cases/ports/storage.ts';

/**
 * The bulletin archive on an object store: bulletins/<YYYY>/<MM>/v<N>/ holding bulletin.pdf,
 * bulletin.xlsx, depts/<dept>.pdf, then manifest.json, then seal.json (the signed chain link).
 * Every object is put with ifNoneMatch (never overwritten) and the manifest follows the files,
 * so a folder without a manifest is an unfinished run and is not a version: list/get ignore
 * it; verify (use-cases/archive) accounts for it.
 */

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function assertPeriod(period: string): void {
  if (!PERIOD_PATTERN.test(period)) {
    throw new InputRejectedError(`期间格式应为 YYYY-MM / period must be YYYY-MM, got "${period}"`);
  }
}

export class ObjectStoreArchive implements BulletinArchive {
  constructor(
    private readonly store: ObjectStore,
    private readonly bucket: string,
  ) {}

  folder(period: string, version: number): string {
    return keys.bulletinFolder(period, version);
  }

  manifestKey(period: string, version: number): string {
    return keys.bulletinManifest(period, version);
  }

  /**
   * Writes the files of a version. Throws ObjectExistsError if any key is already there: the
   * caller fenced the version number, so that means a bug or a takeover.
   */
  async writeFiles(period: string, version: number, files: readonly ArchiveFile[]): Promise<ManifestFile[]> {
    const folder = keys.bulletinFolder(period, version);
    const written: ManifestFile[] = [];
    for (const f of files) {
      const key = `${folder}${f.name}`;
      const digest = await this.store.put(this.bucket, key, f.body, {
        contentType: f.contentType,
        ifNoneMatch: true,
      });
      written.push({
        name: f.name,
        key,
        sha256: digest,
        size: f.body.byteLength,
        contentType: f.contentType,
      });
    }
    return written;
  }

  async writeManifest(content: ManifestContent, files: readonly ManifestFile[]): Promise<StoredVersion> {
    const folder = keys.bulletinFolder(content.period, content.version);
    const manifest: BulletinManifest = { schema: MANIFEST_SCHEMA, ...content, folder, files };
    const manifestKey = this.manifestKey(content.period, content.version);
    const manifestSha256 = await this.store.put(
      this.bucket,
      manifestKey,
      `${JSON.stringify(manifest, null, 2)}\n`,
      { contentType: 'application/json', ifNoneMatch: true },
    );
    return { manifest, manifestKey, manifestSha256 };
  }

  async writeVersion(content: ManifestContent, files: readonly ArchiveFile[]): Promise<StoredVersion> {
    return this.writeManifest(content, await this.writeFiles(content.period, content.version, files));
  }

  /** A retry writes the same bytes (the ledger keeps the first seal); those are left as they are. */
  async writeSeal(seal: SealDocument): Promise<void> {
    const key = keys.bulletinSeal(seal.period, seal.version);
    const bytes = sealBytes(seal);
    try {
      await this.store.put(this.bucket, key, bytes, { contentType: 'application/json', ifNoneMatch: true });
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
      const stored = new TextDecoder().decode(await this.store.get(this.bucket, key));
      if (stored !== bytes) throw error;
    }
  }

  async readManifest(period: string, version: number): Promise<StoredVersion | undefined> {
    const manifestKey = this.manifestKey(period, version);
    if (!(await this.store.head(this.bucket, manifestKey))) return undefined;
    const bytes = await this.store.get(this.bucket, manifestKey);
    return { manifest: parseManifest(bytes, manifestKey), manifestKey, manifestSha256: sha256(bytes) };
  }

  /** Completed versions, oldest first (optionally of one period). */
  async list(period?: string): Promise<StoredVersion[]> {
    if (period) assertPeriod(period);
    const objects = await this.store.list(this.bucket, keys.bulletinsOf(period));
    const found = objects
      .map((o) => keys.parseBulletinManifest(o.key))
      .filter((m) => m !== undefined)
      .sort((a, b) => a.period.localeCompare(b.period) || a.version - b.version);
    const out: StoredVersion[] = [];
    for (const f of found) {
      const v = await this.readManifest(f.period, f.version);
      if (v) out.push(v);
    }
    return out;
  }

  /** The given version, or the latest completed one; throws NotFoundError when there is none. */
  async get(
    period: string,
    version?: number,
  ): Promise<{
    stored: StoredVersion;
    manifestBytes: Uint8Array;
    files: { file: ManifestFile; body: Uint8Array | undefined }[];
  }> {
    assertPeriod(period);
    const wanted = version ?? (await this.list(period)).at(-1)?.manifest.version;
    const manifestKey = wanted === undefined ? undefined : this.manifestKey(period, wanted);
    if (wanted === undefined || !manifestKey || !(await this.store.head(this.bucket, manifestKey))) {
      throw new NotFoundError(
        `没有${period}${version ? ` 第${version}版` : ''}的通报 / no bulletin for ${period}${version ? ` version ${version}` : ''}`,
      );
    }
    const manifestBytes = await this.store.get(this.bucket, manifestKey);
    const stored = {
      manifest: parseManifest(manifestBytes, manifestKey),
      manifestKey,
      manifestSha256: sha256(manifestBytes),
    };
    const files = [];
    for (const file of stored.manifest.files) {
      const present = await this.store.head(this.bucket, file.key);
      files.push({ file, body: present ? await this.store.get(this.bucket, file.key) : undefined });
    }
    return { stored, manifestBytes, files };
  }
}

/** Throws CorruptRecordError naming the key when the object is not a manifest duban wrote. */
export function parseManifest(bytes: Uint8Array, key: string): BulletinManifest {
  return parseStoredJson(manifestSchema, new TextDecoder().decode(bytes), key);
}
