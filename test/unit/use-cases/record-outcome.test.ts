import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import { problem } from '../../../functions/core/ingest/problems.ts';
import { buildReceipt } from '../../../functions/core/ingest/receipt.ts';
import { LIMITS, utf8Bytes } from '../../../functions/shared/limits.ts';
import type { FetchedUpload } from '../../../functions/use-cases/ingest/fetch-upload.ts';
import { type IngestDecision, recordOutcome } from '../../../functions/use-cases/ingest/publish-receipt.ts';
import type { AuditLog } from '../../../functions/use-cases/ports/storage.ts';

/** An audit log that keeps what it is given, as the table would (one item per event). */
function memoryAudit(): AuditLog & { readonly events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return {
    events,
    async append(event) {
      events.push(event);
      return true;
    },
    async list() {
      return events;
    },
  };
}

const source = {
  bucket: 'uploads',
  key: 'incoming/fgw/2023-06/a.xlsx',
  sha256: 'a'.repeat(64),
  size: 1000,
  receivedAt: '2023-07-01T08:00:00.000Z',
  uploader: 'fgw-clerk',
};
const fetched = {
  eventId: 'ingest-1',
  upload: { bucket: 'uploads', key: source.key, eventTime: source.receivedAt },
  identity: {
    actor: 'fgw-clerk',
    identifiedBy: 'local',
    principal: 'local:fgw-clerk',
    declaredUploader: null,
  },
} as unknown as FetchedUpload;
const objects = {
  raw: 'raw/a.xlsx',
  receipt: 'receipts/fgw/2023-06/a.receipt.json',
  annotated: null,
  quarantine: null,
};

describe('recordOutcome', () => {
  it('lists the first 200 errors of a rejected upload and counts the rest', async () => {
    // Prepare
    const problems = Array.from({ length: 10_000 }, (_, i) =>
      problem({ code: 'indicator-unknown', sheet: '填报', cell: `A${i + 2}`, zh: '未知', en: 'unknown' }),
    );
    const receipt = buildReceipt({
      status: 'rejected',
      dept: 'fgw',
      period: '2023-06',
      problems,
      rows: 10_000,
      values: 0,
      source,
      objects,
    });
    const audit = memoryAudit();

    // Act
    await recordOutcome(audit, fetched, { kind: 'rejected' } as IngestDecision, receipt);

    // Assess
    const [event] = audit.events;
    expect(event?.detail).toMatchObject({ errorsNotListed: 9800, receipt: objects.receipt });
    expect(event?.detail.errors).toHaveLength(200);
  });

  it('keeps counts and the pointer to the receipt when the lists would not fit in one table item', async () => {
    // Prepare: a correction whose changes alone are larger than an item may be.
    const changes = Array.from({ length: 2000 }, (_, i) => ({
      code: `ECO-X${i}`,
      before: '甲'.repeat(100),
      after: '乙'.repeat(100),
    }));
    const correction = { previousVersion: 1, changes };
    const receipt = buildReceipt({
      status: 'accepted',
      dept: 'fgw',
      period: '2023-06',
      version: 2,
      correction,
      problems: [],
      rows: 2000,
      values: 2000,
      source,
      objects,
    });
    const decision = {
      kind: 'stored',
      stored: { status: 'accepted', submission: { correction } },
    } as unknown as IngestDecision;
    const audit = memoryAudit();

    // Act
    await recordOutcome(audit, fetched, decision, receipt);

    // Assess
    const [event] = audit.events;
    expect(utf8Bytes(JSON.stringify(event))).toBeLessThanOrEqual(LIMITS.maxTableItemBytes);
    expect(event?.action).toBe('submission.corrected');
    expect(event?.detail).toMatchObject({
      previousVersion: 1,
      changes: [],
      changesNotListed: 2000,
      receipt: objects.receipt,
    });
  });
});
