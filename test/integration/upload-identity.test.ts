import { beforeAll, describe, expect, it } from 'vitest';
import { resetClients } from '../../functions/adapters/aws-clients.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import type { Receipt } from '../../functions/core/ingest/receipt.ts';
import { handler } from '../../functions/ingest/handler.ts';
import { ENV, UPLOAD_METADATA } from '../../functions/shared/resources.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { ingestCatalog } from '../fixtures/ingest-catalog.ts';
import { useLocalAws } from '../support/local-aws.ts';
import { FGW_VALUES, filledWorkbook } from '../support/raw-uploads.ts';
import { putWithEvent } from '../support/s3-put-event.ts';

/**
 * The audit log names who really uploaded: the principal S3 authenticated, not the name the
 * uploader wrote into the object's metadata. Here the handler runs as it would on AWS, with the
 * setting the stack gives it: the portal role sets uploaders, gxj's upload role names its people.
 */
const local = useLocalAws();

const PORTAL_ROLE = 'AROAPORTALEXAMPLE';
const GXJ_ROLE = 'AROAGXJEXAMPLE';
let sequence = 0;

async function ingestAs(
  principalId: string,
  where: { dept: string; period: string; file: string },
  bytes: Uint8Array,
  uploader?: string,
): Promise<Receipt> {
  const event = await putWithEvent(local.aws.names.uploadsBucket, keys.incoming(where), bytes, {
    sequence: ++sequence,
    principalId,
    ...(uploader ? { metadata: { [UPLOAD_METADATA.uploader]: uploader } } : {}),
  });
  const { receipts } = await handler(event);
  expect(receipts).toHaveLength(1);
  return receipts[0] as Receipt;
}

describe('who uploaded, as the audit log records it', () => {
  beforeAll(async () => {
    process.env[ENV.uploadTrust] = JSON.stringify({
      uploaderSetters: [PORTAL_ROLE],
      departmentRoles: { gxj: GXJ_ROLE },
    });
    resetClients();
    await createStores().catalogs.put(ingestCatalog(), new Date('2023-01-05T00:00:00Z'));
  });

  it("records a department role's session as the actor and the metadata's claim only as declared", async () => {
    // Prepare: gxj's clerk uploads through gxj's role, with metadata claiming to be fgw's clerk.
    const bytes = await filledWorkbook('gxj', '2023-06', { E2: 12 });

    // Act
    const receipt = await ingestAs(
      `AWS:${GXJ_ROLE}:gxj-clerk`,
      { dept: 'gxj', period: '2023-06', file: 'gxj.xlsx' },
      bytes,
      'fgw@jiefang.example.gov.cn',
    );

    // Assess
    expect(receipt.status).toBe('accepted');
    expect(receipt.source).toMatchObject({
      uploader: 'gxj-clerk',
      principal: `AWS:${GXJ_ROLE}:gxj-clerk`,
      declaredUploader: 'fgw@jiefang.example.gov.cn',
    });
    const [event] = await createStores().audit.list({ period: '2023-06', dept: 'gxj' });
    expect(event).toMatchObject({
      action: 'submission.accepted',
      actor: 'gxj-clerk',
      detail: {
        identifiedBy: 'role-session',
        principal: `AWS:${GXJ_ROLE}:gxj-clerk`,
        declaredUploader: 'fgw@jiefang.example.gov.cn',
      },
    });
    const [stored] = await createStores().submissions.versions('gxj', '2023-06');
    expect(stored?.uploader).toBe('gxj-clerk');
  });

  it('believes the uploader the portal set on the server', async () => {
    // Prepare
    const bytes = await filledWorkbook('fgw', '2023-06', FGW_VALUES);

    // Act
    const receipt = await ingestAs(
      `AWS:${PORTAL_ROLE}:duban-portal`,
      { dept: 'fgw', period: '2023-06', file: '20230701T080000Z-0011223344556677.xlsx' },
      bytes,
      'li.fgw',
    );

    // Assess
    expect(receipt.source).toMatchObject({ uploader: 'li.fgw', declaredUploader: null });
    const [event] = await createStores().audit.list({ period: '2023-06', dept: 'fgw' });
    expect(event).toMatchObject({ actor: 'li.fgw', detail: { identifiedBy: 'portal' } });
  });

  it("files a rejected upload under its key's department, whatever department its _meta claims", async () => {
    // Prepare: fgw's workbook, put under gxj's prefix by gxj's clerk.
    const bytes = await filledWorkbook('fgw', '2023-07', FGW_VALUES);

    // Act
    const receipt = await ingestAs(
      `AWS:${GXJ_ROLE}:gxj-clerk`,
      { dept: 'gxj', period: '2023-07', file: 'wrong.xlsx' },
      bytes,
      'fgw-clerk',
    );

    // Assess
    expect(receipt).toMatchObject({ status: 'rejected', dept: 'gxj', period: '2023-07' });
    expect(receipt.errors.map((e) => e.code)).toContain('dept-mismatch');
    const audit = createStores().audit;
    expect(await audit.list({ period: '2023-07', dept: 'fgw' })).toEqual([]);
    const [event] = await audit.list({ period: '2023-07', dept: 'gxj' });
    expect(event).toMatchObject({
      action: 'submission.rejected',
      actor: 'gxj-clerk',
      dept: 'gxj',
      detail: { declaredUploader: 'fgw-clerk' },
    });
  });
});
