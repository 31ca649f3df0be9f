import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import type { Receipt } from '../../core/ingest/receipt.ts';
import type { Principal, Role } from '../../core/portal/principal.ts';
import type { UserSummary } from '../../core/portal/users.ts';
import type { WorkingCalendar } from './calendar.ts';
import type { ReminderLedger } from './reminders.ts';
import type { AuditLog, SubmissionHistory } from './storage.ts';

/**
 * The portal's ports: what the web portal needs from the world, implemented by
 * functions/adapters (local: the table and the local S3; AWS: Cognito, presigned POSTs).
 * Contracts in docs/portal.md.
 */

/** Result of a login attempt. A wrong password and an unknown user are the same answer. */
export type SignInResult =
  | {
      readonly ok: true;
      readonly principal: Principal;
      /** Opaque value for the session cookie (local: a random id; AWS: the Cognito ID token). */
      readonly token: string;
      /** How long the cookie may live, in seconds. */
      readonly maxAgeSeconds: number;
    }
  | { readonly ok: false };

/**
 * Logging in and recognising a logged-in browser. The app owns the cookie (name, flags),
 * the rate limits and the error answers; the authority only checks credentials and tokens.
 */
export interface SessionAuthority {
  signIn(username: string, password: string): Promise<SignInResult>;
  /** The principal of a cookie value, or undefined when it is unknown, expired, or the user is disabled. */
  resolve(token: string): Promise<Principal | undefined>;
  /** Ends the session (best effort: a token that resolves nothing is fine). */
  signOut(token: string): Promise<void>;
}

/** How the browser sends one upload: an HTML form it can post (with or without JS). */
export interface UploadForm {
  /**
   * Presigned: the upload's id, chosen by the server and part of the pinned key
   * incoming/<dept>/<period>/<uploadId>.xlsx. Absent in direct mode, where the app picks the
   * id when the bytes arrive (so a client can never name one).
   */
  readonly uploadId?: string;
  /** Presigned: the receipt page the browser goes to once S3 took the file. */
  readonly returnTo?: string;
  /** Where the form posts: `directAction` (local) or the bucket's URL (AWS presigned POST). */
  readonly action: string;
  /** Hidden fields that go before the file (presigned policy, key, metadata); none locally. */
  readonly fields: Readonly<Record<string, string>>;
  /** Name of the file field (S3 wants `file`, and last). */
  readonly fileField: 'file';
  readonly maxBytes: number;
  /** ISO time after which the form is no longer accepted (AWS policy expiry). */
  readonly expiresAt: string;
}

export interface ReceivedFile {
  readonly name: string;
  readonly contentType: string;
  readonly bytes: Uint8Array;
}

/**
 * Where uploaded workbooks go: incoming/<dept>/<period>/<uploadId>.xlsx in the uploads
 * bucket, with the logged-in user as `uploader` metadata, so the ingest handler runs from the
 * S3 event as it always does. The dept always comes from the principal, never from the client.
 */
export interface UploadGateway {
  /** `direct`: the app receives the bytes (local); `presigned`: the browser posts to S3 (AWS). */
  readonly mode: 'direct' | 'presigned';
  /** Origins the upload form may post to, for the CSP form-action directive (e.g. the bucket's). */
  readonly formOrigins: readonly string[];
  /**
   * The form for one upload by a department user for a period. Direct: posts to
   * `directAction`. Presigned: signs a POST policy pinning the key, size range, content type
   * and uploader, and sends the browser to `returnTo(uploadId)` afterwards (no-JS path).
   */
  open(
    principal: Principal,
    period: string,
    urls: { readonly directAction: string; readonly returnTo: (uploadId: string) => string },
  ): Promise<UploadForm>;
  /**
   * Direct mode only: stores the bytes the app received as a new upload (a key of its own,
   * never overwriting another) and returns where they went. Presigned gateways throw.
   */
  receive(
    principal: Principal,
    period: string,
    file: ReceivedFile,
  ): Promise<{ uploadId: string; key: string; sha256: string }>;
}

/** Receipts as ingest writes them (receipts/<dept>/<period>/<uploadId>.<sha16>.receipt.json). */
export interface ReceiptReader {
  /**
   * The receipt of one upload, or undefined while ingest has not written it. With the
   * upload's sha256 (known when the app received the bytes) it is one read of a known key;
   * without it, a listing of the upload's prefix.
   */
  find(dept: string, period: string, uploadId: string, sha256?: string): Promise<Receipt | undefined>;
  /** The annotated workbook named by a receipt (objects.annotated). */
  annotated(receipt: Receipt): Promise<Uint8Array>;
  /** Receipts of a department's uploads for a period, newest first (at most `limit`). */
  list(dept: string, period: string, limit?: number): Promise<{ uploadId: string; receipt: Receipt }[]>;
}

