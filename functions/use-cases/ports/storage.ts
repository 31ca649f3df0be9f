import type { AuditEvent } from '../../core/audit-event.ts';
import type { Catalog, CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import type { Submission } from '../../core/submission.ts';

/**
 * Storage ports: what the use cases need from the table and the buckets. Implemented by
 * functions/adapters (DynamoDB, S3); tests pass in-memory fakes with the same conditional-write
 * semantics.
 */

export interface CatalogStore {
  /** Stores a new version unless the latest has the same content; never overwrites. */
  put(catalog: Catalog, now: Date): Promise<{ version: CatalogVersion; unchanged: boolean }>;
  /** The given version, or the latest when version is omitted. */
  get(year: number, version?: number): Promise<CatalogVersion | undefined>;
  list(year: number): Promise<CatalogVersion[]>;
}

export interface SubmissionStore {
  /** Conditional put: throws VersionConflictError when that version already exists. */
  put(submission: Submission): Promise<void>;
  latest(dept: string, period: string): Promise<Submission | undefined>;
  versions(dept: string, period: string): Promise<Submission[]>;
  /** Latest version of every department that reported for the period. */
  latestForPeriod(period: string): Promise<Submission[]>;
  /** Every version of every department for the period (corrections history). */
  allForPeriod(period: string): Promise<Submission[]>;
}

/** A SubmissionStore that can also say which periods hold submissions (audits read every period). */
export interface SubmissionHistory extends SubmissionStore {
  /** Every period with at least one submission version, oldest first. */
  periods(): Promise<string[]>;
}

export interface AuditLog {
  /** Appends unless an event with the same eventId exists; returns false for a duplicate. */
  append(event: AuditEvent): Promise<boolean>;
  list(filter: { period?: string; dept?: string }): Promise<AuditEvent[]>;
}

export interface PutObjectOptions {
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** When true the put fails with ObjectExistsError if the key exists (never overwrite). */
  readonly ifNoneMatch?: boolean;
}

/** Which object a read must return: one version, and only if its ETag is still the one expected. */
export interface ReadOptions {
  /** S3 version id (a versioned bucket keeps every PUT of a key). */
  readonly versionId?: string;
  /** ETag the object must have (quotes optional); otherwise ObjectChangedError. */
  readonly etag?: string;
}

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly versionId?: string;
  readonly lastModified?: Date;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

export interface ObjectStore {
  /** Puts with a sha256 checksum; returns the hex sha256 of the body. */
  put(bucket: string, key: string, body: Uint8Array | string, options?: PutObjectOptions): Promise<string>;
  /** Throws NotFoundError when the object does not exist, ObjectChangedError when its ETag is not `read.etag`. */
  get(bucket: string, key: string, read?: ReadOptions): Promise<Uint8Array>;
  /** undefined when the object (or the version asked for) does not exist. */
  head(bucket: string, key: string, read?: Pick<ReadOptions, 'versionId'>): Promise<ObjectInfo | undefined>;
  list(bucket: string, prefix: string): Promise<ObjectInfo[]>;
}

/** The one clock of a run: use cases never read the time themselves. */
export type Clock = () => Date;
