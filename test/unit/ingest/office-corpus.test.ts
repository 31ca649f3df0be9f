import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWorkbookReader } from '../../../functions/adapters/workbook/workbook-reader.ts';
import { validateUpload } from '../../../functions/core/ingest/validate-upload.ts';
import { ingestCatalog } from '../../fixtures/ingest-catalog.ts';

/**
 * fgw's June template filled in and saved by the programs departments use (made once by
 * scripts/make-office-corpus.sh with LibreOffice 7.4, Gnumeric 1.12 and openpyxl 3.0; the
 * files are committed, so this needs none of them). Each case names what its receipt says.
 */
const CORPUS = path.join(import.meta.dirname, '..', '..', 'fixtures', 'office-corpus');
const PROGRAMS = ['openpyxl', 'libreoffice', 'gnumeric'] as const;
const ALL = [60, 31000, 5.5, 5, '主体完成'];

interface Expected {
  readonly problems: readonly string[];
  readonly values: readonly (number | string)[];
  readonly signatures?: Readonly<Record<string, string>>;
}

const CASES: Readonly<Record<string, Expected>> = {
  numbers: {
    problems: [],
    values: ALL,
    signatures: { preparer: '张三', phone: '0371-12345678', reviewer: '李四' },
  },
  'text-numbers': { problems: [], values: ALL },
  'percent-in-percent-row': { problems: [], values: ALL },
  'percent-in-amount-row': { problems: ['error:value-unit-mismatch@E2'], values: ALL.slice(1) },
  'full-width-digits': { problems: [], values: ALL },
  'sheets-reordered': { problems: [], values: ALL },
  'data-sheet-renamed': { problems: ['error:data-sheet-missing@'], values: [] },
  'merged-note': { problems: [], values: ALL },
  'footer-row': { problems: ['error:row-added@A8'], values: ALL },
  'emoji-note': { problems: ['warning:text-not-printable@F2'], values: ALL },
  // 情况说明 in two formatted runs (bold, red): shared-string runs from LibreOffice, inline-string
  // runs from Gnumeric, plain again from openpyxl 3.0 (it keeps the text, drops the runs).
  'rich-text-note': { problems: [], values: ALL },
};

const RICH_NOTE = '受强降雨影响，进度略有滞后，已调度';

/** openpyxl writes formulas without results; LibreOffice and Gnumeric compute and keep them. */
const FORMULAS: Readonly<Record<(typeof PROGRAMS)[number], Expected>> = {
  openpyxl: {
    problems: ['error:formula-no-cached-result@E2', 'error:formula-no-cached-result@E3'],
    values: ALL.slice(2),
  },
  libreoffice: { problems: [], values: ALL },
  gnumeric: { problems: [], values: ALL },
};

const reader = createWorkbookReader();

function receiptOf(file: string) {
  const read = reader.read(new Uint8Array(readFileSync(path.join(CORPUS, file))));
  if (read.kind === 'rejected') return { rejectedAs: read.problem.code, message: read.problem.message_zh };
  const result = validateUpload(read.upload.workbook, {
    catalog: ingestCatalog(),
    catalogVersion: 1,
    key: { dept: 'fgw', period: '2023-06' },
    flags: {},
    previous: undefined,
  });
  return {
    problems: result.problems.map((p) => `${p.severity}:${p.code}@${p.cell ?? ''}`),
    values: result.values.map((v) => v.value),
    ...(result.signatures ? { signatures: result.signatures } : {}),
  };
}

describe('workbooks saved by office programs', () => {
  it('holds every case from every program, and nothing unexpected', () => {
    // Act
    const files = readdirSync(CORPUS).sort();

    // Assess
    const expected = [
      ...PROGRAMS.flatMap((p) => [...Object.keys(CASES), 'formulas'].map((c) => `${p}-${c}.xlsx`)),
      'libreoffice-numbers.ods',
      'libreoffice-numbers.xls',
    ].sort();
    expect(files).toEqual(expected);
  });

  for (const program of PROGRAMS) {
    for (const [name, expected] of Object.entries({ ...CASES, formulas: FORMULAS[program] })) {
      it(`${program}: ${name}`, () => {
        // Act
        const receipt = receiptOf(`${program}-${name}.xlsx`);

        // Assess
        expect(receipt).toEqual({
          ...expected,
          problems: [...expected.problems],
          values: [...expected.values],
        });
      });
    }
  }

  it.each(PROGRAMS)('%s: a note in formatted runs is read as its whole text, as typed', (program) => {
    // Act
    const read = reader.read(
      new Uint8Array(readFileSync(path.join(CORPUS, `${program}-rich-text-note.xlsx`))),
    );
    if (read.kind === 'rejected') throw new Error(read.problem.message_en);
    const result = validateUpload(read.upload.workbook, {
      catalog: ingestCatalog(),
      catalogVersion: 1,
      key: { dept: 'fgw', period: '2023-06' },
      flags: {},
      previous: undefined,
    });

    // Assess
    expect(result.values.filter((v) => v.note).map((v) => v.note)).toEqual([RICH_NOTE]);
  });

  it('asks for "Save As .xlsx" for LibreOffice\'s .ods and for a legacy .xls', () => {
    // Act
    const ods = receiptOf('libreoffice-numbers.ods');
    const xls = receiptOf('libreoffice-numbers.xls');

    // Assess
    expect(ods).toMatchObject({ rejectedAs: 'open-document' });
    expect(xls).toMatchObject({ rejectedAs: 'legacy-xls' });
    for (const r of [ods, xls])
      expect(r.message).toContain('请在 WPS/Excel/LibreOffice 中「另存为」Excel 工作簿(.xlsx)');
  });
});
