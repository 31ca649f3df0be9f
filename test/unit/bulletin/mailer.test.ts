import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMailer, OutboxMailer } from '../../../functions/adapters/mailer.ts';
import { NO_TRUST } from '../../../functions/core/ingest/upload-identity.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('OutboxMailer', () => {
  it('writes an .eml a mail client can open, with the Chinese text intact', async () => {
    // Prepare
    const dir = await mkdtemp(path.join(tmpdir(), 'duban-outbox-'));
    dirs.push(dir);
    const mailer = new OutboxMailer(
      dir,
      { from: 'duban@example.org' },
      () => new Date('2024-01-05T00:00:00Z'),
    );

    // Act
    const sent = await mailer.send({
      to: ['leader@example.org'],
      subject: '2023年12月进度通报（第1版）',
      text: '全区34项指标中，28项达到序时进度。',
    });

    // Assess
    const files = await readdir(dir);
    expect(files).toHaveLength(1);
    expect(sent.location).toBe(path.join(dir, files[0] as string));
    const raw = await readFile(sent.location, 'utf8');
    expect(raw).toMatch(/^From: .* <duban@example\.org>$/m);
    expect(raw).toMatch(/^To: leader@example\.org$/m);
    expect(raw).toMatch(/^Subject: =\?UTF-8\?/m);
    const body = raw.split('\r\n\r\n').slice(1).join('').replace(/\s/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8')).toContain('28项达到序时进度');
  });
});

describe('createMailer', () => {
  const base = {
    region: 'us-east-1',
    tableName: 't',
    uploadsBucket: 'u',
    archiveBucket: 'a',
    stage: 'local',
    leaderEmails: [],
    uploadTrust: NO_TRUST,
    retentionYears: 10,
  };

  it('refuses a local run without an outbox rather than sending through SES', () => {
    // Act
    const make = () => createMailer({ ...base, s3Endpoint: 'http://localhost:1' }, () => new Date(0));

    // Assess
    expect(make).toThrow(/outbox/);
  });

  it('uses the outbox when one is configured', () => {
    // Act
    const mailer = createMailer({ ...base, outboxDir: '/tmp/x' }, () => new Date(0));

    // Assess
    expect(mailer).toBeInstanceOf(OutboxMailer);
  });
});
