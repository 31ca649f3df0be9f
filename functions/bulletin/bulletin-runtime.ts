import pkg from '../../package.json' with { type: 'json' };
import { BulletinArchive } from '../adapters/archive.ts';
import { currentConfig } from '../adapters/aws-clients.ts';
import type { DubanConfig } from '../adapters/config.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { renderBulletinWorkbook } from '../adapters/excel-bulletin.ts';
import { createMailer } from '../adapters/mailer.ts';
import { createObjectStore } from '../adapters/s3-object-store.ts';
import type { IssueBulletinDeps } from './issue-bulletin.ts';

export const GENERATOR_VERSION = `duban ${pkg.version}`;

export interface RuntimeOptions {
  /** Local runs: where notification mails are written (the CLI uses <data>/outbox). */
  readonly outboxDir?: string;
  readonly log?: (line: string) => void;
  readonly actor?: string;
  /** Identity of the invocation (Lambda request id; its retries share it). */
  readonly runId?: string;
  readonly deadlines?: IssueBulletinDeps['deadlines'];
}

/** The archive of the configured stage (shared by the bulletin run and `duban archive`). */
export function createArchive(config: DubanConfig = currentConfig()): BulletinArchive {
  return new BulletinArchive(createObjectStore(), config.archiveBucket);
}

/**
 * The real adapters behind the bulletin use case. Chromium is loaded only when a run
 * actually renders (an unchanged re-run never starts a browser).
 */
export async function createBulletinDeps(options: RuntimeOptions = {}): Promise<IssueBulletinDeps> {
  const config = currentConfig();
  const { createPdfRenderer } = await import('../adapters/pdf/pdf-renderer.ts');
  return {
    ...createStores(),
    archive: createArchive(config),
    createPdfRenderer: () => createPdfRenderer(),
    renderWorkbook: renderBulletinWorkbook,
    mailer: createMailer(config, { outboxDir: options.outboxDir }),
    clock: () => new Date(),
    generatorVersion: GENERATOR_VERSION,
    recipients: { leaders: config.leaderEmails, owner: config.ownerEmail },
    actor: options.actor,
    log: options.log,
    runId: options.runId,
    deadlines: options.deadlines,
  };
}
