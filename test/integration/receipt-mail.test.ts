import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { S3Event } from 'aws-lambda';
import { type ParsedMail, simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { catalogSchema } from '../../functions/core/catalog/catalog-schema.ts';
import type { Receipt } from '../../functions/core/ingest/receipt.ts';
import { handler } from '../../functions/ingest/handler.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { ingestCatalog } from '../fixtures/ingest-catalog.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { FGW_VALUES, filledWorkbook } from '../support/raw-uploads.ts';
import { putWithEvent } from '../support/s3-put-event.ts';

// The ingest handler as the CLI and `duban local` run it: mails go to <data>/outbox as .eml.
const local = useLocalAws();
const FGW_CONTACTS = ['tongji@fgw.example.gov.cn', 'li.fgw@fgw.example.gov.cn'];
let sequence = 0;

async function upload(period: string, file: string, bytes: Uint8Array): Promise<S3Event> {
  sequence++;
  return putWithEvent(local.aws.names.uploadsBucket, keys.incoming({ dept: 'fgw', period, file }), bytes, {
    sequence,
  });
}

async function ingest(event: S3Event): Promise<Receipt> {
  const { receipts } = await handler(event);
  return receipts[0] as Receipt;
}

const outbox = () => path.join(local.dataDir, 'outbox');

/** The mails written to the outbox since `before`, parsed back. */
async function newMails(before: ReadonlySet<string>): Promise<ParsedMail[]> {
  const names = (await readdir(outbox()).catch(() => [] as string[])).filter((n) => !before.has(n)).sort();
  return Promise.all(names.map(async (n) => simpleParser(await readFile(path.join(outbox(), n)))));
}

async function mailNames(): Promise<Set<string>> {
  return new Set(await readdir(outbox()).catch(() => [] as string[]));
}

describe('the receipt mail that answers an upload', () => {
  beforeAll(async () => {
    const base = ingestCatalog();
    const catalog = catalogSchema.parse({
      ...base,
      departments: base.departments.map((d) => (d.id === 'fgw' ? { ...d, emails: FGW_CONTACTS } : d)),
    });
    await createStores().catalogs.put(catalog, new Date('2023-01-05T00:00:00Z'));
  });

  it('tells the department its accepted version, in Chinese with an English line, to its contacts only', async () => {
    // Prepare
    const before = await mailNames();
    const event = await upload(
      '2023-06',
      '发改委 6月.xlsx',
      await filledWorkbook('fgw', '2023-06', FGW_VALUES),
    );

    // Act
    const receipt = await ingest(event);
    const mails = await newMails(before);

    // Assess
    expect(receipt.status).toBe('accepted');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    if (!mail) throw new Error('no receipt mail');
    expect(mail.subject).toBe('【报送回执】发改委2023年6月数据已接收（第1版）');
    const to = mail.to as { value: { address: string }[] };
    expect(to.value.map((a) => a.address)).toEqual(FGW_CONTACTS);
    expect(mail?.text).toContain('“发改委 6月.xlsx”已接收，入库为第1版。');
    expect(mail?.text).toContain(`English: ${receipt.summary_en}`);
    expect(mail?.text).toContain(`sha256 ${receipt.source.sha256}`);
    expect(mail?.attachments).toEqual([]);
  });

  it('sends a rejected upload its problems by cell and the annotated workbook, once per upload event', async () => {
    // Prepare
    const before = await mailNames();
    const bytes = await filledWorkbook('fgw', '2023-07', { ...FGW_VALUES, E2: '六十' });
    const event = await upload('2023-07', '七月.xlsx', bytes);

    // Act
    const receipt = await ingest(event);
    await ingest(event); // S3 delivers at least once: the redelivery must not mail again.
    const mails = await newMails(before);

    // Assess
    expect(receipt.status).toBe('rejected');
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe('【报送回执】发改委2023年7月数据未通过校验，请修改后重新上传');
    const [error] = receipt.errors;
    expect(mail?.text).toContain(`1. [错误] ${error?.sheet}!${error?.cell} ${error?.indicator}`);
    expect(mail?.text).toContain(error?.message_zh ?? '?');
    expect(mail?.text).toContain(`   ${error?.message_en}`);
    expect(mail?.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['七月-问题批注.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ]);
    const annotated = await createObjectStore().get(
      local.aws.names.uploadsBucket,
      receipt.objects.annotated ?? '?',
    );
    expect(mail?.attachments[0]?.content.equals(Buffer.from(annotated))).toBe(true);
  });

  it('mails nobody when the department has no address in the catalog, and still stores the upload', async () => {
    // Prepare
    const before = await mailNames();
    sequence++;
    const event = await putWithEvent(
      local.aws.names.uploadsBucket,
      keys.incoming({ dept: 'gxj', period: '2023-06', file: 'gxj.xlsx' }),
      await filledWorkbook('gxj', '2023-06', { E2: 575 }),
      { sequence },
    );

    // Act
    const receipt = await ingest(event);

    // Assess
    expect(receipt.status).toBe('accepted');
    expect(await newMails(before)).toEqual([]);
  });
});
