import { createHash } from 'node:crypto';
import { currentConfig } from '../../functions/adapters/aws-clients.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { keys } from '../../functions/shared/storage-keys.ts';

/**
 * Submissions put straight into the table (no upload went through ingest) still need their
 * original under raw/: verify checks that every submission's original is there and hashes to
 * its name. These stand-in originals are a text the test chooses.
 */
export interface StandInOriginal {
  readonly sourceSha256: string;
  readonly rawKey: string;
  readonly body: Uint8Array;
}

export function standInOriginal(text: string): StandInOriginal {
  const body = new TextEncoder().encode(text);
  const sourceSha256 = createHash('sha256').update(body).digest('hex');
  return { sourceSha256, rawKey: keys.raw(sourceSha256, 'xlsx'), body };
}

/** Writes each original into the uploads bucket of the running stand-ins. */
export async function storeOriginals(originals: readonly StandInOriginal[]): Promise<void> {
  const objects = createObjectStore();
  const bucket = currentConfig().uploadsBucket;
  for (const o of originals) await objects.put(bucket, o.rawKey, o.body);
}
