import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogFile, seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import type { Catalog } from '../../../functions/core/catalog/catalog-schema.ts';
import {
  buildDemoScenario,
  CORRECTION_NOTE,
  type DemoBulletinRun,
  DemoScenarioError,
  type DemoUpload,
  REJECTED_TEXT,
} from '../../../functions/core/demo/demo-scenario.ts';
import { targetDisplay } from '../../../functions/core/ingest/template-contract.ts';
import { packageCalendar } from '../../support/calendar.ts';

const calendar = packageCalendar();

let seed: Catalog;
beforeAll(async () => {
  seed = await loadCatalogFile(seedCatalogPath(2023));
});

const uploadsOf = (steps: readonly { kind: string }[]) =>
  steps.filter((s): s is DemoUpload => s.kind === 'upload');
const bulletinsOf = (steps: readonly { kind: string }[]) =>
  steps.filter((s): s is DemoBulletinRun => s.kind === 'bulletin');
const reportingDepts = (c: Catalog) => c.departments.filter((d) => c.indicators.some((i) => i.dept === d.id));

describe('the demo scenario of a whole year', () => {
  it('has every reporting department upload every month except the one that misses a month', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar);

    // Assess
    const missing = scenario.incidents.missing;
    expect(missing).toBeDefined();
    expect(scenario.months).toHaveLength(12);
    for (const month of scenario.months) {
      const accepted = uploadsOf(month.steps).filter(
        (u) => u.period === month.period && u.purpose !== 'rejected',
      );
      const depts = new Set(accepted.filter((u) => u.purpose !== 'correction').map((u) => u.dept));
      const expected = reportingDepts(seed)
        .map((d) => d.id)
        .filter((d) => !(missing?.period === month.period && missing.dept === d));
      expect([...depts].sort(), month.period).toEqual(expected.sort());
      expect(month.missing).toEqual(missing?.period === month.period ? [missing.dept] : []);
    }
    expect(missing?.period).not.toBe('2023-12');
  });

  it('runs the scheduled bulletin once a month, after that month’s uploads, at the catalog rule’s hour', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar);

    // Assess
    for (const month of scenario.months) {
      const scheduled = bulletinsOf(month.steps).filter((b) => !b.reissue);
      expect(scheduled.map((b) => b.period)).toEqual([month.period]);
      const lastUpload = uploadsOf(month.steps)
        .filter((u) => u.period === month.period)
        .at(-1);
      expect(scheduled[0]?.at.localeCompare(lastUpload?.at ?? '')).toBe(1);
    }
    // September 2023: due Saturday 7 October (调休), bulletin Sunday 8 October 08:00 (调休).
    expect(bulletinsOf(scenario.months[8]?.steps ?? [])[0]?.at).toBe('2023-10-08T00:00:00.000Z');
  });

  it('chases only the department that misses a month: reminders at each point, the bulletin between them', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar);

    // Assess: June 2023 is due Tuesday 4 July; reminders 3 July 15:00, 4 July 09:00, 5 July 09:00.
    const june = scenario.months[5];
    const kinds = june?.steps.filter((s) => s.kind !== 'upload').map((s) => `${s.kind} ${s.at}`);
    expect(kinds).toEqual([
      'remind 2023-07-03T07:00:00.000Z',
      'remind 2023-07-04T01:00:00.000Z',
      'bulletin 2023-07-05T00:00:00.000Z',
      'remind 2023-07-05T01:00:00.000Z',
    ]);
    // Every other department has uploaded before the first reminder of its month.
    for (const month of scenario.months) {
      const first = month.steps.find((s) => s.kind === 'remind' && s.period === month.period);
      const late = uploadsOf(month.steps).filter(
        (u) => u.period === month.period && first && u.at > first.at,
      );
      expect(late).toEqual([]);
    }
  });

  it('orders every step in time, and puts every step of a month after the month itself', () => {
    // Act
    const steps = buildDemoScenario(seed, calendar).months.flatMap((m) => m.steps);

    // Assess
    const times = steps.map((s) => s.at);
    expect(times).toEqual([...times].sort());
    for (const step of steps) {
      const [year, month] = step.period.split('-').map(Number);
      expect(new Date(step.at).getTime()).toBeGreaterThan(
        Date.UTC(year ?? 0, month ?? 0, 1) - 8 * 3600_000 - 1,
      );
    }
  });

  it('has December’s uploads carry exactly the figures of the report (the target where it states none)', () => {
    // Act
    const december = buildDemoScenario(seed, calendar).months[11];

    // Assess
    const rows = new Map(
      uploadsOf(december?.steps ?? []).flatMap((u) => u.rows.map((r) => [r.code, r.value])),
    );
    for (const indicator of seed.indicators)
      expect(rows.get(indicator.code), indicator.code).toBe(
        indicator.reportedResult ?? targetDisplay(indicator),
      );
  });

  it('rejects one upload for text in a number cell, then the department resubmits the right figure', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar);

    // Assess
    const rejected = scenario.incidents.rejected;
    if (!rejected) throw new Error('no rejected upload planned');
    const uploads = uploadsOf(scenario.months.flatMap((m) => m.steps)).filter(
      (u) => u.dept === rejected.dept && u.period === rejected.period,
    );
    expect(uploads.map((u) => [u.purpose, u.expect])).toEqual([
      ['rejected', 'rejected'],
      ['resubmission', 'accepted'],
    ]);
    expect(uploads[0]?.rows.find((r) => r.code === rejected.code)?.value).toBe(REJECTED_TEXT);
    const right = scenario.trajectories.get(rejected.code)?.[Number(rejected.period.slice(5)) - 1];
    expect(uploads[1]?.rows.find((r) => r.code === rejected.code)?.value).toBe(right);
  });

  it('corrects one month after its bulletin was issued, and re-issues that bulletin', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar);

    // Assess
    const correction = scenario.incidents.correction;
    if (!correction) throw new Error('no correction planned');
    expect(correction.wrong).not.toBe(correction.right);
    const steps = scenario.months.flatMap((m) => m.steps);
    const forPeriod = steps.filter((s) => s.period === correction.period && s.kind !== 'remind');
    const summary = forPeriod
      .filter((s) => s.kind === 'bulletin' || (s.kind === 'upload' && s.dept === correction.dept))
      .map((s) =>
        s.kind === 'bulletin'
          ? `bulletin${s.reissue ? ' reissue' : ''}`
          : s.kind === 'upload'
            ? s.purpose
            : s.kind,
      );
    expect(summary).toEqual(['regular', 'bulletin', 'correction', 'bulletin reissue']);
    const [original, corrected] = uploadsOf(forPeriod).filter((u) => u.dept === correction.dept);
    expect(original?.rows.find((r) => r.code === correction.code)?.value).toBe(correction.wrong);
    expect(corrected?.rows.find((r) => r.code === correction.code)).toEqual({
      code: correction.code,
      value: correction.right,
      note: CORRECTION_NOTE,
    });
    const otherRows = (u?: DemoUpload) => u?.rows.filter((r) => r.code !== correction.code);
    expect(otherRows(corrected)).toEqual(otherRows(original));
  });

  it('involves three different departments in the three incidents', () => {
    // Act
    const { incidents } = buildDemoScenario(seed, calendar);

    // Assess
    const depts = [incidents.rejected?.dept, incidents.correction?.dept, incidents.missing?.dept];
    expect(new Set(depts).size).toBe(3);
  });
});

