import type { Command } from 'commander';
import { beijingTime } from '../../../functions/core/bulletin/bulletin-period.ts';
import { type SubmissionAuditRow, submissionAuditRow } from '../../../functions/core/raw-uploads.ts';
import { MANIFEST_FILE, SEAL_FILE } from '../../../functions/shared/resources.ts';
import { type FetchDeps, fetchVerifiedVersion } from '../../../functions/use-cases/archive/fetch-version.ts';
import { catalogNames, type NamesOfYear } from '../catalog-names.ts';
import { composeCli } from '../compose-cli.ts';
import { deptIdOf, deptYears } from '../dept-option.ts';
import { parsePeriodOption, parseVersionOption } from '../options.ts';
import { runCommand } from '../run-command.ts';
import { checkNames, writeInside } from '../safe-output.ts';
import { registerProof } from './archive-proof.ts';

/**
 * Copies one archived version into `dir` (its files, keeping depts/<id>.pdf, the manifest
 * exactly as archived and its seal), after proving it: every file against the manifest, the
 * manifest against its signed chain link. A version that does not check out is refused
 * whole (ArchiveMismatchError, exit 1) and nothing is written; names never leave `dir`.
 */
export async function copyVersionTo(
  deps: FetchDeps,
  period: string,
  version: number | undefined,
  dir: string,
): Promise<{ version: number; paths: string[]; notes: readonly string[] }> {
  const got = await fetchVerifiedVersion(deps, period, version);
  const outputs: { name: string; body: Uint8Array | string }[] = [
    ...got.files,
    { name: MANIFEST_FILE, body: got.manifestBytes },
    ...(got.sealBytes ? [{ name: SEAL_FILE, body: got.sealBytes }] : []),
  ];
  checkNames(outputs.map((o) => o.name));
  const paths: string[] = [];
  for (const o of outputs) paths.push(await writeInside(dir, o.name, o.body));
  return { version: got.stored.manifest.version, paths, notes: got.notes };
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

/** `duban archive list|get|submissions|get-raw`, and verify|pubkey|chain|export (archive-proof.ts). */
export function register(program: Command): void {
  const archive = program
    .command('archive')
    .description('archived bulletins and raw uploads: list, download, verify, export');

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
            chainSeq: v.manifest.chain?.seq ?? null,
            statusCounts: v.manifest.statusCounts,
          }));
          const text =
            rows.length === 0
              ? `no archived bulletins${period ? ` for ${period}` : ''}`
              : rows
                  .map(
                    (r) =>
                      `${r.period}  v${r.version}  ${r.chainSeq === null ? '       ' : `#${String(r.chainSeq).padEnd(6)}`}${r.generatedAt}  ${r.files} files  manifest ${r.manifestSha256}`,
                  )
                  .join('\n');
          return { json: { versions: rows }, text };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('get')
    .description(
      'download one archived version (default: the latest) with its manifest and seal, each file checked against the manifest and the manifest against the signed chain',
    )
    .argument('<period>', 'YYYY-MM')
    .option('--version <n>', 'bulletin version (default: the latest)')
    .requiredOption('--out <dir>', 'directory to write the files into')
    .action(async (rawPeriod: string, opts: { version?: string; out: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const period = parsePeriodOption(rawPeriod, 'period');
          const cli = composeCli();
          const got = await copyVersionTo(
            { archive: cli.archive, chain: cli.stores.chain, key: cli.archiveKey },
            period,
            parseVersionOption(opts.version),
            opts.out,
          );
          return {
            json: { period, version: got.version, files: got.paths, verified: true, notes: got.notes },
            text: [
              `${period} v${got.version} → ${opts.out} (sha256 verified against the manifest and the signed chain)`,
              ...got.paths.map((p) => `  ${p}`),
              ...got.notes,
            ].join('\n'),
          };
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
          const file = await writeInside(opts.out, got.fileName, got.body);
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
  registerProof(archive);
}
