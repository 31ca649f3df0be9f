import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../../functions/adapters/config.ts';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { ensureCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { createObjectStore } from '../../../functions/adapters/s3-object-store.ts';
import { readWorkbook } from '../../../functions/adapters/workbook/workbook-reader.ts';
import {
  DEFAULT_LIMITS,
  fileTooLarge,
  WorkbookRejectedError,
} from '../../../functions/adapters/workbook/zip-guard.ts';
import { InputRejectedError, NotFoundError, UsageError } from '../../../functions/core/errors.ts';
import { formatReceipt, type Receipt, receiptExitCode } from '../../../functions/core/ingest/receipt.ts';
import { META_KEYS } from '../../../functions/core/ingest/template-contract.ts';
import type { ObjectStore } from '../../../functions/core/ports.ts';
import { parsePeriod } from '../../../functions/core/submission.ts';
import { UPLOAD_METADATA } from '../../../functions/ingest/ingest-upload.ts';
import { keys } from '../../../functions/shared/storage-keys.ts';
import { type CommandContext, runCommand } from '../run-command.ts';

interface IngestOptions {
  readonly dept?: string;
  readonly period?: string;
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
  for (const [flag, value] of [
    ['--dept', dept],
    ['--period', period],
  ] as const) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value))
      throw new UsageError(`${flag} "${value}" cannot name an upload folder`);
  }
  return { dept, period };
}

async function readReceipt(objects: ObjectStore, bucket: string, key: string): Promise<Receipt | undefined> {
  try {
    return JSON.parse(new TextDecoder().decode(await objects.get(bucket, key))) as Receipt;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** The receipt this upload produced: written after `since` (a stale one may exist for the same bytes). */
async function awaitReceipt(
  ctx: CommandContext,
  objects: ObjectStore,
  bucket: string,
  key: string,
  since: string,
): Promise<Receipt> {
  const deadline = Date.now() + RECEIPT_WAIT_MS;
  for (;;) {
    await ctx.settleUploads();
    const receipt = await readReceipt(objects, bucket, key);
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

/** `duban ingest <file> [--dept <id>] [--period <YYYY-MM>]`. */
export function register(program: Command): void {
  program
    .command('ingest')
    .description('upload a filled-in workbook the way a department does and print its receipt')
    .argument('<file>', 'the workbook (.xlsx)')
    .option('--dept <id>', "department id (default: the workbook's _meta)")
    .option('--period <YYYY-MM>', "reporting month (default: the workbook's _meta)")
    .action(async (file: string, opts: IngestOptions, command: Command) => {
      await runCommand(
        command,
        async (ctx) => {
          const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
            throw new InputRejectedError(`${file}: cannot read the file (${error.code ?? error.message})`);
          });
          if (bytes.length > DEFAULT_LIMITS.maxFileBytes) {
            const p = fileTooLarge(bytes.length);
            throw new InputRejectedError(`${file}: ${p.message_zh} / ${p.message_en} [${p.code}]`);
          }
          const { dept, period } = placement(bytes, file, opts);
          const config = loadConfig();
          const stores = createStores();
          const objects = createObjectStore();
          const uploader = userInfo().username;
          const year = parsePeriod(period)?.year;
          // A fresh data directory gets the seed catalog, as `duban template` does.
          if (year) await ensureCatalog(stores, year, new Date(), uploader).catch(() => undefined);
          const place = { dept, period, file: basename(file) };
          const key = keys.incoming(place);
          const since = new Date(Date.now() - 1).toISOString();
          await objects.put(config.uploadsBucket, key, bytes, {
            contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
            metadata: {
              [UPLOAD_METADATA.uploader]: uploader,
              ...(opts.dept ? { [UPLOAD_METADATA.dept]: opts.dept } : {}),
              ...(opts.period ? { [UPLOAD_METADATA.period]: opts.period } : {}),
            },
          });
          ctx.log(`uploaded s3://${config.uploadsBucket}/${key}; waiting for the receipt…`);
          const sha = createHash('sha256').update(bytes).digest('hex');
          const receiptKey = keys.uploadOutputs(place, sha).json;
          const receipt = await awaitReceipt(ctx, objects, config.uploadsBucket, receiptKey, since);
          return { json: receipt, text: formatReceipt(receipt), exitCode: receiptExitCode(receipt) };
        },
        { storage: true },
      );
    });
}
