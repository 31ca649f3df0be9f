import pkg from '../../package.json' with { type: 'json' };
import { ObjectStoreArchive } from '../adapters/archive.ts';
import { PresignedArchiveLinks } from '../adapters/archive-links.ts';
import { currentConfig } from '../adapters/aws-clients.ts';
import type { DubanConfig } from '../adapters/config.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { S3ObjectHistory } from '../adapters/s3-object-history.ts';
import { createObjectStore } from '../adapters/s3-object-store.ts';
import { scheduledRun } from '../adapters/scheduled-run.ts';
import { createArchiveKey, createArchiveSigner } from '../adapters/signing/archive-signer.ts';
import { RawArchive } from '../use-cases/archive/raw-uploads.ts';
import {
  type ArchiveVerification,
  type VerifyArchiveDeps,
  verifyArchive,
} from '../use-cases/archive/verify-archive.ts';
import type { IssueBulletinDeps } from '../use-cases/bulletin/issue-bulletin.ts';
import type { BulletinArchive, PdfRenderer } from '../use-cases/ports/bulletin.ts';
import type { Clock } from '../use-cases/ports/storage.ts';

export const GENERATOR_VERSION = `duban ${pkg.version}`;

export interface BulletinRunOptions {
  /** Local runs: where notification mails are written (the CLI uses <data>/outbox). */
  readonly outboxDir?: string;
  readonly log?: (line: string) => void;
  readonly actor?: string;
  /** Identity of the invocation (Lambda request id; its retries share it). */
  readonly runId?: string;
  readonly deadlines?: IssueBulletinDeps['deadlines'];
  readonly clock?: Clock;
}

/** The archive of the configured stage (shared by the bulletin run, `duban archive` and the portal). */
export function composeArchive(config: DubanConfig = currentConfig()): BulletinArchive {
  return new ObjectStoreArchive(createObjectStore(), config.archiveBucket);
}

/** Raw uploads for auditors, over the uploads bucket and the submission history. */
export function composeRawArchive(config: DubanConfig = currentConfig()): RawArchive {
  return new RawArchive(createObjectStore(), config.uploadsBucket, createStores().submissions);
}

/**
 * The auditor's verification of the configured stage, for `duban archive verify` and the
 * portal: the archive and raw uploads with the table's records, the public half of the
 * signing key, and on AWS the buckets' object versions and locks (the local stand-in keeps
 * neither).
 */
export function composeVerifierDeps(config: DubanConfig = currentConfig()): VerifyArchiveDeps {
  const stores = createStores();
  const onAws = !config.s3Endpoint;
  return {
    objects: createObjectStore(),
    archiveBucket: config.archiveBucket,
    uploadsBucket: config.uploadsBucket,
    key: createArchiveKey(config),
    records: {
      chain: stores.chain,
      ledger: stores.ledger,
      audit: stores.audit,
      submissions: stores.submissions,
    },
    ...(onAws ? { history: new S3ObjectHistory() } : {}),
    retentionYears: config.retentionYears,
  };
}

export function composeVerifier(
  config: DubanConfig = currentConfig(),
): (options?: { period?: string }) => Promise<ArchiveVerification> {
  const deps = composeVerifierDeps(config);
  return (options) => verifyArchive(deps, options);
}

/**
 * The bulletin use case wired to the real adapters. Chromium and exceljs are loaded only when
 * a run actually renders (an unchanged re-run never starts a browser).
 */
export async function composeBulletin(options: BulletinRunOptions = {}): Promise<IssueBulletinDeps> {
  const { config, stores, common } = await scheduledRun(options);
  return {
    ...common,
    ledger: stores.ledger,
    chain: stores.chain,
    signer: createArchiveSigner(config),
    archive: composeArchive(config),
    createPdfRenderer: lazyPdfRenderer,
    renderWorkbook: async (model) =>
      (await import('../adapters/excel-bulletin.ts')).renderBulletinWorkbook(model),
    links: new PresignedArchiveLinks(config.archiveBucket),
    ...(config.portalUrl ? { portalUrl: config.portalUrl } : {}),
    generatorVersion: GENERATOR_VERSION,
    recipients: { leaders: config.leaderEmails, owner: config.ownerEmail },
    actor: options.actor,
    log: options.log,
    runId: options.runId,
    deadlines: options.deadlines,
  };
}

/** A PdfRenderer whose Chromium module is imported on the first document it renders. */
function lazyPdfRenderer(): PdfRenderer {
  const renderer = import('../adapters/pdf/pdf-renderer.ts').then((m) => m.createPdfRenderer());
  return {
    renderBulletin: async (model) => (await renderer).renderBulletin(model),
    renderDepartment: async (model, dept) => (await renderer).renderDepartment(model, dept),
    close: async () => (await renderer).close(),
  };
}
