import { createHash } from 'node:crypto';
import { DubanError } from '../../core/errors.ts';
import { keys } from '../../shared/storage-keys.ts';
import type { BulletinArchive, StoredVersion } from '../../use-cases/ports/bulletin.ts';
import type {
  BulletinFileInfo,
  BulletinItem,
  BulletinReader,
  BulletinVersionInfo,
} from '../../use-cases/ports/portal.ts';
import type { ObjectStore } from '../../use-cases/ports/storage.ts';

/**
 * The archive as the portal reads it. Indicator rows come from the archived Excel
 * bulletin's 指标进度 sheet (its header row is a published contract), so a leader's page
 * states exactly what the issued bulletin states. Archived versions never change, so the
 * parsed rows are kept per version.
 */

const ITEM_SHEET = '指标进度';
const COLUMNS = {
  code: '指标编码',
  name: '指标名称',
  dept: '责任单位',
  status: '状态',
  value: '本期值',
  target: '年度目标',
  note: '情况说明',
} as const;

function info(v: StoredVersion): BulletinVersionInfo {
  const m = v.manifest;
  return {
    period: m.period,
    version: m.version,
    issuedAt: m.generatedAt,
    title: m.title,
    headline: m.headline,
    statusCounts: m.statusCounts,
    previousVersion: m.previousVersion,
    manifestKey: v.manifestKey,
    manifestSha256: v.manifestSha256,
    files: m.files.map(
      (f): BulletinFileInfo => ({ name: f.name, sha256: f.sha256, size: f.size, contentType: f.contentType }),
    ),
  };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && value !== null) {
    const v = value as { richText?: { text: string }[]; result?: unknown; text?: string };
    if (Array.isArray(v.richText)) return v.richText.map((r) => r.text).join('');
    if (v.result !== undefined) return cellText(v.result);
    if (typeof v.text === 'string') return v.text;
  }
  if (typeof value === 'number') return String(Math.round(value * 1000) / 1000);
  return String(value);
}

export async function readBulletinItems(xlsx: Uint8Array): Promise<BulletinItem[]> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet(ITEM_SHEET);
  if (!sheet) return [];
  const header = new Map<string, number>();
  sheet.getRow(1).eachCell((cell, col) => header.set(cellText(cell.value).trim(), col));
  const at = (row: ReturnType<typeof sheet.getRow>, name: string) => {
    const col = header.get(name);
    return col === undefined ? '' : cellText(row.getCell(col).value);
  };
  const items: BulletinItem[] = [];
  for (let r = 2; r <= sheet.rowCount; r++) {
    const row = sheet.getRow(r);
    const code = at(row, COLUMNS.code);
    if (!code) continue;
    items.push({
      code,
      name: at(row, COLUMNS.name),
      dept: at(row, COLUMNS.dept),
      status: at(row, COLUMNS.status),
      value: at(row, COLUMNS.value),
      target: at(row, COLUMNS.target),
      note: at(row, COLUMNS.note),
    });
  }
  return items;
}

/** An archived object no longer hashes to its manifest entry: it is not handed out as the bulletin. */
export class ArchivedFileChangedError extends DubanError {
  override readonly name: string = 'ArchivedFileChangedError';
}

export function createArchiveBulletinReader(
  archive: BulletinArchive,
  objects: ObjectStore,
  bucket: string,
): BulletinReader {
  const itemsCache = new Map<string, Promise<BulletinItem[]>>();
  // A completed version's manifest is written once and never changes: read each one once.
  const manifests = new Map<string, Promise<StoredVersion | undefined>>();
  function manifest(period: string, version: number): Promise<StoredVersion | undefined> {
    const key = `${period}#${version}`;
    let found = manifests.get(key);
    if (!found) {
      found = archive.readManifest(period, version);
      // Not there yet (or a failed read): ask again next time.
      found.then((m) => m ?? manifests.delete(key)).catch(() => manifests.delete(key));
      manifests.set(key, found);
    }
    return found;
  }

  /** One file of a version, its bytes checked against the manifest before anyone gets them. */
  async function file(period: string, version: number, name: string) {
    const stored = await manifest(period, version);
    const entry = stored?.manifest.files.find((f) => f.name === name);
    if (!entry) return undefined;
    const body = await objects.get(bucket, entry.key);
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== entry.sha256) {
      throw new ArchivedFileChangedError(
        `${entry.key} 与清单不符(sha256 ${actual} ≠ ${entry.sha256}),请联系审计核验 / does not match its manifest`,
      );
    }
    const fileInfo: BulletinFileInfo = {
      name: entry.name,
      sha256: entry.sha256,
      size: entry.size,
      contentType: entry.contentType,
    };
    return { info: fileInfo, body };
  }

  return {
    async list(period) {
      // One listing finds the versions; their manifests come from the cache.
      const found = (await objects.list(bucket, keys.bulletinsOf(period)))
        .map((o) => keys.parseBulletinManifest(o.key))
        .filter((v): v is { period: string; version: number } => v !== undefined)
        .sort((a, b) => a.period.localeCompare(b.period) || a.version - b.version);
      const stored = await Promise.all(found.map((v) => manifest(v.period, v.version)));
      return stored.filter((v): v is StoredVersion => v !== undefined).map(info);
    },
    file,
    items(period, version) {
      const key = `${period}#${version}`;
      let items = itemsCache.get(key);
      if (!items) {
        items = (async () => {
          const stored = await manifest(period, version);
          const xlsx = stored?.manifest.files.find((f) => f.name.endsWith('.xlsx'));
          const got = xlsx ? await file(period, version, xlsx.name) : undefined;
          return got ? readBulletinItems(got.body) : [];
        })();
        items.catch(() => itemsCache.delete(key));
        itemsCache.set(key, items);
      }
      return items;
    },
  };
}
