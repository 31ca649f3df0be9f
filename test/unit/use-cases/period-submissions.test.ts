import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { periodSubmissions } from '../../../functions/use-cases/submissions/period-status.ts';
import {
  LATE_DEPT,
  seedCatalog,
  seedCatalogVersion,
  seedCorrection,
  seedSubmissions,
} from '../../fixtures/bulletin/seed-inputs.ts';
import { packageCalendar } from '../../support/calendar.ts';
import { memoryStores } from '../bulletin/memory-stores.ts';

const calendar = packageCalendar();
/** Long after June 2023 was due (Tuesday 4 July). */
const LATER = new Date('2023-08-01T00:00:00Z');

function setup() {
  const catalog = seedCatalog();
  const stores = memoryStores(seedCatalogVersion(catalog));
  const subs = seedSubmissions(catalog, 6);
  stores.subs.push(...subs);
  return { catalog, stores, subs, deps: { ...stores, calendar } };
}

describe('who has reported for a month', () => {
  it('lists every department with indicators, its latest version, and 未报送 as no version', async () => {
    // Prepare
    const { catalog, deps } = setup();

    // Act
    const june = await periodSubmissions(deps, '2023-06', LATER);

    // Assess
    const leading = catalog.departments.filter((d) => catalog.indicators.some((i) => i.dept === d.id));
    expect(june.departments.map((d) => d.dept)).toEqual(leading.map((d) => d.id));
    const missing = june.departments.filter((d) => d.latest === null).map((d) => d.dept);
    expect(missing).toEqual([LATE_DEPT]);
    expect(june.departments.find((d) => d.dept === LATE_DEPT)).toMatchObject({
      standing: 'missing',
      late: true,
    });
    expect([june.reported, june.missing, june.late]).toEqual([leading.length - 1, 1, 0]);
    expect(june.departments.find((d) => d.dept === 'fgw')).toMatchObject({
      latest: { version: 1, correction: false },
      standing: 'on-time',
    });
    expect(june.due.day).toBe('2023-07-04');
  });

  it('shows a correction as the latest version and judges lateness on the first', async () => {
    // Prepare
    const { catalog, deps, subs, stores } = setup();
    const correction = seedCorrection(catalog, subs);
    stores.subs.push({ ...correction, receivedAt: '2023-07-20T02:00:00.000Z' });

    // Act
    const status = await periodSubmissions(deps, correction.period, LATER);

    // Assess
    expect(status.departments.find((d) => d.dept === correction.dept)).toMatchObject({
      latest: { version: 2, correction: true, sha256: correction.sourceSha256 },
      standing: 'on-time',
    });
  });

  it('marks a first report after the due day as 逾期报送, and counts days left before it', async () => {
    // Prepare: 农业农村局 reports June on Wednesday 5 July, the day after the due day.
    const { catalog, deps, stores } = setup();
    const [late] = seedSubmissions(catalog, 6).filter((s) => s.dept === 'fgw' && s.period === '2023-06');
    if (!late) throw new Error('fixture');
    stores.subs.push({ ...late, dept: LATE_DEPT, receivedAt: '2023-07-05T03:00:00.000Z' });

    // Act
    const after = await periodSubmissions(deps, '2023-06', LATER);
    const before = await periodSubmissions(deps, '2023-06', new Date('2023-07-02T04:00:00Z'));

    // Assess
    expect(after.departments.find((d) => d.dept === LATE_DEPT)).toMatchObject({
      standing: 'late',
      late: true,
    });
    expect(after.late).toBe(1);
    // On Sunday 2 July nobody has reported yet (the fixture reports on the 3rd); 4 July is 2 days and 2 working days ahead.
    expect(before.departments.every((d) => d.standing === 'pending')).toBe(true);
    expect([before.daysLeft, before.workingDaysLeft]).toEqual([2, 2]);
  });

  it('rejects a malformed period and a year without a catalog as input', async () => {
    // Prepare
    const { deps } = setup();

    // Act
    const malformed = periodSubmissions(deps, '2023-13', LATER);
    const noCatalog = periodSubmissions(deps, '2019-01', LATER);

    // Assess
    await expect(malformed).rejects.toBeInstanceOf(InputRejectedError);
    await expect(noCatalog).rejects.toThrow(/no catalog for 2019/);
  });
});
