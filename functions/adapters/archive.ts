import { createHash } from 'node:crypto';
import {
  type BulletinManifest,
  MANIFEST_SCHEMA,
  type ManifestContent,
  type ManifestFile,
  manifestSchema,
} from '../core/bulletin/manifest.ts';
import { CorruptRecordError, InputRejectedError, NotFoundError } from '../core/errors.ts';
import { parseStoredJson } from '../core/stored-record.ts';
import { PERIOD_PATTERN } from '../core/submission.ts';
import { keys } from '../shared/storage-keys.ts';
import type {
  ArchiveFile,
  BulletinArchive,
  StoredVersion,
  VerifyProblem,
  VerifyReport,
} from '../use-cases/ports/bulletin.ts';
import type { ObjectStore } from '../use-cases/ports/storage.ts';

/**
 * The bulletin archive on an object store: bulletins/<YYYY>/<MM>/v<N>/ holding bulletin.pdf,
 * bulletin.xlsx, depts/<dept>.pdf and manifest.json. Every object is put with ifNoneMatch
 * (never overwritten) and the manifest goes last, so a folder without a manifest is an
 * unfinished run and is not a version: list/get ignore it; verify mentions it.
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
   * Writes the files of a version, then its manifest. Throws ObjectExistsError if any key is
   * already there: the caller fenced the version number, so that means a bug or a takeover.
   */
  async writeVersion(content: ManifestContent, files: readonly ArchiveFile[]): Promise<StoredVersion> {
    const folder = keys.bulletinFolder(content.period, content.version);
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
    const manifest: BulletinManifest = { schema: MANIFEST_SCHEMA, ...content, folder, files: written };
    const manifestKey = this.manifestKey(content.period, content.version);
    const manifestSha256 = await this.store.put(
      this.bucket,
      manifestKey,
      `${JSON.stringify(manifest, null, 2)}\n`,
      {
        contentType: 'application/json',
        ifNoneMatch: true,
      },
    );
    return { manifest, manifestKey, manifestSha256 };
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
  ): Promise<{ stored: StoredVersion; files: { file: ManifestFile; body: Uint8Array }[] }> {
    assertPeriod(period);
    let stored: StoredVersion | undefined;
    if (version === undefined) stored = (await this.list(period)).at(-1);
    else stored = await this.readManifest(period, version);
    if (!stored) {
      throw new NotFoundError(
        `没有${period}${version ? ` 第${version}版` : ''}的通报 / no bulletin for ${period}${version ? ` version ${version}` : ''}`,
      );
    }
    const files = [];
    for (const file of stored.manifest.files) {
      files.push({ file, body: await this.store.get(this.bucket, file.key) });
    }
    return { stored, files };
  }

  /** Recomputes the sha256 and size of every object named by every manifest. */
  async verify(period?: string): Promise<VerifyReport> {
    if (period) assertPeriod(period);
    const objects = await this.store.list(this.bucket, keys.bulletinsOf(period));
    const present = new Set(objects.map((o) => o.key));
    const manifestKeys = objects.map((o) => o.key).filter((k) => keys.parseBulletinManifest(k) !== undefined);
    const problems: VerifyProblem[] = [];
    const covered = new Set<string>();
    let checked = 0;
    for (const manifestKey of manifestKeys) {
      covered.add(manifestKey);
      let manifest: BulletinManifest;
      try {
        manifest = parseManifest(await this.store.get(this.bucket, manifestKey), manifestKey);
      } catch (error) {
        if (!(error instanceof CorruptRecordError)) throw error;
        problems.push({ key: manifestKey, kind: 'bad-manifest', actual: error.reason });
        continue;
      }
      for (const file of manifest.files) {
        covered.add(file.key);
        checked += 1;
        if (!present.has(file.key)) {
          problems.push({ key: file.key, kind: 'missing', expected: file.sha256 });
          continue;
        }
        const body = await this.store.get(this.bucket, file.key);
        const actual = sha256(body);
        if (actual !== file.sha256)
          problems.push({ key: file.key, kind: 'sha256-mismatch', expected: file.sha256, actual });
        else if (body.byteLength !== file.size) {
          problems.push({
            key: file.key,
            kind: 'size-mismatch',
            expected: String(file.size),
            actual: String(body.byteLength),
          });
        }
      }
    }
    const manifestFolders = new Set(manifestKeys.map((k) => keys.bulletinFolderOf(k)));
    const unfinished = new Set<string>();
    for (const o of objects) {
      if (covered.has(o.key)) continue;
      const folder = keys.bulletinFolderOf(o.key);
      // An object inside a completed version that its manifest does not name was added later.
      if (manifestFolders.has(folder)) problems.push({ key: o.key, kind: 'unlisted' });
      else unfinished.add(folder);
    }
    return {
      versions: manifestKeys.length,
      objectsChecked: checked,
      problems,
      unfinished: [...unfinished].sort(),
    };
  }
}

/** Throws CorruptRecordError naming the key when the object is not a manifest duban wrote. */
function parseManifest(bytes: Uint8Array, key: string): BulletinManifest {
  return parseStoredJson(manifestSchema, new TextDecoder().decode(bytes), key);
}