describe('a shorter demo', () => {
  it('packs the rejected upload, the correction and the missing department into three months', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar, { months: 3 });

    // Assess
    const steps = scenario.months.flatMap((m) => m.steps);
    expect(scenario.months.map((m) => m.period)).toEqual(['2023-01', '2023-02', '2023-03']);
    expect(steps.some((s) => s.kind === 'upload' && s.purpose === 'rejected')).toBe(true);
    expect(steps.some((s) => s.kind === 'upload' && s.purpose === 'correction')).toBe(true);
    expect(bulletinsOf(steps).map((b) => `${b.period}${b.reissue ? '*' : ''}`)).toEqual([
      '2023-01',
      '2023-02',
      '2023-02*',
      '2023-03',
    ]);
    expect(scenario.months.flatMap((m) => m.missing)).toHaveLength(1);
  });

  it('honours the chosen indicators and department', () => {
    // Act
    const scenario = buildDemoScenario(seed, calendar, {
      months: 2,
      correctionCode: 'ECO-TOURISTS',
      rejectedCode: 'ECO-FIRST-STORES',
      missingDept: 'nyj',
    });

    // Assess
    expect(scenario.incidents.correction).toMatchObject({
      code: 'ECO-TOURISTS',
      period: '2023-01',
      correctedDuring: '2023-02',
    });
    expect(scenario.incidents.rejected).toMatchObject({
      code: 'ECO-FIRST-STORES',
      dept: 'swj',
      period: '2023-02',
    });
    expect(scenario.incidents.missing).toEqual({ dept: 'nyj', period: '2023-01' });
  });

  it('refuses a month count outside 1–12 and unknown choices, naming them', () => {
    // Act / Assess
    expect(() => buildDemoScenario(seed, calendar, { months: 0 })).toThrow(DemoScenarioError);
    expect(() => buildDemoScenario(seed, calendar, { months: 13 })).toThrow(/1 to 12, got 13/);
    expect(() => buildDemoScenario(seed, calendar, { correctionCode: 'NOPE-X' })).toThrow(/NOPE-X/);
    expect(() => buildDemoScenario(seed, calendar, { missingDept: 'nobody' })).toThrow(/nobody/);
  });
});
