import type { S3Event } from 'aws-lambda';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';

/** Shared by the fault suites: the recorder of upload events and snapshots of state. */

export { filledWorkbook, LOADED_AT, putUpload, seedCatalog, YEAR } from '../support/filled-uploads.ts';

/**
 * Collects the events the stand-in emits, for delivering them by hand (as often as a test
 * likes).
 */
export function eventRecorder(): { events: S3Event[]; onObjectCreated: (event: S3Event) => Promise<void> } {
  const events: S3Event[] = [];
  return {
    events,
    onObjectCreated: async (event) => {
      events.push(event);
    },
  };
}

/** Everything ingest can change, in a form two runs can be compared by. */
export async function stateOf(uploadsBucket: string, period: string) {
  const stores = createStores();
  const objects = await createObjectStore().list(uploadsBucket, '');
  return {
    submissions: await stores.submissions.allForPeriod(period),
    audit: await stores.audit.list({ period }),
    objects: objects.map((o) => ({ key: o.key, size: o.size, etag: o.etag })),
  };
}
