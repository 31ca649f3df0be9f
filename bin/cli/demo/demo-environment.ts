import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resetClients } from '../../../functions/adapters/aws-clients.ts';
import { createStores, type Stores } from '../../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../../functions/adapters/s3-object-store.ts';
import { DubanError, UsageError } from '../../../functions/core/errors.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import { decodeEventKey } from '../../../functions/core/s3-event-key.ts';
import { ENV, UPLOAD_METADATA } from '../../../functions/shared/resources.ts';
import type { ObjectStore } from '../../../functions/use-cases/ports/storage.ts';
import { type LocalAws, startLocalAws } from '../../../lib/local/local-aws.ts';
import { findRunningLocal } from '../local-state.ts';

/**
 * The demo's own run of the embedded stand-ins. Uploads go through the local S3 so that
 * the real ingest handler runs from the S3 event, exactly as in `duban ingest`; the demo
 * only listens to the handler's answer to know each upload's receipt.
 */

export type IngestHandler = (event: unknown) => Promise<{ receipts: Receipt[] }>;

export interface DemoEnvironment {
  readonly local: LocalAws;
  readonly stores: Stores;
  readonly objects: ObjectStore;
  readonly dataDir: string;
  readonly outboxDir: string;
  /**
   * Puts a workbook under incoming/ and resolves with the receipt the ingest handler wrote.
   * `at` is the replayed moment of the upload: the S3 event carries it as its event time, as
   * S3 would have stamped it then, so the submission's receivedAt (and its lateness) is 2023's.
   */
  upload(key: string, bytes: Uint8Array, uploader: string, at: string): Promise<Receipt>;
  stop(): Promise<void>;
}

export class DemoRunError extends DubanError {
  override readonly name: string = 'DemoRunError';
}

/** Marks a data directory as the demo's own, so a later demo may replace it. */
export const DEMO_MARKER = 'demo.json';
const DEMO_PARTS = ['dynamodb', 's3', 'outbox'] as const;

async function entries(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The demo replays a year from scratch, so it needs a store of its own: an empty data
 * directory, or one an earlier demo made (which it replaces). Anything else is refused
 * rather than mixed with the demo's figures.
 */
export async function prepareDemoData(
  dataDir: string,
  year: number,
  now: Date,
): Promise<'fresh' | 'replaced'> {
  if (await findRunningLocal(dataDir)) {
    throw new UsageError(
      `\`duban local\` is serving ${dataDir}; stop it first, or run the demo with --data <another dir>`,
    );
  }
  const present = (await entries(dataDir)).filter((e) => !e.startsWith('.'));
  const ours = present.includes(DEMO_MARKER);
  if (present.length > 0 && !ours) {
    throw new UsageError(
      `${dataDir} already holds duban data the demo did not make; run the demo with --data <an empty dir> (e.g. --data .duban-demo)`,
    );
  }
  for (const part of DEMO_PARTS) await rm(path.join(dataDir, part), { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    path.join(dataDir, DEMO_MARKER),
    `${JSON.stringify({ demo: true, year, startedAt: now.toISOString() }, null, 2)}\n`,
  );
  return ours ? 'replaced' : 'fresh';
}

export async function openDemoEnvironment(dataDir: string, ingest: IngestHandler): Promise<DemoEnvironment> {
  const receipts = new Map<string, Receipt>();
  const replayedAt = new Map<string, string>();
  const local = await startLocalAws({
    dataDir,
    onObjectCreated: async (event) => {
      const records = event.Records.map((r) => {
        const at = replayedAt.get(decodeEventKey(r.s3.object.key));
        return at ? { ...r, eventTime: at } : r;
      });
      const result = await ingest({ ...event, Records: records });
      for (const receipt of result.receipts) receipts.set(receipt.source.key, receipt);
      return result;
    },
  });
  const savedEnv = { ...process.env };
  const outboxDir = path.join(path.resolve(dataDir), 'outbox');
  Object.assign(process.env, local.env, { [ENV.outboxDir]: outboxDir });
  resetClients();
  const stores = createStores();
  const objects = createObjectStore();
  const dispatcher = local.uploads;
  if (!dispatcher) throw new DemoRunError('the stand-ins did not wire the upload events');

  return {
    local,
    stores,
    objects,
    dataDir,
    outboxDir,
    async upload(key, bytes, uploader, at) {
      const lettersBefore = dispatcher.deadLetters.length;
      replayedAt.set(key, at);
      await objects.put(local.names.uploadsBucket, key, bytes, {
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        metadata: { [UPLOAD_METADATA.uploader]: uploader },
      });
      await dispatcher.drain();
      const letter = dispatcher.deadLetters[lettersBefore];
      if (letter) {
        const why = letter.error instanceof Error ? letter.error.message : String(letter.error);
        throw new DemoRunError(`ingest failed ${letter.attempts} times for ${key}: ${why}`);
      }
      const receipt = receipts.get(key);
      if (!receipt) throw new DemoRunError(`ingest produced no receipt for ${key}`);
      return receipt;
    },
    async stop() {
      await local.stop();
      resetClients();
      process.env = savedEnv;
    },
  };
}
