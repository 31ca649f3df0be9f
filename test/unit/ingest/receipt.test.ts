import { describe, expect, it } from 'vitest';
import { problem } from '../../../functions/core/ingest/problems.ts';
import {
  buildReceipt,
  formatReceipt,
  type ReceiptInput,
  receiptExitCode,
  receiptNames,
} from '../../../functions/core/ingest/receipt.ts';

const names = receiptNames({
  departments: [{ id: 'fgw', shortName: '发改委' }],
  indicators: [{ code: 'ECO-FAI', name: '重点项目完成投资' }],
});

const base: ReceiptInput = {
  status: 'accepted',
  dept: 'fgw',
  period: '2023-06',
  version: 2,
  problems: [],
  rows: 5,
  values: 5,
  source: {
    bucket: 'b',
    key: 'incoming/fgw/2023-06/a.xlsx',
    sha256: 'ab',
    size: 10,
    receivedAt: '2023-07-01T00:00:00Z',
    uploader: 'u',
  },
  catalog: { year: 2023, version: 1 },
  objects: {
    raw: 'raw/ab.xlsx',
    receipt: 'receipts/fgw/2023-06/a.ab.receipt.json',
    annotated: null,
    quarantine: null,
  },
};

describe('receipt', () => {
  it('splits errors from warnings and counts them', () => {
    // Prepare
    const input: ReceiptInput = {
      ...base,
      status: 'rejected',
      problems: [
        problem({
          code: 'value-empty',
          sheet: '填报',
          cell: 'E2',
          indicator: 'ECO-FAI',
          zh: '未填写',
          en: 'empty',
        }),
        problem({
          code: 'outlier',
          severity: 'warning',
          sheet: '填报',
          cell: 'E3',
          zh: '相差较大',
          en: 'far off',
        }),
      ],
    };

    // Act
    const receipt = buildReceipt(input);

    // Assess
    expect(receipt.errors.map((e) => e.code)).toEqual(['value-empty']);
    expect(receipt.warnings.map((w) => w.code)).toEqual(['outlier']);
    expect(receipt.counts).toEqual({ rows: 5, values: 5, errors: 1, warnings: 1, changed: 0 });
    expect(receipt.summary_zh).toContain('1 处错误');
    expect(receiptExitCode(receipt)).toBe(1);
  });

  it('describes a correction with its changes by name and exits 0 (#12 problem 8)', () => {
    // Prepare
    const changes = [{ code: 'ECO-FAI', before: 60, after: 62.5 }];

    // Act
    const receipt = buildReceipt({ ...base, names, correction: { previousVersion: 1, changes } });
    const text = formatReceipt(receipt);

    // Assess
    expect(receipt.summary_zh).toBe('发改委 2023年6月 更正已接收:第 2 版,1 项数值有变化');
    expect(receipt).toMatchObject({ dept: 'fgw', deptName: '发改委' });
    expect(receipt.correction?.changes).toEqual([
      { code: 'ECO-FAI', name: '重点项目完成投资', before: 60, after: 62.5 },
    ]);
    expect(receipt.counts.changed).toBe(1);
    expect(text).toContain('重点项目完成投资: 60 → 62.5');
    expect(text).not.toContain('ECO-FAI');
    expect(receiptExitCode(receipt)).toBe(0);
  });

  it('says unchanged for identical content, which is not a failure', () => {
    // Act
    const receipt = buildReceipt({ ...base, names, status: 'unchanged' });

    // Assess
    expect(receipt.summary_en).toBe('发改委 2023年6月 upload is identical to version 2; no new version');
    expect(receiptExitCode(receipt)).toBe(0);
  });

  it('falls back to the ids without a catalog', () => {
    // Act
    const receipt = buildReceipt({ ...base, status: 'unchanged' });

    // Assess
    expect(receipt.summary_zh).toContain('fgw 2023年6月');
    expect(receipt.deptName).toBeNull();
  });
});
