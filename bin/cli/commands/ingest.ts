import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path, { basename } from 'node:path';
import type { Command } from 'commander';
import { readInputFile } from '../../../functions/adapters/catalog-files.ts';
import { ensureCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { readWorkbook } from '../../../functions/adapters/workbook/workbook-reader.ts';
import { WorkbookRejectedError } from '../../../functions/adapters/workbook/zip-guard.ts';
import { InputRejectedError, UsageError } from '../../../functions/core/errors.ts';
import {
  formatReceipt,
  listedReceipt,
  type Receipt,
  receiptExitCode,
} from '../../../functions/core/ingest/receipt.ts';
import { META_KEYS } from '../../../functions/core/ingest/template-contract.ts';
import { DEFAULT_LIMITS, fileTooLarge } from '../../../functions/core/ingest/upload-limits.ts';
import { parsePeriod } from '../../../functions/core/submission.ts';
import { readReceipt, submitUpload } from '../../../functions/use-cases/ingest/submit-upload.ts';
import { type CliDeps, composeCli } from '../compose-cli.ts';
import { DEPT_ID, resolveDept } from '../dept-option.ts';
import { type CommandContext, runCommand } from '../run-command.ts';

interface IngestOptions {
  readonly dept?: string;
  readonly period?: string;
  readonly out?: string;
}

/** How long to wait for a separately running `duban local` to write the receipt. */
const RECEIPT_WAIT_MS = 60_000;

/** Department and period for the upload key: the flags, else the workbook's own _meta. */
function placement(bytes: Uint8Array, file: string, opts: IngestOptions): { dept: string; period: string } {
  let meta: Record<string, { value: string }> | undefined;
  if (!opts.dept || !opts.period) {
    try {
      meta = readWorkbook(bytes).meta;
    } catch (error) {
      if (!(error instanceof WorkbookRejectedError)) throw error;
      const p = error.problem;
      throw new InputRejectedError(`${file}: ${p.message_zh} / ${p.message_en} [${p.code}]`);
    }
  }
  const dept = opts.dept ?? meta?.[META_KEYS.dept]?.value;
  const period = opts.period ?? meta?.[META_KEYS.period]?.value;
  if (!dept || !period) {
    throw new InputRejectedError(
      `${file}: 工作簿没有 _meta 工作表,请用 --dept 和 --period 注明填报单位和月份 / the workbook has no _meta sheet: state --dept and --period [meta-missing]`,
    );
  }
  return { dept, period };
}

/** Department and period must be able to name the upload folder incoming/<dept>/<period>/. */
function checkFolderNames(dept: string, period: string): void {
  for (const [flag, value] of [
    ['--dept', dept],
    ['--period', period],
  ] as const) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value))
      throw new UsageError(`${flag} "${value}" cannot name an upload folder`);
  }
}

/** The receipt this upload produced: written after `since` (a stale one may exist for the same bytes). */
async function awaitReceipt(ctx: CommandContext, cli: CliDeps, key: string, since: string): Promise<Receipt> {
  const bucket = cli.config.uploadsBucket;
  const deadline = Date.now() + RECEIPT_WAIT_MS;
  for (;;) {
    await ctx.settleUploads();
    const receipt = await readReceipt(cli.objects, bucket, key);
    if (receipt && receipt.source.receivedAt >= since) return receipt;
    const dead = ctx.local?.uploads?.deadLetters.at(-1);
    if (dead) throw dead.error instanceof Error ? dead.error : new Error(String(dead.error));
    if (Date.now() > deadline) {
      throw new Error(
        `no receipt appeared at s3://${bucket}/${key} within ${RECEIPT_WAIT_MS / 1000} s; is the ingest handler running?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What the department is handed, named after its own file: `<name>.receipt.json` (the receipt
 * as stored, every problem listed) and, when the receipt has problems, `<name>.annotated.xlsx`
 * with the problem cells marked. A later upload of the same file replaces them.
 */
async function handOut(
  cli: CliDeps,
  receipt: Receipt,
  receiptKey: string,
  file: string,
  dir: string,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const bucket = cli.config.uploadsBucket;
  const stem = path.basename(file).replace(/\.[^.]*$/, '');
  const written: string[] = [];
  for (const [key, suffix] of [
    [receiptKey, 'receipt.json'],
    [receipt.objects.annotated, 'annotated.xlsx'],
  ] as const) {
    if (!key) continue;
    const target = path.join(dir, `${stem}.${suffix}`);
    await writeFile(target, await cli.objects.get(bucket, key));
    written.push(target);
  }
  return written;
}

/** `duban ingest <file> [--dept <id|name>] [--period <YYYY-MM>] [--out <dir>]`. */
export function register(program: Command): void {
  program
    .command('ingest')
    .description('upload a filled-in workbook the way a department does and print its receipt')
    .argument('<file>', 'the workbook (.xlsx)')
    .option('--dept <id|name>', "department id or name, e.g. fgw or 发改委 (default: the workbook's _meta)")
    .option('--period <YYYY-MM>', "reporting month (default: the workbook's _meta)")
    .option(
      '--out <dir>',
      'also write the receipt JSON and, when it lists problems, the annotated workbook here',
    )
    .action(async (file: string, opts: IngestOptions, command: Command) => {
      await runCommand(
        command,
        async (ctx) => {
          const bytes = await readInputFile(file, 'the workbook');
          if (bytes.length > DEFAULT_LIMITS.maxFileBytes) {
            const p = fileTooLarge(bytes.length);
            throw new InputRejectedError(`${file}: ${p.message_zh} / ${p.message_en} [${p.code}]`);
          }
          const placed = placement(bytes, file, opts);
          const period = placed.period;
          const cli = composeCli();
          const uploader = userInfo().username;
          const year = parsePeriod(period)?.year;
          // A fresh data directory gets the seed catalog, as `duban template` does.
          const catalog = year
            ? await ensureCatalog(cli.stores, year, cli.clock(), uploader).catch(() => undefined)
            : undefined;
          // --dept may name the department (发改委) instead of its id, and must be one of the
          // catalog's; a department the workbook's own _meta names is the handler's to judge.
          const dept =
            opts.dept && catalog
              ? resolveDept(catalog.catalog, opts.dept)
              : DEPT_ID.test(placed.dept) || !catalog
                ? placed.dept
                : resolveDept(catalog.catalog, placed.dept);
          checkFolderNames(dept, period);
          const since = new Date(cli.clock().getTime() - 1).toISOString();
          const submitted = await submitUpload(cli.objects, cli.config.uploadsBucket, {
            dept,
            period,
            fileName: basename(file),
            bytes,
            uploader,
            flags: { dept: opts.dept ? dept : undefined, period: opts.period },
            now: cli.clock(),
          });
          ctx.log(`uploaded s3://${cli.config.uploadsBucket}/${submitted.key}; waiting for the receipt…`);
          const receipt = await awaitReceipt(ctx, cli, submitted.receiptKey, since);
          if (opts.out) {
            for (const f of await handOut(cli, receipt, submitted.receiptKey, file, opts.out))
              ctx.log(`wrote ${f}`);
          }
          return {
            json: listedReceipt(receipt),
            text: formatReceipt(receipt),
            exitCode: receiptExitCode(receipt),
          };
        },
        { storage: 'create' },
      );
    });
}
