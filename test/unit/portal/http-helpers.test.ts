import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import { formatBeijing, periodZh } from '../../../functions/core/portal/beijing-time.ts';
import { attachment } from '../../../functions/portal/http/content-disposition.ts';
import { auditCsv } from '../../../functions/portal/services/audit-csv.ts';

describe('download names', () => {
  it('gives an ASCII fallback and the exact UTF-8 name', () => {
    expect(attachment('发改委-2023-06.xlsx')).toBe(
      `attachment; filename="___-2023-06.xlsx"; filename*=UTF-8''${encodeURIComponent('发改委-2023-06.xlsx')}`,
    );
  });

  it('drops folders, quotes and control characters', () => {
    const header = attachment('../../etc/pa"ss\r\nwd.csv');
    expect(header).toContain('filename="pa_sswd.csv"');
    expect(header).not.toMatch(/[\r\n]/);
  });
});

describe('Beijing time', () => {
  it('prints instants at UTC+8', () => {
    expect(formatBeijing('2023-12-31T16:05:00Z')).toBe('2024-01-01 00:05');
    expect(formatBeijing(undefined)).toBe('—');
    expect(periodZh('2023-06')).toBe('2023年6月');
  });
});

describe('audit CSV', () => {
  const event = (over: Partial<AuditEvent>): AuditEvent => ({
    eventId: 'e1',
    at: '2023-07-03T01:00:00Z',
    action: 'submission.corrected',
    actor: 'fgw',
    period: '2023-06',
    dept: 'fgw',
    detail: { version: 2, changes: [{ code: 'ECO-GDP', before: 1, after: 2 }] },
    ...over,
  });

  it('starts with a BOM, labels actions in Chinese and prints Beijing time', () => {
    const csv = auditCsv([event({})]);
    expect(csv.startsWith('\ufeff时间(北京),')).toBe(true);
    expect(csv).toContain(
      '2023-07-03 09:00,2023-06,fgw,更正接收,submission.corrected,fgw,v2; ECO-GDP: 1 → 2,e1',
    );
  });

  it('quotes separators and makes formulas inert', () => {
    const csv = auditCsv([event({ actor: '=HYPERLINK("x")', detail: { file: 'a,b' } })]);
    expect(csv).toContain(`"'=HYPERLINK(""x"")"`);
    expect(csv).toContain('"a,b"');
  });
});
