import { beijingTime, periodLabel } from '../bulletin/bulletin-period.ts';
import type { Problem } from './problems.ts';
import type { Receipt } from './receipt.ts';

/**
 * The mail that answers a department's upload: its receipt in words a clerk acts on (accepted
 * as version N, unchanged, or rejected with each problem by sheet, cell and indicator), Chinese
 * first with the English beside it. The subject is the only header it writes; the mailer keeps
 * it on one line.
 */

export interface ReceiptMailInput {
  readonly receipt: Receipt;
  readonly district: string;
  /** The department's full name (the salutation); its id when the catalog does not know it. */
  readonly deptName: string;
  /** The uploaded file's name as the department named it. */
  readonly fileName: string;
  /** The annotated copy's attachment name, when one is attached. */
  readonly annotatedName?: string;
  readonly portalUrl?: string;
}

export interface ReceiptMailText {
  readonly subject: string;
  readonly text: string;
}

/** Every receipt mail's subject starts with it (and so its name in a local outbox). */
const RECEIPT_MAIL_MARK = '【报送回执】';

/** Problems listed in the mail; the rest are in the attached copy and the receipt. */
export const MAIL_PROBLEM_LIMIT = 30;

function where(p: Problem): string {
  const place = [p.sheet, p.cell].filter(Boolean).join('!');
  const indicator = p.indicator ? `${p.indicator}${p.indicatorName ? ` ${p.indicatorName}` : ''}` : '';
  return [place, indicator].filter(Boolean).join(' ');
}

function problemLines(problems: readonly Problem[], label: string, first: number): string[] {
  return problems.flatMap((p, i) => [
    `${first + i}. [${label}] ${where(p) ? `${where(p)}：` : ''}${p.message_zh}`,
    `   ${p.message_en}`,
  ]);
}

function subjectOf(r: Receipt, who: string, label: string): string {
  if (r.status === 'rejected') return `${RECEIPT_MAIL_MARK}${who}${label}数据未通过校验，请修改后重新上传`;
  if (r.status === 'unchanged')
    return `${RECEIPT_MAIL_MARK}${who}${label}数据与第${r.version}版相同，未生成新版本`;
  return r.correction
    ? `${RECEIPT_MAIL_MARK}${who}${label}数据已更正（第${r.version}版）`
    : `${RECEIPT_MAIL_MARK}${who}${label}数据已接收（第${r.version}版）`;
}

function outcomeLine(r: Receipt, fileName: string, at: string): string {
  const file = `你单位于${at}（北京时间）上传的“${fileName}”`;
  if (r.status === 'rejected') return `${file}未通过校验，未入库。`;
  if (r.status === 'unchanged') return `${file}与已接收的第${r.version}版内容相同，未生成新版本。`;
  return `${file}已接收，入库为第${r.version}版。`;
}

export function receiptMail(input: ReceiptMailInput): ReceiptMailText {
  const r = input.receipt;
  const who = r.deptName ?? input.deptName;
  const label = r.period ? periodLabel(r.period) : '';
  const lines = [`${input.deptName}：`, '', outcomeLine(r, input.fileName, beijingTime(r.source.receivedAt))];
  lines.push(r.summary_zh);
  if (r.correction && r.status === 'accepted') {
    lines.push('', `本次为更正，较第${r.correction.previousVersion}版修改${r.correction.changes.length}项：`);
    for (const c of r.correction.changes.slice(0, MAIL_PROBLEM_LIMIT)) {
      lines.push(`- ${c.code}${c.name ? ` ${c.name}` : ''}：${c.before ?? '空'} → ${c.after ?? '空'}`);
    }
  }
  const errors = r.errors.slice(0, MAIL_PROBLEM_LIMIT);
  const warnings = r.warnings.slice(0, Math.max(0, MAIL_PROBLEM_LIMIT - errors.length));
  if (errors.length + warnings.length > 0) {
    lines.push('', `问题清单（错误${r.counts.errors}项，提示${r.counts.warnings}项）：`);
    lines.push(...problemLines(errors, '错误', 1), ...problemLines(warnings, '提示', errors.length + 1));
    const unlisted = r.counts.errors + r.counts.warnings - errors.length - warnings.length;
    if (unlisted > 0) lines.push(`另有${unlisted}项未在邮件中列出，见附件中的批注或报送回执。`);
  }
  if (input.annotatedName) {
    lines.push(
      '',
      `附件“${input.annotatedName}”为标注了问题的工作簿：请按批注修改“本期值”后重新上传（请勿修改隐藏的 _meta 工作表）。`,
    );
  }
  if (input.portalUrl) lines.push(`报送平台：${input.portalUrl}`);
  lines.push(
    '',
    `English: ${r.summary_en}`,
    '',
    `原件已存档（sha256 ${r.source.sha256}）。${input.district}督办系统自动发送；如有疑问，请直接回复本邮件。`,
  );
  return { subject: subjectOf(r, who, label), text: lines.join('\n') };
}
