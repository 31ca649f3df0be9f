import { beforeAll, describe, expect, it } from 'vitest';
import { officialCalendar } from '../../../functions/adapters/calendar/official-calendar.ts';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { periodSubmissions } from '../../../functions/use-cases/submissions/period-status.ts';
import { LATE_DEPT, seedCatalog, seedSubmissions } from '../../fixtures/bulletin/seed-inputs.ts';
import { useLocalAws } from '../../support/local-aws.ts';
import { openPortal, type PortalFixture } from '../../support/portal.ts';

/**
 * The leader's 报送进度 board and GET /api/periods/{p}/status are the use case `duban status`
 * runs: the same standings, the same due day, the same 催报 dates.
 */

useLocalAws();
const NOW = new Date('2023-07-06T02:00:00Z');
let portal: PortalFixture;
let leader: string;

beforeAll(async () => {
  portal = await openPortal({ clock: () => NOW });
  leader = await portal.login('leader');
  const stores = createStores();
  // June 2023 (due Tuesday 4 July): 工信局's first version arrives on 5 July, 农业农村局 never,
  // after reminders on 3 and 4 July; everyone else on 3 July.
  const june = seedSubmissions(seedCatalog(), 6).filter((s) => s.period === '2023-06');
  for (const s of june) {
    await stores.submissions.put(s.dept === 'gxj' ? { ...s, receivedAt: '2023-07-05T03:00:00.000Z' } : s);
  }
  for (const [point, at] of [
    ['d-1', '2023-07-03T01:00:00.000Z'],
    ['d0', '2023-07-04T01:00:00.000Z'],
  ] as const) {
    const claim = { period: '2023-06', point, recipient: LATE_DEPT, scheduledFor: at, claimedAt: at };
    await stores.reminders.claim({ ...claim, to: ['nyj@jiefang.example.gov.cn'] });
    await stores.reminders.sent('2023-06', point, LATE_DEPT, { at, messageId: `<${point}@test>` });
  }
});

describe('the 报送进度 board', () => {
  it('answers each department as `duban status` judges it, with its reminders', async () => {
    // Prepare
    const stores = createStores();
    const expected = await periodSubmissions(
      { ...stores, calendar: await officialCalendar() },
      '2023-06',
      NOW,
    );

    // Act
    const res = await portal.request('/api/periods/2023-06/status', { cookie: leader });
    const lines = (await res.json()) as {
      dept: string;
      standing: string;
      remindedAt: string[];
      due: string;
    }[];

    // Assess
    expect(lines.map((l) => [l.dept, l.standing, l.remindedAt])).toEqual(
      expected.departments.map((d) => [d.dept, d.standing, d.remindedAt]),
    );
    expect(lines.find((l) => l.dept === 'gxj')?.standing).toBe('late');
    expect(lines.find((l) => l.dept === LATE_DEPT)).toMatchObject({
      standing: 'missing',
      remindedAt: ['2023-07-03T01:00:00.000Z', '2023-07-04T01:00:00.000Z'],
      due: '2023-07-04',
    });
  });

  it('shows 逾期报送, 已逾期 and the reminder dates on the page', async () => {
    // Act
    const page = await (await portal.request('/leader/board?period=2023-06', { cookie: leader })).text();

    // Assess
    const row = (name: string) => page.slice(page.indexOf(`<td>${name}</td>`)).split('</tr>')[0] ?? '';
    expect(row('工信局')).toContain('逾期报送');
    expect(row('农业农村局')).toContain('已逾期');
    expect(row('农业农村局')).toContain('2023-07-03、2023-07-04');
    expect(row('发改委')).not.toContain('逾期');
  });
});
