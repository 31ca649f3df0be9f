import type { AuditEvent } from '../../core/audit-event.ts';
import { auditActionZh } from '../../core/audit-labels.ts';
import { formatBeijing } from '../../core/portal/beijing-time.ts';

/** A CSV field: quoted when needed, and text a spreadsheet would run as a formula made inert. */
function field(value: unknown): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function detailText(event: AuditEvent): string {
  const d = event.detail;
  const parts: string[] = [];
  if (typeof d.version === 'number') parts.push(`v${d.version}`);
  if (typeof d.status === 'string') parts.push(d.status);
  if (Array.isArray(d.errors) && d.errors.length > 0) parts.push(`${d.errors.length}处错误`);
  if (Array.isArray(d.changes)) {
    for (const c of d.changes as { code?: unknown; before?: unknown; after?: unknown }[])
      parts.push(`${String(c.code)}: ${String(c.before ?? '—')} → ${String(c.after ?? '—')}`);
  }
  if (typeof d.key === 'string') parts.push(d.key);
  if (typeof d.file === 'string') parts.push(d.file);
  return parts.join('; ');
}

/** UTF-8 with a byte-order mark, so Excel and WPS open the Chinese text correctly. */
export function auditCsv(events: readonly AuditEvent[]): string {
  const header = ['时间(北京)', '月份', '单位', '动作', '动作代码', '操作人', '详情', '事件ID', 'UTC时间'];
  const rows = events.map((e) => [
    formatBeijing(e.at),
    e.period,
    e.dept ?? '',
    auditActionZh(e.action),
    e.action,
    e.actor,
    detailText(e),
    e.eventId,
    e.at,
  ]);
  return `\ufeff${[header, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
