import type { LinkPosition } from '../archive/chain.ts';
import { STATUSES } from '../catalog/catalog-schema.ts';
import { allRows, type BulletinModel, type StatusCounts } from './bulletin-model.ts';

/**
 * The words of the bulletin mails: the leaders' mail (HTML with a plain-text part: headline,
 * counts by status, the items behind schedule with their 责任单位, the files attached or linked,
 * the manifest's sha256 at the bottom) and each department's mail with its own slice. Chinese
 * first, one English line. Everything taken from the catalog or a department's note is
 * escaped in the HTML; the subject is the mailer's to keep on one line.
 */

/** The facts of the model a mail needs, kept small so a retried delivery can rebuild them. */
export interface BulletinDigest {
  readonly title: string;
  readonly period: string;
  readonly periodLabel: string;
  readonly version: number;
  readonly previousVersion: number | null;
  readonly headline: readonly string[];
  readonly statusCounts: StatusCounts;
  readonly totalIndicators: number;
  /** 严重滞后, 逾期未完成 and 欠进度, the most behind first. */
  readonly behind: readonly BehindItem[];
  /** Departments with no accepted submission, by short name. */
  readonly notReported: readonly string[];
  /** The page-1 sentence on reporting against the due date, when the model has one. */
  readonly reporting?: string;
  readonly corrections?: string;
}

export interface BehindItem {
  readonly code: string;
  readonly name: string;
  readonly dept: string;
  readonly status: string;
  /** "完成率38.0%，序时进度50.0%" or the milestone/level equivalent. */
  readonly figures: string;
}

const BEHIND = new Set(['严重滞后', '逾期未完成', '欠进度']);

export function bulletinDigest(model: BulletinModel): BulletinDigest {
  const behind = allRows(model)
    .filter((r) => BEHIND.has(r.status))
    .sort(
      (a, b) =>
        Number(b.status === '严重滞后') - Number(a.status === '严重滞后') ||
        (a.gapPoints ?? 0) - (b.gapPoints ?? 0),
    )
    .map((r) => ({
      code: r.code,
      name: r.name,
      dept: r.deptShortName,
      status: r.status,
      figures:
        r.kind === 'milestone'
          ? `应达${r.expectedShareText}，实际${r.valueText}`
          : r.completionRate !== null && r.expectedShare !== null
            ? `完成率${r.completionRateText}，序时进度${r.expectedShareText}`
            : `本期${r.valueText}，目标${r.targetText}`,
    }));
  return {
    title: model.title,
    period: model.period,
    periodLabel: model.periodLabel,
    version: model.version,
    previousVersion: model.corrections.sinceVersion,
    headline: model.headline,
    statusCounts: model.statusCounts,
    totalIndicators: model.totalIndicators,
    behind,
    notReported: model.notReported.map((d) => d.shortName),
    ...(model.corrections.items.length > 0 ? { corrections: model.corrections.summary } : {}),
  };
}

/** How the leaders get the files: attached, or (over the size limit) linked. */
export type FileDelivery =
  | { readonly kind: 'attached'; readonly files: readonly { readonly name: string; readonly size: number }[] }
  | {
      readonly kind: 'linked';
      readonly links: readonly { readonly name: string; readonly size: number; readonly url: string }[];
      /** ISO instant the links stop working. */
      readonly expiresAt: string;
      /** The limit the attachments exceeded, in bytes. */
      readonly limitBytes: number;
    };

export interface LeadersMailInput {
  readonly district: string;
  readonly digest: BulletinDigest;
  readonly delivery: FileDelivery;
  readonly manifestKey: string;
  readonly manifestSha256: string;
  /** The version's place in the signed hash chain (absent on a pre-chain version). */
  readonly chain?: LinkPosition;
  readonly inputsHash?: string;
  readonly portalUrl?: string;
}

