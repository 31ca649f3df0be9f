import { periodLabel } from '../bulletin/bulletin-period.ts';
import { type CalendarDay, describeDay } from '../calendar/working-calendar.ts';
import type { DueDate } from '../due-date.ts';

/**
 * The words of a 催报 mail: one to each department that has not reported, one summary to the
 * office. Chinese first, one English line; nothing here is a header except the subject, which
 * the mailer keeps on one line.
 */

export interface ReminderMailText {
  readonly subject: string;
  readonly text: string;
}

export interface DepartmentReminderInput {
  readonly district: string;
  readonly deptName: string;
  readonly deptShortName: string;
  readonly period: string;
  readonly indicators: number;
  readonly due: Pick<DueDate, 'day' | 'rule'> & { readonly calendarDay: CalendarDay };
  /** Working days from the due day: −2 before, 0 on it, 1 after. */
  readonly workingDays: number;
  /** Which reminder this is for the department (1 = first). */
  readonly nth: number;
  readonly templateName: string;
  readonly portalUrl?: string;
}

function stageText(workingDays: number): string {
  if (workingDays < 0) return `截止日前${-workingDays}个工作日提醒`;
  if (workingDays === 0) return '截止日当天提醒';
  return `已逾期${workingDays}个工作日`;
}

export function departmentReminder(input: DepartmentReminderInput): ReminderMailText {
  const label = periodLabel(input.period);
  const dueText = describeDay(input.due.calendarDay);
  const overdue = input.workingDays > 0;
  const subject = overdue
    ? `【催报】${input.deptShortName}：${label}数据已逾期，请尽快报送`
    : `【催报】${input.deptShortName}：${label}数据请于${dueText}前报送`;
  const upload = input.portalUrl
    ? `请登录督办系统上传：${input.portalUrl}`
    : '请将填好的模板按原渠道上传（duban ingest 或报送平台）。';
  const text = [
    `${input.deptName}：`,
    '',
    overdue
      ? `你单位牵头的${input.indicators}项指标${label}数据应于${dueText}24时前报送，至今尚未收到，已逾期。请尽快报送；逾期报送将在进度通报的报送情况中标注。`
      : `你单位牵头的${input.indicators}项指标${label}数据尚未报送。报送截止时间为${dueText}24时（${input.due.rule}）。`,
    '',
    `附件为你单位本期报送模板（${input.templateName}），请在“本期值”列填报后上传。`,
    upload,
    '',
    `English: ${overdue ? 'OVERDUE — ' : ''}your ${input.period} figures (${input.indicators} indicators) were due by ${input.due.day} 24:00 Beijing time; the template is attached.`,
    '',
    `${input.district}督办系统自动发送（第${input.nth}次催报，${stageText(input.workingDays)}）。如已报送，请忽略本邮件。`,
  ].join('\n');
  return { subject, text };
}

export interface OfficeSummaryInput {
  readonly district: string;
  readonly period: string;
  readonly due: Pick<DueDate, 'day'> & { readonly calendarDay: CalendarDay };
  readonly workingDays: number;
  /** "2023-07-04 09:00" */
  readonly asOfText: string;
  readonly total: number;
  readonly missing: readonly {
    readonly name: string;
    readonly indicators: number;
    readonly reminded: readonly string[];
    /** Addresses the reminder went to; empty when the catalog has none (the office must phone). */
    readonly to: readonly string[];
  }[];
}

export function officeSummary(input: OfficeSummaryInput): ReminderMailText {
  const label = periodLabel(input.period);
  const subject = `【催报汇总】${label}：${input.missing.length}个单位未报送（截至${input.asOfText}）`;
  const lines = input.missing.map((m, i) => {
    const mailed = m.to.length > 0 ? `已发催报至 ${m.to.join('、')}` : '目录中无邮箱，请电话催报';
    const before = m.reminded.length > 0 ? `；此前已催报：${m.reminded.join('、')}` : '';
    return `${i + 1}. ${m.name}（${m.indicators}项指标）：${mailed}${before}`;
  });
  const text = [
    `${label}数据报送截止日为${describeDay(input.due.calendarDay)}（${stageText(input.workingDays)}）。`,
    `截至${input.asOfText}，${input.total}个责任单位中已报送${input.total - input.missing.length}个，未报送${input.missing.length}个：`,
    '',
    ...lines,
    '',
    `English: ${input.missing.length} of ${input.total} departments have not reported ${input.period} (due ${input.due.day}); each was reminded.`,
    '',
    `${input.district}督办系统自动发送。`,
  ].join('\n');
  return { subject, text };
}
