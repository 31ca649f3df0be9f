import { currentConfig } from '../adapters/aws-clients.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { createObjectStore } from '../adapters/s3-object-store.ts';
import { annotatedCopyWriter } from '../adapters/workbook/annotated-copy.ts';
import { createWorkbookReader } from '../adapters/workbook/workbook-reader.ts';
import type { IngestDeps } from '../use-cases/ingest/ingest-upload.ts';

/**
 * The ingest use case wired to the real adapters. Cheap to call per invocation: the SDK
 * clients behind the stores are created once per process (aws-clients.ts).
 */
export function composeIngest(): IngestDeps {
  const stores = createStores();
  return {
    objects: createObjectStore(),
    submissions: stores.submissions,
    audit: stores.audit,
    catalogs: stores.catalogs,
    reader: createWorkbookReader(),
    annotator: annotatedCopyWriter,
    trust: currentConfig().uploadTrust,
  };
}