export interface MailWords {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function beijingMinute(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
}

function countsLine(counts: StatusCounts, total: number): string {
  return `共${total}项：${STATUSES.map((s) => `${s}${counts[s]}项`).join('，')}`;
}

function versionText(d: BulletinDigest): string {
  return d.previousVersion === null ? `第${d.version}版` : `第${d.version}版，更正第${d.previousVersion}版`;
}

/**
 * What lets a leader check a printed copy later: the manifest's sha256 (which the PDF cannot
 * print, the manifest hashing the PDF) and the version's place in the signed chain, the same
 * position the PDF's last page prints.
 */
function proofLines(input: LeadersMailInput): string[] {
  const c = input.chain;
  return [
    `${input.district}督办系统。存档核验（duban archive verify）/ archive manifest ${input.manifestKey}`,
    ...(c
      ? [
          `链位置 / chain position: 第 ${c.seq} 环 / link #${c.seq}`,
          `上一环清单 sha256 / previous link's manifest: ${c.prevSeq === null ? '无（首环） / none (first link)' : `#${c.prevSeq} ${c.prevManifestSha256}`}`,
        ]
      : []),
    ...(input.inputsHash ? [`输入指纹 / inputs fingerprint: ${input.inputsHash}`] : []),
    // Last, where the mail has always put it: the one line a reader compares.
    `sha256 ${input.manifestSha256}`,
  ];
}

export function leadersMail(input: LeadersMailInput): MailWords {
  const d = input.digest;
  const subject = `${d.title}（${versionText(d)}）`;
  const files =
    input.delivery.kind === 'attached'
      ? input.delivery.files.map((f) => `附件：${f.name}（${sizeText(f.size)}）`)
      : [
          `文件超过邮件附件上限（${sizeText(input.delivery.limitBytes)}），请通过以下链接下载（有效期至${beijingMinute(input.delivery.expiresAt)}）：`,
          ...input.delivery.links.map((l) => `${l.name}（${sizeText(l.size)}）：${l.url}`),
        ];
  const portal = input.portalUrl ? [`在线查看：${input.portalUrl}`] : [];
  const behindLines =
    d.behind.length === 0
      ? ['无欠进度、严重滞后指标。']
      : d.behind.map((b) => `${b.status}　${b.name}（${b.dept}）：${b.figures}`);
  const text = [
    `${d.title}（${versionText(d)}）已编发。`,
    '',
    ...d.headline,
    '',
    `指标进度 / by status: ${countsLine(d.statusCounts, d.totalIndicators)}`,
    ...(d.reporting ? [`报送情况：${d.reporting}`] : []),
    ...(d.notReported.length > 0 ? [`未报送单位：${d.notReported.join('、')}`] : []),
    ...(d.corrections ? [`更正：${d.corrections}`] : []),
    '',
    '滞后指标及责任单位 / behind schedule:',
    ...behindLines,
    '',
    ...files,
    ...portal,
    '',
    `English: ${d.period} progress bulletin, version ${d.version}; ${d.behind.length} indicators behind schedule; the PDF and Excel editions are ${input.delivery.kind === 'attached' ? 'attached' : 'linked above'}.`,
    '',
    ...proofLines(input),
  ].join('\n');

  const e = escapeHtml;
  const countCells = STATUSES.map(
    (s) => `<td style="padding:4px 8px;border:1px solid #ccc;text-align:right">${d.statusCounts[s]}</td>`,
  ).join('');
  const countHeads = STATUSES.map(
    (s) => `<th style="padding:4px 8px;border:1px solid #ccc;background:#f2f2f2">${e(s)}</th>`,
  ).join('');
  const behindRows = d.behind
    .map(
      (b) =>
        `<tr><td style="padding:4px 8px;border:1px solid #ccc">${e(b.status)}</td><td style="padding:4px 8px;border:1px solid #ccc">${e(b.name)}</td><td style="padding:4px 8px;border:1px solid #ccc">${e(b.dept)}</td><td style="padding:4px 8px;border:1px solid #ccc">${e(b.figures)}</td></tr>`,
    )
    .join('');
  const fileHtml =
    input.delivery.kind === 'attached'
      ? `<p>附件：${input.delivery.files.map((f) => `${e(f.name)}（${sizeText(f.size)}）`).join('，')}</p>`
      : `<p>文件超过邮件附件上限（${sizeText(input.delivery.limitBytes)}），请下载（链接有效期至${e(beijingMinute(input.delivery.expiresAt))}）：</p><ul>${input.delivery.links
          .map((l) => `<li><a href="${e(l.url)}">${e(l.name)}</a>（${sizeText(l.size)}）</li>`)
          .join('')}</ul>`;
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head>',
    "<body style=\"font-family:'Noto Sans SC','Microsoft YaHei',sans-serif;font-size:14px;color:#222\">",
    `<h2 style="font-size:18px">${e(d.title)}（${e(versionText(d))}）</h2>`,
    ...d.headline.map((h) => `<p>${e(h)}</p>`),
    `<table style="border-collapse:collapse;margin:8px 0"><tr>${countHeads}<th style="padding:4px 8px;border:1px solid #ccc;background:#f2f2f2">合计</th></tr><tr>${countCells}<td style="padding:4px 8px;border:1px solid #ccc;text-align:right">${d.totalIndicators}</td></tr></table>`,
    ...(d.reporting ? [`<p>报送情况：${e(d.reporting)}</p>`] : []),
    ...(d.notReported.length > 0 ? [`<p>未报送单位：${e(d.notReported.join('、'))}</p>`] : []),
    ...(d.corrections ? [`<p>更正：${e(d.corrections)}</p>`] : []),
    '<h3 style="font-size:15px">滞后指标及责任单位</h3>',
    d.behind.length === 0
      ? '<p>无欠进度、严重滞后指标。</p>'
      : `<table style="border-collapse:collapse"><tr><th style="padding:4px 8px;border:1px solid #ccc;background:#f2f2f2">状态</th><th style="padding:4px 8px;border:1px solid #ccc;background:#f2f2f2">指标</th><th style="padding:4px 8px;border:1px solid #ccc;background:#f2f2f2">责任单位</th><th style="padding:4px 8px;border:1px solid #ccc;background:#f2f2f2">进度</th></tr>${behindRows}</table>`,
    fileHtml,
    ...(input.portalUrl ? [`<p><a href="${e(input.portalUrl)}">在线查看 / open in the portal</a></p>`] : []),
    `<p style="color:#555">English: ${e(d.period)} progress bulletin, version ${d.version}; ${d.behind.length} indicators behind schedule.</p>`,
    `<p style="color:#777;font-size:12px">${proofLines(input)
      .map((l) =>
        l === `sha256 ${input.manifestSha256}` ? `sha256 <code>${e(input.manifestSha256)}</code>` : e(l),
      )
      .join('<br>')}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export interface DepartmentMailInput {
  readonly district: string;
  readonly deptName: string;
  readonly deptShortName: string;
  readonly digest: BulletinDigest;
  /** The department's own rows behind schedule. */
  readonly behind: readonly BehindItem[];
  readonly fileName: string;
  readonly reported: boolean;
}

/** The department's mail: its own slice of the bulletin attached, its items behind schedule listed. */
export function departmentMail(input: DepartmentMailInput): { subject: string; text: string } {
  const d = input.digest;
  const subject = `${d.title}（${input.deptShortName}分册，第${d.version}版）`;
  const text = [
    `${input.deptName}：`,
    '',
    `${d.periodLabel}进度通报已编发，附件为你单位牵头指标的分册（${input.fileName}）。`,
    input.reported ? '' : '你单位本期未报送，相关指标按未报送通报。',
    ...(input.behind.length > 0
      ? ['你单位牵头的滞后指标：', ...input.behind.map((b) => `${b.status}　${b.name}：${b.figures}`)]
      : ['你单位牵头指标无欠进度、严重滞后。']),
    '',
    `English: the ${d.period} progress bulletin is out; your department's section is attached.`,
    '',
    `${input.district}督办系统自动发送。`,
  ]
    .filter((line, i, all) => !(line === '' && all[i - 1] === ''))
    .join('\n');
  return { subject, text };
}
