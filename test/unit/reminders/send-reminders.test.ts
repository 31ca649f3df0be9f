import { describe, expect, it } from 'vitest';
import { OFFICE } from '../../../functions/core/reminders/reminder-ledger.ts';
import type { Mailer, MailMessage } from '../../../functions/use-cases/ports/bulletin.ts';
import { type RemindDeps, sendReminders } from '../../../functions/use-cases/reminders/send-reminders.ts';
import {
  LATE_DEPT,
  seedCatalog,
  seedCatalogVersion,
  seedSubmissions,
} from '../../fixtures/bulletin/seed-inputs.ts';
import { packageCalendar } from '../../support/calendar.ts';
import { memoryStores } from '../bulletin/memory-stores.ts';

const calendar = packageCalendar();
/** A Beijing day as a window, the way `duban remind --as-of <day>` acts on it. */
const day = (date: string) => ({
  from: new Date(`${date}T00:00:00+08:00`),
  to: new Date(`${date}T23:59:59.999+08:00`),
});

function setup(options: { failFirstSend?: boolean } = {}) {
  const catalog = seedCatalog();
  const stores = memoryStores(seedCatalogVersion(catalog));
  // June 2023 (due Tuesday 4 July): everyone reports on 3 July at 09:30 except 农业农村局.
  stores.subs.push(...seedSubmissions(catalog, 6));
  const sent: MailMessage[] = [];
  let fail = options.failFirstSend ?? false;
  const mailer: Mailer = {
    send: async (m) => {
      if (fail) {
        fail = false;
        throw new Error('SES throttled');
      }
      sent.push(m);
      return { messageId: `<${sent.length}@test>`, location: `outbox/${sent.length}.eml` };
    },
  };
  const deps: RemindDeps = {
    ...stores,
    mailer,
    calendar,
    buildTemplate: async ({ dept, period }) => new TextEncoder().encode(`template ${dept} ${period}`),
    clock: () => new Date('2026-01-01T00:00:00Z'),
    actor: 'test',
    portalUrl: 'https://duban.example.gov.cn',
  };
  const nyj = catalog.departments.find((d) => d.id === LATE_DEPT);
  if (!nyj) throw new Error('fixture');
  return { catalog, stores, sent, deps, nyj };
}

describe('催报 at each point', () => {
  it('on 3 July (2 working days before, 15:00) reminds only the department that has not reported, and the office', async () => {
    // Prepare
    const t = setup();

    // Act
    const result = await sendReminders(t.deps, '2023-06', day('2023-07-03'));

    // Assess
    expect(result.points.map((p) => `${p.id} ${p.day} ${p.at} ${p.acted}`)).toEqual([
      'd-2 2023-07-03 15:00 true',
      'd0 2023-07-04 09:00 false',
      'd+1 2023-07-05 09:00 false',
    ]);
    expect(result.missing).toEqual([LATE_DEPT]);
    expect(t.sent.map((m) => m.to)).toEqual([
      t.nyj.emails,
      ['duchaban@jiefang.example.gov.cn', 'tongji@jiefang.example.gov.cn'],
    ]);
    const [dept, office] = t.sent;
    expect(dept?.subject).toBe('【催报】农业农村局：2023年6月数据请于2023年7月4日（星期二）前报送');
    expect(dept?.text).toContain('https://duban.example.gov.cn');
    expect(dept?.text).toContain('English:');
    expect(dept?.attachments?.map((a) => [a.filename, new TextDecoder().decode(a.content)])).toEqual([
      ['农业农村局-2023-06-报送模板.xlsx', `template ${LATE_DEPT} 2023-06`],
    ]);
    expect(office?.subject).toContain('1个单位未报送');
    expect(office?.text).toContain('农业农村局');
    expect(t.stores.events.map((e) => `${e.action} ${e.dept ?? OFFICE}`)).toEqual([
      `reminder.sent ${LATE_DEPT}`,
      `reminder.sent ${OFFICE}`,
    ]);
  });

  it('a second run of the same point sends nothing', async () => {
    // Prepare
    const t = setup();
    await sendReminders(t.deps, '2023-06', day('2023-07-03'));

    // Act
    const again = await sendReminders(t.deps, '2023-06', day('2023-07-03'));

    // Assess
    expect(again.sent).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(['already-sent', 'already-sent']);
    expect(t.sent).toHaveLength(2);
  });

  it('reminds again on the due day and after it, counting the reminders, overdue wording after the due day', async () => {
    // Prepare
    const t = setup();
    await sendReminders(t.deps, '2023-06', day('2023-07-03'));

    // Act
    await sendReminders(t.deps, '2023-06', day('2023-07-04'));
    await sendReminders(t.deps, '2023-06', day('2023-07-05'));

    // Assess
    const toDept = t.sent.filter((m) => m.to.includes(t.nyj.emails[0] ?? ''));
    expect(toDept).toHaveLength(3);
    expect(toDept[1]?.text).toContain('第2次催报，截止日当天提醒');
    expect(toDept[2]?.subject).toBe('【催报】农业农村局：2023年6月数据已逾期，请尽快报送');
    expect(toDept[2]?.text).toContain('第3次催报，已逾期1个工作日');
    expect(t.sent.at(-1)?.text).toContain('此前已催报：7月3日、7月4日');
  });

  it('a department that reports between two points gets no further reminder', async () => {
    // Prepare
    const t = setup();
    await sendReminders(t.deps, '2023-06', day('2023-07-03'));
    const [june] = seedSubmissions(t.catalog, 6).filter((s) => s.dept === 'fgw' && s.period === '2023-06');
    if (!june) throw new Error('fixture');
    t.stores.subs.push({ ...june, dept: LATE_DEPT, receivedAt: '2023-07-04T00:30:00.000Z' });

    // Act
    const dueDay = await sendReminders(t.deps, '2023-06', day('2023-07-04'));

    // Assess
    expect(dueDay.missing).toEqual([]);
    expect(dueDay.sent).toEqual([]);
    expect(t.sent).toHaveLength(2);
  });

  it('a window without a point sends nothing', async () => {
    // Act
    const t = setup();
    const result = await sendReminders(t.deps, '2023-06', day('2023-07-06'));

    // Assess
    expect(result.points.some((p) => p.acted)).toBe(false);
    expect(t.sent).toEqual([]);
  });

  it('a run that claimed and died before sending is finished by its retry, and only by it', async () => {
    // Prepare
    const t = setup({ failFirstSend: true });
    const first = { ...t.deps, runId: 'request-1' };
    await expect(sendReminders(first, '2023-06', day('2023-07-03'))).rejects.toThrow('SES throttled');

    // Act
    const other = await sendReminders({ ...t.deps, runId: 'request-2' }, '2023-06', day('2023-07-03'));
    const retry = await sendReminders(first, '2023-06', day('2023-07-03'));

    // Assess: the other run leaves the claimed department alone and sends the unclaimed summary.
    expect(other.skipped).toEqual([{ point: 'd-2', recipient: LATE_DEPT, reason: 'in-flight' }]);
    expect(other.sent.map((s) => s.recipient)).toEqual([OFFICE]);
    expect(retry.sent.map((s) => s.recipient)).toEqual([LATE_DEPT]);
    expect(t.sent).toHaveLength(2);
  });
});
