import { createHmac } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import {
  createPresignedUploadGateway,
  DEFAULT_FORM_EXPIRY_SECONDS,
  XLSX_CONTENT_TYPE,
} from '../../../functions/adapters/portal/presigned-upload-gateway.ts';
import type { Principal } from '../../../functions/core/portal/principal.ts';

/**
 * The presigned POST policy is the whole of the upload's security on AWS: S3 enforces it,
 * the stand-in does not. These tests read the policy the gateway signs and check the
 * signature the way S3 does (SigV4 over the base64 policy).
 */

const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};
const REGION = 'cn-north-1';
const BUCKET = 'duban-test-uploads';
const NOW = new Date('2024-01-05T08:00:00Z');
const CLERK: Principal = { username: 'fgw-clerk', role: 'department', dept: 'fgw', name: '发改委填报员' };
const URLS = {
  directAction: '/dept/upload?period=2023-12',
  returnTo: (id: string) => `https://portal.example/receipts/2023-12/fgw/${id}`,
};

function gateway(maxBytes = 20_000_000) {
  const s3 = new S3Client({ region: REGION, credentials: CREDENTIALS });
  return createPresignedUploadGateway({ s3, bucket: BUCKET, maxBytes, clock: () => NOW });
}

type Condition = Record<string, string> | [string, string | number, string | number];

function policyOf(fields: Readonly<Record<string, string>>): { expiration: string; conditions: Condition[] } {
  return JSON.parse(Buffer.from(fields.Policy ?? '', 'base64').toString('utf8'));
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

describe('presigned upload gateway', () => {
  it('pins the exact key under incoming/<dept>/<period>/, the size range, the type, the uploader and the redirect', async () => {
    // Prepare
    const uploads = await gateway(1_000_000);

    // Act
    const form = await uploads.open(CLERK, '2023-12', URLS);
    const { conditions } = policyOf(form.fields);

    // Assess
    expect(form.uploadId).toMatch(/^20240105T080000Z-[0-9a-f]{16}$/);
    const key = `incoming/fgw/2023-12/${form.uploadId}.xlsx`;
    expect(form.fields.key).toBe(key);
    expect(conditions).toEqual(
      expect.arrayContaining([
        { key },
        { bucket: BUCKET },
        ['content-length-range', 1, 1_000_000],
        { 'Content-Type': XLSX_CONTENT_TYPE },
        { 'x-amz-meta-uploader': 'fgw-clerk' },
        { success_action_redirect: URLS.returnTo(form.uploadId ?? '') },
      ]),
    );
    // Nothing open-ended: no starts-with condition, so no field can take a value of the client's choosing.
    expect(conditions.filter((c) => Array.isArray(c) && c[0] === 'starts-with')).toEqual([]);
    expect(form).toMatchObject({
      fileField: 'file',
      maxBytes: 1_000_000,
      returnTo: URLS.returnTo(form.uploadId ?? ''),
    });
  });

  it('signs the policy with SigV4 for s3 in the client region, so S3 accepts exactly this policy', async () => {
    // Prepare
    const form = await (await gateway()).open(CLERK, '2023-12', URLS);
    const [, date = ''] = /^[^/]+\/(\d{8})\//.exec(form.fields['X-Amz-Credential'] ?? '') ?? [];

    // Act
    const signingKey = hmac(
      hmac(hmac(hmac(`AWS4${CREDENTIALS.secretAccessKey}`, date), REGION), 's3'),
      'aws4_request',
    );
    const expected = hmac(signingKey, form.fields.Policy ?? '').toString('hex');

    // Assess
    expect(form.fields['X-Amz-Algorithm']).toBe('AWS4-HMAC-SHA256');
    expect(form.fields['X-Amz-Credential']).toBe(
      `${CREDENTIALS.accessKeyId}/${date}/${REGION}/s3/aws4_request`,
    );
    expect(form.fields['X-Amz-Signature']).toBe(expected);
  });

  it('expires the form after 15 minutes', async () => {
    // Act
    const before = Date.now();
    const form = await (await gateway()).open(CLERK, '2023-12', URLS);
    const { expiration } = policyOf(form.fields);

    // Assess
    const lifetime = new Date(expiration).getTime() - before;
    expect(lifetime).toBeGreaterThan((DEFAULT_FORM_EXPIRY_SECONDS - 5) * 1000);
    expect(lifetime).toBeLessThanOrEqual((DEFAULT_FORM_EXPIRY_SECONDS + 1) * 1000);
    expect(form.expiresAt).toBe(new Date(NOW.getTime() + DEFAULT_FORM_EXPIRY_SECONDS * 1000).toISOString());
  });

  it('gives every form a key of its own, so one upload never overwrites another', async () => {
    // Prepare
    const uploads = await gateway();

    // Act
    const forms = await Promise.all(Array.from({ length: 20 }, () => uploads.open(CLERK, '2023-12', URLS)));

    // Assess
    expect(new Set(forms.map((f) => f.fields.key)).size).toBe(20);
  });

  it('posts to the bucket origin, which the page CSP must allow, and never receives bytes itself', async () => {
    // Act
    const uploads = await gateway();
    const form = await uploads.open(CLERK, '2023-12', URLS);

    // Assess
    expect(uploads.mode).toBe('presigned');
    expect(uploads.formOrigins).toEqual([new URL(form.action).origin]);
    expect(form.action).toContain(BUCKET);
    await expect(
      uploads.receive(CLERK, '2023-12', {
        name: 'a.xlsx',
        contentType: XLSX_CONTENT_TYPE,
        bytes: new Uint8Array(1),
      }),
    ).rejects.toThrow(/presigned/);
  });

  it('signs nothing for a principal that is not a department', async () => {
    // Prepare
    const leader: Principal = { username: 'leader', role: 'leader', dept: null, name: '区领导' };

    // Act
    const opening = (await gateway()).open(leader, '2023-12', URLS);

    // Assess
    await expect(opening).rejects.toThrow(/department/);
  });
});
