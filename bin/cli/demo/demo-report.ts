import { deptShortName, indicatorName } from '../../../functions/core/catalog/catalog-lookup.ts';
import { STATUSES } from '../../../functions/core/catalog/catalog-schema.ts';
import type { CopiedFile } from './demo-output.ts';
import type { DemoRun } from './run-demo.ts';

/**
 * What the demo prints at the end: a table of every bulletin version it produced with the
 * month's uploads and status counts, the three incidents it staged, and where the files
 * are; and the same as one JSON document for --json.
 */

/** Terminal columns of a string: CJK and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    width +=
      cp >= 0x1100 &&
      (cp <= 0x115f ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6))
        ? 2
        : 1;
  }
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) =>
    Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => pad(c, widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export interface DemoSummary {
  readonly year: number;
  readonly dataDir: string;
  readonly outDir: string;
  readonly elapsedMs: number;
  readonly bulletins: readonly {
    period: string;
    version: number;
    status: string;
    reissue: boolean;
    statusCounts: Readonly<Record<string, number>>;
    files: number;
  }[];
  readonly uploads: { readonly accepted: number; readonly rejected: number; readonly unchanged: number };
  readonly incidents: DemoRun['incidents'];
  readonly headline: readonly string[];
  readonly files: readonly CopiedFile[];
  /** Portal accounts made for the replay and the file holding their passwords. */
  readonly portalUsers?: { readonly file: string; readonly count: number };
}

export function summarize(
  run: DemoRun,
  outDir: string,
  files: readonly CopiedFile[],
  elapsedMs: number,
): DemoSummary {
  const receipts = run.months.flatMap((m) => m.uploads.map((u) => u.receipt.status));
  const bulletins = run.months.flatMap((m) => m.bulletins);
  return {
    year: run.year,
    dataDir: run.dataDir,
    outDir,
    elapsedMs: Math.round(elapsedMs),
    bulletins: bulletins.map((b) => ({
      period: b.period,
      version: b.result.version,
      status: b.result.status,
      reissue: b.reissue,
      statusCounts: b.result.statusCounts,
      files: b.manifest.files.length,
    })),
    uploads: {
      accepted: receipts.filter((s) => s === 'accepted').length,
      rejected: receipts.filter((s) => s === 'rejected').length,
      unchanged: receipts.filter((s) => s === 'unchanged').length,
    },
    incidents: run.incidents,
    headline: bulletins.at(-1)?.manifest.headline ?? [],
    files,
  };
}

export function formatSummary(run: DemoRun, summary: DemoSummary): string {
  const byPeriod = new Map(run.months.map((m) => [m.period, m]));
  const rows = summary.bulletins.map((b) => {
    const month = byPeriod.get(b.period);
    const own = (month?.uploads ?? []).filter((u) => !b.reissue && u.period === b.period);
    const accepted = own.filter((u) => u.receipt.status === 'accepted').length;
    const rejected = own.filter((u) => u.receipt.status === 'rejected').length;
    const uploads = b.reissue ? '更正 1' : `${accepted}${rejected ? ` (+${rejected} 退回)` : ''}`;
    return [
      b.period,
      `v${b.version}${b.reissue ? ' 更正重发' : ''}`,
      uploads,
      ...STATUSES.map((s) => String(b.statusCounts[s] ?? 0)),
      String(b.files),
    ];
  });
  const table = formatTable(['月份', '版本', '报送', ...STATUSES, '文件'], rows);
  const { rejected, correction, missing } = summary.incidents;
  const catalog = run.catalog.catalog;
  const dept = (id: string) => deptShortName(catalog, id);
  const name = (code: string) => indicatorName(catalog, code);
  const incidents = [
    rejected &&
      `退回: ${dept(rejected.dept)} ${rejected.period} 的「${name(rejected.code)}」填了「${rejected.text}」, 收到回执后重新报送`,
    correction &&
      `更正: ${dept(correction.dept)} 在 ${correction.correctedDuring} 更正 ${correction.period} 的「${name(correction.code)}」 ${correction.wrong} → ${correction.right}, ${correction.period} 通报重发新版本`,
    missing && `未报送: ${dept(missing.dept)} 未报送 ${missing.period}`,
  ].filter((line): line is string => Boolean(line));
  const count = (kind: CopiedFile['kind']) => summary.files.filter((f) => f.kind === kind).length;
  return [
    `duban demo ${summary.year}: ${summary.bulletins.length} 份通报, ${summary.uploads.accepted} 份报送已接收, ${summary.uploads.rejected} 份退回 (${(summary.elapsedMs / 1000).toFixed(1)} s)`,
    '',
    table,
    '',
    ...incidents.map((l) => `  ${l}`),
    '',
    ...summary.headline.map((l) => `  ${l}`),
    '',
    `文件 / files in ${summary.outDir}: ${count('bulletin')} 通报 PDF, ${count('excel')} Excel, ${count('dept-pdf')} 部门分册, ${count('manifest')} manifest, ${count('receipt')} 回执, ${count('mail')} 邮件, ${count('reminder')} 催报邮件`,
    `数据 / data in ${summary.dataDir}: try \`npx duban archive list --data ${summary.dataDir}\`, \`npx duban archive verify --data ${summary.dataDir}\`, \`npx duban audit log --data ${summary.dataDir}\``,
    ...(summary.portalUsers
      ? [
          `门户账号 / portal accounts: ${summary.portalUsers.count} users, passwords in ${summary.portalUsers.file} (mode 0600)`,
          `打开门户 / open the portal: npx duban serve --data ${summary.dataDir}`,
        ]
      : []),
  ].join('\n');
}
