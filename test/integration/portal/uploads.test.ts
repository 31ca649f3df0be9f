import { beforeAll, describe, expect, it } from 'vitest';
import { fillWorkbook } from '../../../bin/cli/demo/fill-workbook.ts';
import { currentConfig } from '../../../functions/adapters/aws-clients.ts';
import { createObjectStore } from '../../../functions/adapters/s3-object-store.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import { handler as ingestHandler } from '../../../functions/ingest/handler.ts';
import { useLocalAws } from '../../support/local-aws.ts';
import { FGW_VALUES, openPortal, type PortalFixture } from '../../support/portal.ts';

/** Uploads through the API on the stand-ins, with the real ingest handler answering the S3 events. */

useLocalAws({ onObjectCreated: ingestHandler });
let portal: PortalFixture;
let fgw: string;
let template: Uint8Array;

const VALUES = FGW_VALUES;

beforeAll(async () => {
  portal = await openPortal({ settings: { maxUploadBytes: 200_000 } });
  fgw = await portal.login('fgw');
  const res = await portal.request('/api/periods/2023-05/template', { cookie: fgw });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toMatch(
    /^attachment; filename="[\w.-]+"; filename\*=UTF-8''/,
  );
  template = new Uint8Array(await res.arrayBuffer());
});

function upload(bytes: Uint8Array, cookie = fgw, period = '2023-05'): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([Buffer.from(bytes)]), '发改委5月.xlsx');
  return portal.request(`/api/periods/${period}/uploads`, { method: 'POST', body: form, cookie });
}

describe('uploading through the portal', () => {
  it('answers with the receipt; the logged-in user is the uploader and the actor', async () => {
    // Act
    const res = await upload(await fillWorkbook(template, VALUES));
    const receipt = (await res.json()) as Receipt;
    // Assess
    expect(res.status).toBe(200);
    expect(receipt.status).toBe('accepted');
    expect(receipt.source.uploader).toBe('fgw');
    expect(receipt.source.key).toMatch(/^incoming\/fgw\/2023-05\/\d{8}T\d{6}Z-[0-9a-f]{16}\.xlsx$/);
    const page = res.headers.get('x-receipt-page') ?? '';
    expect((await portal.request(page, { cookie: fgw })).status).toBe(200);
    const events = await portal.deps.data.audit.list({ period: '2023-05', dept: 'fgw' });
    expect(events.map((e) => [e.action, e.actor])).toContainEqual(['submission.accepted', 'fgw']);
  });

  it('keeps every upload under a key of its own, the same bytes twice included', async () => {
    const bytes = await fillWorkbook(template, VALUES);
    const [a, b] = (await Promise.all([upload(bytes), upload(bytes)]).then((r) =>
      Promise.all(r.map((x) => x.json())),
    )) as Receipt[];
    expect(a?.source.key).not.toBe(b?.source.key);
    const listed = await createObjectStore().list(currentConfig().uploadsBucket, 'incoming/fgw/2023-05/');
    expect(listed.length).toBeGreaterThanOrEqual(3);
    expect([a?.status, b?.status].sort()).toEqual(['unchanged', 'unchanged']);
  });

  it('names the problem by cell and indicator on a rejected upload, with an annotated copy', async () => {
    const res = await upload(
      await fillWorkbook(template, [...VALUES.slice(1), { code: 'ECO-GDP', value: '八十亿' }]),
    );
    const receipt = (await res.json()) as Receipt;
    expect(receipt.status).toBe('rejected');
    expect(receipt.errors[0]).toMatchObject({
      sheet: '填报',
      indicator: 'ECO-GDP',
      cell: expect.stringMatching(/^E\d+$/),
    });
    const id = /\/([^/]+)$/.exec(res.headers.get('x-receipt-page') ?? '')?.[1];
    const annotated = await portal.request(`/api/periods/2023-05/uploads/fgw/${id}/annotated.xlsx`, {
      cookie: fgw,
    });
    expect(annotated.status).toBe(200);
    expect(
      Buffer.from(await annotated.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
  });

  it('refuses a body over the limit with 413 before reading it', async () => {
    const res = await portal.request('/api/periods/2023-05/uploads', {
      method: 'POST',
      cookie: fgw,
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(50_000_000) },
      body: '--x--',
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('file-too-large');
  });

  it('answers 400 without a file and 403 for a leader', async () => {
    const empty = await portal.request('/api/periods/2023-05/uploads', {
      method: 'POST',
      cookie: fgw,
      body: new FormData(),
    });
    expect(empty.status).toBe(400);
    const leader = await portal.login('leader');
    expect((await upload(template, leader)).status).toBe(403);
  });

  it('answers 202 with a receipt URL when the receipt takes longer than the wait', async () => {
    const quick = await openPortal({ settings: { receiptWaitMs: 0 }, users: false });
    const cookie = await quick.login('fgw');
    const form = new FormData();
    form.set('file', new Blob([Buffer.from(await fillWorkbook(template, VALUES))]), 'x.xlsx');
    const res = await quick.request('/api/periods/2023-05/uploads', { method: 'POST', body: form, cookie });
    expect([200, 202]).toContain(res.status);
    if (res.status === 202) {
      const location = res.headers.get('location') ?? '';
      expect(location).toMatch(/^\/api\/periods\/2023-05\/uploads\/fgw\//);
      let polled: Response | undefined;
      for (let i = 0; i < 200 && polled?.status !== 200; i++) {
        polled = await quick.request(location, { cookie });
        if (polled.status !== 200) await new Promise((r) => setTimeout(r, 50));
      }
      expect(polled?.status).toBe(200);
      const receipt = (await polled?.json()) as Receipt | undefined;
      expect(receipt?.status).toBe('unchanged');
    }
  });
});
