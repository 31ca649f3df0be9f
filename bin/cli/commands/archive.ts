import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { beijingTime } from '../../../functions/core/bulletin/bulletin-period.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { type SubmissionAuditRow, submissionAuditRow } from '../../../functions/core/raw-uploads.ts';
import { PERIOD_PATTERN } from '../../../functions/core/submission.ts';
import type { RawProblem } from '../../../functions/use-cases/archive/raw-uploads.ts';
import { verifyArchive } from '../../../functions/use-cases/archive/verify-archive.ts';
import type { BulletinArchive, VerifyProblem } from '../../../functions/use-cases/ports/bulletin.ts';
import { catalogNames, type NamesOfYear } from '../catalog-names.ts';
import { composeCli } from '../compose-cli.ts';
import { deptIdOf, deptYears } from '../dept-option.ts';
import { runCommand } from '../run-command.ts';

export function parsePeriodOption(raw: string, what = '--period'): string {
  if (!PERIOD_PATTERN.test(raw)) throw new UsageError(`${what} must be YYYY-MM (e.g. 2023-12), got "${raw}"`);
  return raw;
}

function parseVersionOption(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--version must be a positive integer, got "${raw}"`);
  return n;
}

/**
 * Copies one archived version (its files and manifest.json) into `dir`, keeping the folder
 * layout (depts/<id>.pdf), and returns the paths written. Bytes come from the archive, so
 * what lands on disk is what the manifest vouches for.
 */
export async function copyVersionTo(
  archive: BulletinArchive,
  period: string,
  version: number | undefined,
  dir: string,
): Promise<{ version: number; paths: string[] }> {
  const { stored, files } = await archive.get(period, version);
  const paths: string[] = [];
  for (const { file, body } of files) {
    const target = path.join(dir, ...file.name.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, body);
    paths.push(target);
  }
  const manifestPath = path.join(dir, 'manifest.json');
  await writeFile(manifestPath, `${JSON.stringify(stored.manifest, null, 2)}\n`);
  paths.push(manifestPath);
  return { version: stored.manifest.version, paths };
}

function problemLine(p: VerifyProblem): string {
  switch (p.kind) {
    case 'missing':
      return `MISSING   ${p.key} (对象缺失 / object is missing)`;
    case 'sha256-mismatch':
      return `CHANGED   ${p.key} (sha256 ${p.actual} ≠ manifest ${p.expected})`;
    case 'size-mismatch':
      return `CHANGED   ${p.key} (size ${p.actual} ≠ manifest ${p.expected})`;
    case 'unlisted':
      return `UNLISTED  ${p.key} (不在清单中 / not named by its version's manifest)`;
    case 'bad-manifest':
      return `BAD       ${p.key} (${p.actual})`;
  }
}

function rawProblemLine(p: RawProblem): string {
  const by = p.submission
    ? ` named by ${p.submission.dept} ${p.submission.period} v${p.submission.version}`
    : '';
  switch (p.kind) {
    case 'missing':
      return `MISSING   ${p.key} (原始上传缺失 / raw upload is missing${by}; sha256 ${p.expected})`;
    case 'changed':
      return `CHANGED   ${p.key} (sha256 ${p.actual} ≠ ${p.expected}${by})`;
    case 'not-content-addressed':
      return `UNNAMED   ${p.key} (不是 raw/<sha256>.<ext> / not named by its sha256)`;
  }
}

/** One submission version: departments and indicators by name, the time in Beijing time. */
async function submissionLine(r: SubmissionAuditRow, names: NamesOfYear): Promise<string> {
  const n = await names(Number(r.period.slice(0, 4)));
  const changed = r.correction?.changedCodes.map((c) => n?.indicators[c] ?? c) ?? [];
  const correction = r.correction
    ? `  更正 v${r.correction.previousVersion}→v${r.version}: ${changed.join('、') || '(no value changed)'}`
    : '';
  const dept = n?.depts[r.dept] ?? r.dept;
  return `${r.period}  ${dept}  v${r.version}  ${beijingTime(r.receivedAt)}  ${r.uploader}  ${r.sha256}  ${r.rawKey}${correction}`;
}

