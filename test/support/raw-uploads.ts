import { createHash } from 'node:crypto';
import type ExcelJS from 'exceljs';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { UPLOAD_METADATA } from '../../functions/shared/resources.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import type { LocalAws } from '../../lib/local/local-aws.ts';
import { ingestCatalog } from '../fixtures/ingest-catalog.ts';
import { ingestTemplate, loadWorkbook } from './template-workbooks.ts';

/** fgw's cells on the ingest catalog's template, all valid. */
export const FGW_VALUES = { E2: 60, E3: 31000, E4: 5.5, E5: 5, E6: '主体完成' } as const;

/** A department's template for the ingest catalog with the given cells of 填报 filled in. */
export async function filledWorkbook(
  dept: string,
  period: string,
  values: Readonly<Record<string, unknown>>,
): Promise<Uint8Array> {
  const wb = await loadWorkbook(
    await ingestTemplate({ dept, period, now: new Date('2023-06-01T00:00:00Z') }),
  );
  const sheet = wb.getWorksheet('填报');
  if (!sheet) throw new Error('the template has no 填报 sheet');
  for (const [cell, value] of Object.entries(values)) sheet.getCell(cell).value = value as ExcelJS.CellValue;
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export interface SeededRaw {
  readonly juneV1: string;
  readonly juneV2: string;
  readonly july: string;
  /** A rejected upload: kept in raw/, named by no submission. */
  readonly rejected: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Loads the ingest catalog and uploads, one at a time through the stand-ins' event
 * dispatcher (started with the ingest handler): fgw 2023-06 v1, its correction v2 (ECO-FAI
 * changed), fgw 2023-07 v1 and a rejected fgw 2023-08 upload. Returns their sha256.
 */
export async function seedRawUploads(aws: LocalAws): Promise<SeededRaw> {
  if (!aws.uploads) throw new Error('start the stand-ins with onObjectCreated: the ingest handler');
  await createStores().catalogs.put(ingestCatalog(), new Date('2023-01-05T00:00:00Z'));
  const objects = createObjectStore();
  const send = async (period: string, file: string, uploader: string, bytes: Uint8Array) => {
    await objects.put(aws.names.uploadsBucket, keys.incoming({ dept: 'fgw', period, file }), bytes, {
      metadata: { [UPLOAD_METADATA.uploader]: uploader },
    });
    await aws.uploads?.drain();
    return sha256(bytes);
  };
  const juneV1 = await send('2023-06', 'june.xlsx', 'li', await filledWorkbook('fgw', '2023-06', FGW_VALUES));
  const juneV2 = await send(
    '2023-06',
    'june-fix.xlsx',
    'wang',
    await filledWorkbook('fgw', '2023-06', { ...FGW_VALUES, E2: 61 }),
  );
  const july = await send(
    '2023-07',
    'july.xlsx',
    'li',
    await filledWorkbook('fgw', '2023-07', { ...FGW_VALUES, E2: 70 }),
  );
  const rejected = await send(
    '2023-08',
    'aug.xlsx',
    'li',
    await filledWorkbook('fgw', '2023-08', { ...FGW_VALUES, E2: '六十' }),
  );
  return { juneV1, juneV2, july, rejected };
}