export interface BulletinFileInfo {
  readonly name: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: string;
}

export interface BulletinVersionInfo {
  readonly period: string;
  readonly version: number;
  readonly issuedAt: string;
  readonly title: string;
  readonly headline: readonly string[];
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly previousVersion: number | null;
  readonly manifestKey: string;
  readonly manifestSha256: string;
  readonly files: readonly BulletinFileInfo[];
}

/** One indicator row as the archived Excel bulletin states it (sheet 指标进度). */
export interface BulletinItem {
  readonly code: string;
  readonly name: string;
  /** 责任单位 as printed (short name). */
  readonly dept: string;
  readonly status: string;
  readonly value: string;
  readonly target: string;
  /** 情况说明 the department wrote: untrusted text, rendered escaped. */
  readonly note: string;
}

/** The bulletin archive, read-only. */
export interface BulletinReader {
  /** The indicator rows of one archived version, exactly as issued (not recomputed). */
  items(period: string, version: number): Promise<readonly BulletinItem[]>;
  /** Completed versions, oldest first (optionally of one period). */
  list(period?: string): Promise<BulletinVersionInfo[]>;
  /** One file of one version; undefined when the version or file does not exist. */
  file(
    period: string,
    version: number,
    name: string,
  ): Promise<{ info: BulletinFileInfo; body: Uint8Array } | undefined>;
}

/** The archive verification use case: whatever it checks, its findings and an overall verdict. */
export interface ArchiveVerifier {
  verify(period?: string): Promise<ArchiveVerifyResult>;
}

export interface ArchiveVerifyResult {
  readonly ok: boolean;
  /** One line per check that ran ("12 versions, 180 objects: all match"), in Chinese. */
  readonly summary: readonly string[];
  readonly findings: readonly { readonly key: string; readonly kind: string; readonly detail: string }[];
  /** The verifier's own report, passed through for the API. */
  readonly report: unknown;
}

export interface RawUpload {
  readonly sha256: string;
  readonly fileName: string;
  readonly body: Uint8Array;
}

/** Originals of every submission, for auditors. */
export interface RawReader {
  get(sha256: string): Promise<RawUpload>;
}

/** A department's workbook for a month (the catalog's seed is loaded on first use). */
export interface TemplateMaker {
  build(dept: string, period: string, actor: string): Promise<{ bytes: Uint8Array; fileName: string }>;
}

/** Catalog administration: check a YAML text, load it as a new version. */
export interface CatalogAdmin {
  /** Years that have a stored catalog, oldest first. */
  years(): Promise<number[]>;
  latest(year: number): Promise<CatalogVersion | undefined>;
  versions(year: number): Promise<CatalogVersion[]>;
  /** The problems `duban catalog check` names, or none. */
  check(
    yaml: string,
    fileName: string,
  ): Promise<{ ok: true; summary: string } | { ok: false; problems: readonly string[] }>;
  load(
    yaml: string,
    fileName: string,
    actor: string,
  ): Promise<{ version: CatalogVersion; unchanged: boolean }>;
}

export interface NewUser {
  readonly username: string;
  readonly role: Role;
  readonly dept: string | null;
  readonly name: string;
  readonly password: string;
}

/** Portal accounts (local: the table; AWS: the Cognito user pool). */
export interface UserAdmin {
  list(): Promise<UserSummary[]>;
  add(user: NewUser, actor: string): Promise<UserSummary>;
  disable(username: string, actor: string): Promise<UserSummary>;
}

/** Everything the portal reads or changes, each behind a port. */
export interface PortalData {
  /** The official working-day calendar the due date is read on (loaded once, on first use). */
  readonly calendar: () => Promise<WorkingCalendar>;
  /** The 催报 sent, shown on the 报送进度 board. */
  readonly reminders: Pick<ReminderLedger, 'list'>;
  readonly catalogs: CatalogAdmin;
  readonly submissions: SubmissionHistory;
  readonly audit: AuditLog;
  readonly bulletins: BulletinReader;
  readonly receipts: ReceiptReader;
  readonly templates: TemplateMaker;
  readonly verifier: ArchiveVerifier;
  readonly raw: RawReader;
  readonly users: UserAdmin;
}
