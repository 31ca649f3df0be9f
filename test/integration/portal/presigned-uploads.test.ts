import { beforeAll, describe, expect, it } from 'vitest';
import { fillWorkbook } from '../../../bin/cli/demo/fill-workbook.ts';
import { currentConfig, s3Client } from '../../../functions/adapters/aws-clients.ts';
import {
  createPresignedUploadGateway,
  XLSX_CONTENT_TYPE,
} from '../../../functions/adapters/portal/presigned-upload-gateway.ts';
import { createObjectStore } from '../../../functions/adapters/s3-object-store.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import { handler as ingestHandler } from '../../../functions/ingest/handler.ts';
import type { UploadForm } from '../../../functions/portal/ports.ts';
import { useLocalAws } from '../../support/local-aws.ts';
import { FGW_VALUES, openPortal, type PortalFixture } from '../../support/portal.ts';

/**
 * The AWS upload path on the stand-ins: the portal signs a presigned POST, the "browser" posts
 * the form straight to the bucket (s3rver), the ingest handler runs from the S3 event, and the
 * receipt page finds the receipt. s3rver stores the key, the Content-Type and the x-amz-meta-*
 * fields and follows success_action_redirect, but it checks neither the signature nor the
 * policy (expiry, exact key, content-length-range): those conditions are asserted on the
 * signed policy itself in test/unit/adapters/presigned-upload-gateway.test.ts.
 */

useLocalAws({ onObjectCreated: ingestHandler });
let portal: PortalFixture;
let fgw: string;
let template: Uint8Array;

const VALUES = FGW_VALUES;

beforeAll(async () => {
  const uploads = await createPresignedUploadGateway({
    s3: s3Client(),
    bucket: currentConfig().uploadsBucket,
    maxBytes: 200_000,
    clock: () => new Date(),
  });
  portal = await openPortal({ uploads });
  fgw = await portal.login('fgw');
  const res = await portal.request('/api/periods/2023-05/template', { cookie: fgw });
  template = new Uint8Array(await res.arrayBuffer());
});

/** What a browser does with the form: the hidden fields in order, the file last. */
function postForm(form: UploadForm, bytes: Uint8Array): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  body.append('file', new Blob([Buffer.from(bytes)], { type: XLSX_CONTENT_TYPE }), '发改委5月.xlsx');
  return fetch(form.action, { method: 'POST', body, redirect: 'manual' });
}

async function receiptOf(form: UploadForm): Promise<Receipt> {
  const url = `/api/periods/2023-05/uploads/fgw/${form.uploadId}`;
  for (let attempt = 0; attempt < 400; attempt++) {
    const res = await portal.request(url, { cookie: fgw });
    if (res.status === 200) return (await res.json()) as Receipt;
    expect(res.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no receipt for ${form.uploadId}`);
}

describe('uploads through a presigned POST (stand-in bucket)', () => {
  it('stores the file at the signed key with the uploader, redirects to its receipt page, and ingest answers', async () => {
    // Prepare
    const res = await portal.request('/api/periods/2023-05/upload-form', { cookie: fgw });
    const form = (await res.json()) as UploadForm;
    const bytes = await fillWorkbook(template, VALUES);

    // Act
    const posted = await postForm(form, bytes);
    const receipt = await receiptOf(form);

    // Assess
    expect(posted.status).toBe(303);
    // S3 (and s3rver) add ?bucket=&key=&etag= to the redirect; the receipt page ignores them.
    const location = new URL(posted.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(form.returnTo);
    expect(location.searchParams.get('key')).toBe(`incoming/fgw/2023-05/${form.uploadId}.xlsx`);
    const page = await portal.request(`${location.pathname}${location.search}`, { cookie: fgw });
    expect(page.status).toBe(200);
    expect(form.returnTo).toBe(`http://localhost/receipts/2023-05/fgw/${form.uploadId}`);
    const key = `incoming/fgw/2023-05/${form.uploadId}.xlsx`;
    const stored = await createObjectStore().head(currentConfig().uploadsBucket, key);
    expect(stored?.contentType).toBe(XLSX_CONTENT_TYPE);
    expect(stored?.metadata?.uploader).toBe('fgw');
    expect(receipt.source).toMatchObject({ key, uploader: 'fgw' });
    expect(receipt.status).toBe('accepted');
  });

  it('renders the upload page with the signed fields and lets the page post to the bucket (CSP form-action)', async () => {
    // Act
    const res = await portal.request('/dept?period=2023-05', { cookie: fgw });
    const html = await res.text();

    // Assess
    const origin = new URL(`${process.env.DUBAN_S3_ENDPOINT}`).origin;
    expect(res.status).toBe(200);
    expect(html).toContain(`action="${origin}/${currentConfig().uploadsBucket}"`);
    expect(html).toMatch(/<input type="hidden" name="Policy" value="[A-Za-z0-9+/=]+">/);
    expect(html).toContain('data-mode="presigned"');
    expect(res.headers.get('content-security-policy')).toContain(`form-action 'self' ${origin}`);
  });

  it('refuses the direct upload route: the bytes must go to the bucket', async () => {
    // Prepare
    const body = new FormData();
    body.set('file', new Blob([Buffer.from(template)]), 'x.xlsx');

    // Act
    const res = await portal.request('/api/periods/2023-05/uploads', { method: 'POST', body, cookie: fgw });

    // Assess
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('presigned-only');
  });
});