/** `duban archive list|get|verify|submissions|get-raw`. */
export function register(program: Command): void {
  const archive = program
    .command('archive')
    .description('archived bulletins and raw uploads: list, download, verify');

  archive
    .command('list')
    .description('list archived bulletin versions')
    .option('--period <YYYY-MM>', 'only this month')
    .action(async (opts: { period?: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const period = opts.period === undefined ? undefined : parsePeriodOption(opts.period);
          const versions = await composeCli().archive.list(period);
          const rows = versions.map((v) => ({
            period: v.manifest.period,
            version: v.manifest.version,
            generatedAt: v.manifest.generatedAt,
            previousVersion: v.manifest.previousVersion,
            files: v.manifest.files.length,
            manifestKey: v.manifestKey,
            manifestSha256: v.manifestSha256,
            statusCounts: v.manifest.statusCounts,
          }));
          const text =
            rows.length === 0
              ? `no archived bulletins${period ? ` for ${period}` : ''}`
              : rows
                  .map(
                    (r) =>
                      `${r.period}  v${r.version}  ${r.generatedAt}  ${r.files} files  manifest ${r.manifestSha256}`,
                  )
                  .join('\n');
          return { json: { versions: rows }, text };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('get')
    .description('download one archived version (default: the latest) with its manifest')
    .argument('<period>', 'YYYY-MM')
    .option('--version <n>', 'bulletin version (default: the latest)')
    .requiredOption('--out <dir>', 'directory to write the files into')
    .action(async (rawPeriod: string, opts: { version?: string; out: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const period = parsePeriodOption(rawPeriod, 'period');
          const got = await copyVersionTo(
            composeCli().archive,
            period,
            parseVersionOption(opts.version),
            opts.out,
          );
          return {
            json: { period, version: got.version, files: got.paths },
            text: `${period} v${got.version} → ${opts.out}\n${got.paths.map((p) => `  ${p}`).join('\n')}`,
          };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('verify')
    .description(
      'recompute every sha256 against the manifests; exit 1 naming any object that differs or is missing',
    )
    .option('--period <YYYY-MM>', 'only this month')
    .action(async (opts: { period?: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const period = opts.period === undefined ? undefined : parsePeriodOption(opts.period);
          const { ok, bulletins: report, raw } = await verifyArchive(composeCli(), period);
          const bulletinsOk = report.problems.length === 0;
          const rawOk = raw.problems.length === 0;
          const lines = [
            `${report.versions} versions, ${report.objectsChecked} objects checked: ${bulletinsOk ? 'all match their manifests' : `${report.problems.length} problem(s)`}`,
            ...report.problems.map(problemLine),
            ...report.unfinished.map((f) => `note: ${f} has no manifest (an unfinished run; not a version)`),
            `${raw.rawObjectsChecked} raw uploads, ${raw.submissionsChecked} submission versions checked: ${rawOk ? 'all match their sha256' : `${raw.problems.length} problem(s)`}`,
            ...raw.problems.map(rawProblemLine),
          ];
          return { json: { ok, ...report, raw }, text: lines.join('\n'), exitCode: ok ? 0 : 1 };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('submissions')
    .description('every submission version (更正 history): who uploaded which file when, newest period first')
    .option('--period <YYYY-MM>', 'only this month')
    .option('--dept <id|name>', 'only this department (id or name, e.g. fgw or 发改委)')
    .action(async (opts: { period?: string; dept?: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const period = opts.period === undefined ? undefined : parsePeriodOption(opts.period);
          const cli = composeCli();
          const catalogs = cli.stores.catalogs;
          const listed = await cli.raw.listSubmissions({ period });
          const dept = opts.dept
            ? await deptIdOf(
                catalogs,
                opts.dept,
                deptYears(
                  period,
                  listed.map((s) => s.period),
                ),
              )
            : undefined;
          const subs = dept ? listed.filter((s) => s.dept === dept) : listed;
          const rows = subs.map(submissionAuditRow);
          const names = catalogNames(catalogs);
          const text =
            rows.length === 0
              ? `no submissions${period ? ` for ${period}` : ''}${dept ? ` of ${dept}` : ''}`
              : (await Promise.all(rows.map((r) => submissionLine(r, names)))).join('\n');
          return { json: { submissions: rows }, text };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('get-raw')
    .description('download an original upload by its sha256 (or a unique prefix of 12+ characters), verified')
    .argument('<sha256>', 'sha256 of the upload, or a unique prefix of at least 12 hex characters')
    .requiredOption('--out <dir>', 'directory to write the file into')
    .action(async (shaOrPrefix: string, opts: { out: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const got = await composeCli().raw.getRaw(shaOrPrefix);
          await mkdir(opts.out, { recursive: true });
          const file = path.join(opts.out, got.fileName);
          await writeFile(file, got.body);
          const rows = got.submissions.map(submissionAuditRow);
          const names = catalogNames(composeCli().stores.catalogs);
          const lines = await Promise.all(rows.map((r) => submissionLine(r, names)));
          return {
            json: { sha256: got.sha256, key: got.key, file, size: got.body.byteLength, submissions: rows },
            text: [`${got.key} → ${file} (sha256 verified)`, ...lines.map((l) => `  ${l}`)].join('\n'),
          };
        },
        { storage: 'existing' },
      );
    });
}
