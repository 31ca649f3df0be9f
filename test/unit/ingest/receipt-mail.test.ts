import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../functions/core/ingest/problems.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import { MAIL_PROBLEM_LIMIT, receiptMail } from '../../../functions/core/ingest/receipt-mail.ts';

function receipt(fields: Partial<Receipt> = {}): Receipt {
  return {
    status: 'accepted',
    dept: 'wlj',
    deptName: '文旅局',
    period: '2023-06',
    version: 2,
    correction: null,
    summary_zh: '已接收 4 项数据。',
    summary_en: 'Accepted 4 values.',
    errors: [],
    warnings: [],
    counts: { rows: 4, values: 4, errors: 0, warnings: 0, changed: 0 },
    source: {
      bucket: 'uploads',
      key: 'incoming/wlj/2023-06/六月.xlsx',
      sha256: 'a'.repeat(64),
      size: 1000,
      receivedAt: '2023-07-03T02:05:00.000Z',
      uploader: 'li.wlj',
    },
    catalog: { year: 2023, version: 1 },
    templateId: 't',
    objects: { raw: 'raw/a.xlsx', receipt: 'receipts/a.json', annotated: null, quarantine: null },
    ...fields,
  };
}

const problem = (n: number): Problem => ({
  code: 'value-not-numeric',
  severity: 'error',
  sheet: '填报',
  cell: `E${n + 1}`,
  indicator: `ECO-${n}`,
  indicatorName: `指标${n}`,
  message_zh: `本期值“六十”不是数字（第${n}行）`,
  message_en: `value is not a number (row ${n})`,
  value: '六十',
});

const input = { district: '解放区', deptName: '解放区文化广电和旅游局', fileName: '六月.xlsx' };

describe('receiptMail', () => {
  it('names a correction, its version and every change, with the time in Beijing', () => {
    // Prepare
    const correction = {
      previousVersion: 1,
      changes: [{ code: 'TOUR-VISITS', name: '接待游客人数', before: 290.34, after: 277.84 }],
    };

    // Act
    const mail = receiptMail({ ...input, receipt: receipt({ correction }) });

    // Assess
    expect(mail.subject).toBe('【报送回执】文旅局2023年6月数据已更正（第2版）');
    expect(mail.text).toContain('你单位于2023-07-03 10:05（北京时间）上传的“六月.xlsx”已接收，入库为第2版。');
    expect(mail.text).toContain('本次为更正，较第1版修改1项：\n- TOUR-VISITS 接待游客人数：290.34 → 277.84');
    expect(mail.text).toContain('English: Accepted 4 values.');
  });

  it('lists at most the mail limit of problems and says how many more are in the attached copy', () => {
    // Prepare
    const errors = Array.from({ length: MAIL_PROBLEM_LIMIT + 5 }, (_, i) => problem(i + 1));
    const rejected = receipt({
      status: 'rejected',
      version: null,
      errors,
      counts: { rows: 40, values: 0, errors: errors.length, warnings: 0, changed: 0 },
    });

    // Act
    const mail = receiptMail({ ...input, receipt: rejected, annotatedName: '六月-问题批注.xlsx' });

    // Assess
    expect(mail.subject).toBe('【报送回执】文旅局2023年6月数据未通过校验，请修改后重新上传');
    expect(mail.text).toContain('问题清单（错误35项，提示0项）：');
    expect(mail.text).toContain(
      '1. [错误] 填报!E2 ECO-1 指标1：本期值“六十”不是数字（第1行）\n   value is not a number (row 1)',
    );
    expect(mail.text).toContain(`${MAIL_PROBLEM_LIMIT}. [错误]`);
    expect(mail.text).not.toContain(`${MAIL_PROBLEM_LIMIT + 1}. [错误]`);
    expect(mail.text).toContain('另有5项未在邮件中列出');
    expect(mail.text).toContain('附件“六月-问题批注.xlsx”为标注了问题的工作簿');
  });

  it('says an identical re-upload made no new version, and links the portal when there is one', () => {
    // Act
    const mail = receiptMail({
      ...input,
      receipt: receipt({ status: 'unchanged' }),
      portalUrl: 'https://duban.example.gov.cn/',
    });

    // Assess
    expect(mail.subject).toBe('【报送回执】文旅局2023年6月数据与第2版相同，未生成新版本');
    expect(mail.text).toContain('报送平台：https://duban.example.gov.cn/');
  });
});
