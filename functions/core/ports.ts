import type { Catalog, CatalogVersion } from './catalog/catalog-schema.ts';
import type { Submission } from './submission.ts';

/**
 * Ports: what the use cases need from storage, implemented by functions/adapters.
 * Core code depends on these interfaces only; tests can pass in-memory fakes.
 */

export type AuditAction =
  | 'catalog.loaded'
  | 'submission.accepted'
  | 'submission.corrected'
  | 'submission.unchanged'
  | 'submission.rejected'
  | 'bulletin.issued'
  | 'bulletin.unchanged'
  | 'bulletin.delivered'
  | 'bulletin.failed';

export interface AuditEvent {
  /** Deterministic id of the cause (e.g. the S3 object key + etag), so redelivery appends nothing. */
  readonly eventId: string;
  /** ISO time. */
  readonly at: string;
  readonly action: AuditAction;
  readonly actor: string;
  /** YYYY-MM, or the catalog year for catalog events. */
  readonly period: string;
  readonly dept?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface BulletinRecord {
  readonly period: string;
  readonly version: number;
  /** sha256 over the canonical inputs (catalog version + submission versions); equal → unchanged. */
  readonly inputsHash: string;
  readonly catalogYear: number;
  readonly catalogVersion: number;
  /** dept → submission version used. */
  readonly submissionVersions: Readonly<Record<string, number>>;
  readonly createdAt: string;
  /** Archive folder of this version (bulletins/<YYYY>/<MM>/v<N>/). */
  readonly folder: string;
  readonly manifestSha256?: string;
  readonly statusCounts?: Readonly<Record<string, number>>;
  /**
   * The invocation that claimed this version (Lambda's request id, which its own retries
   * share): a retry finding its own unfinished claim knows that run died.
   */
  readonly runId?: string;
}

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

export interface BulletinStore {
  /** Conditional put: throws VersionConflictError when that version already exists. */
  put(record: BulletinRecord): Promise<void>;
  latest(period: string): Promise<BulletinRecord | undefined>;
  list(period?: string): Promise<BulletinRecord[]>;
}

export interface PutObjectOptions {
  readonly contentType?: string;
  readonly metadata?: Readonly<Record<string, string>>;
  /** When true the put fails with ObjectExistsError if the key exists (never overwrite). */
  readonly ifNoneMatch?: boolean;
}

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly etag?: string;
  readonly lastModified?: Date;
  readonly metadata?: Readonly<Record<string, string>>;
  readonly contentType?: string;
}

export interface ObjectStore {
  /** Puts with a sha256 checksum; returns the hex sha256 of the body. */
  put(bucket: string, key: string, body: Uint8Array | string, options?: PutObjectOptions): Promise<string>;
  get(bucket: string, key: string): Promise<Uint8Array>;
  /** undefined when the object does not exist. */
  head(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  list(bucket: string, prefix: string): Promise<ObjectInfo[]>;
}
