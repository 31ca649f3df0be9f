import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import {
  type ChainLink,
  type LinkReservation,
  type LinkSeal,
  linkReservationSchema,
  linkSealSchema,
} from '../core/archive/chain.ts';
import { type AuditEvent, auditEventSchema } from '../core/audit-event.ts';
import {
  type ArchivedEntry,
  type BulletinClaim,
  type BulletinRun,
  type DeliveredEntry,
  foldLedger,
  ledgerEntrySchema,
} from '../core/bulletin/bulletin-run.ts';
import { normalizeLegacyCatalog } from '../core/catalog/catalog-legacy.ts';
import { catalogContentHash } from '../core/catalog/catalog-lookup.ts';
import type { Catalog, CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { CorruptRecordError, VersionConflictError } from '../core/errors.ts';
import {
  foldReminders,
  type ReminderClaim,
  type ReminderRecord,
  type ReminderSent,
  reminderEntrySchema,
} from '../core/reminders/reminder-ledger.ts';
import { parseStored, positiveInt } from '../core/stored-record.ts';
import { type Submission, submissionSchema } from '../core/submission.ts';
import { TABLE } from '../shared/resources.ts';
import { type ItemKey, itemKeys, type PartitionQuery } from '../shared/storage-keys.ts';
import type { ChainLedger } from '../use-cases/ports/archive-chain.ts';
import type { BulletinLedger } from '../use-cases/ports/bulletin.ts';
import type { ReminderLedger } from '../use-cases/ports/reminders.ts';
import type { AuditLog, CatalogStore, SubmissionHistory } from '../use-cases/ports/storage.ts';
import { currentConfig, dynamoDocument } from './aws-clients.ts';

/**
 * The DynamoDB side of the ports, single-table; every key comes from functions/shared/storage-keys.ts.
 * Every version is its own immutable item written with attribute_not_exists, so a stale
 * writer fails with VersionConflictError and nothing is ever overwritten; no transaction
 * is needed (the local stand-in has none).
 */

const PK = TABLE.partitionKey.name;
const SK = TABLE.sortKey.name;
const GSI = TABLE.globalIndexes[0];
const GSI_PK = GSI.partitionKey.name;
const GSI_SK = GSI.sortKey.name;

/** The key attributes of an item, under the table's attribute names. */
export function keyAttributes(key: ItemKey & { gsi1pk?: string; gsi1sk?: string }): Record<string, string> {
  return {
    [PK]: key.pk,
    [SK]: key.sk,
    ...(key.gsi1pk !== undefined && key.gsi1sk !== undefined
      ? { [GSI_PK]: key.gsi1pk, [GSI_SK]: key.gsi1sk }
      : {}),
  };
}

/** A stored item without its key attributes, parsed against its schema; corrupt items name their key. */
export function parseItem<T>(schema: z.ZodMiniType<T>, item: Record<string, unknown>): T {
  const { [PK]: pk, [SK]: sk, [GSI_PK]: _gpk, [GSI_SK]: _gsk, ...rest } = item;
  return parseStored(schema, rest, `${String(pk)} / ${String(sk)}`);
}

export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

export abstract class TableAccess {
  constructor(
    protected readonly client: DynamoDBDocumentClient,
    protected readonly tableName: string,
  ) {}

  protected async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new QueryCommand({ ...input, TableName: this.tableName, ExclusiveStartKey: start }),
      );
      items.push(...((out.Items ?? []) as Record<string, unknown>[]));
      start = out.LastEvaluatedKey;
    } while (start && (input.Limit === undefined || items.length < input.Limit));
    return items;
  }

  protected queryPrefix(query: PartitionQuery, newestFirst = false, limit?: number) {
    return this.queryAll({
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
      ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
      ExpressionAttributeValues: { ':pk': query.pk, ':prefix': query.skPrefix },
      ScanIndexForward: !newestFirst,
      ...(limit ? { Limit: limit } : {}),
    });
  }

  /** Every item of one gsi1 partition, in index order. */
  protected queryIndex(pk: string) {
    return this.queryAll({
      IndexName: GSI.indexName,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': GSI_PK },
      ExpressionAttributeValues: { ':pk': pk },
    });
  }

  /** Put that only creates: returns false when the item already exists. */
  protected async create(item: Record<string, unknown>): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

const storedCatalogSchema = z.object({
  year: z.number().check(z.int()),
  version: positiveInt(),
  contentHash: z.string(),
  // As JSON: the catalog holds empty arrays and optional fields DynamoDB maps handle awkwardly.
  catalogJson: z.string(),
  loadedAt: z.string(),
});
type StoredCatalog = z.infer<typeof storedCatalogSchema>;

/**
 * The catalog was validated when it was loaded; what comes back must be that very content, so
 * it is checked against the content hash stored beside it (one sha256 instead of carrying the
 * whole catalog schema into every bundle that reads it).
 */
function fromStoredCatalog(item: Record<string, unknown>): CatalogVersion {
  const s = parseItem(storedCatalogSchema, item);
  return verifiedCatalog(s, itemKeys.catalog(s.year, s.version));
}

function verifiedCatalog(s: StoredCatalog, key: { pk: string; sk: string }): CatalogVersion {
  const where = `${key.pk} / ${key.sk}`;
  let catalog: Catalog;
  try {
    catalog = JSON.parse(s.catalogJson) as Catalog;
  } catch {
    throw new CorruptRecordError(where, 'catalogJson is not JSON');
  }
  if (catalogContentHash(catalog) !== s.contentHash) {
    throw new CorruptRecordError(where, 'the catalog does not hash to its stored contentHash');
  }
  // Catalogs stored before the kinds were renamed (level, implied) read in today's spelling.
  return {
    year: s.year,
    version: s.version,
    contentHash: s.contentHash,
    loadedAt: s.loadedAt,
    catalog: normalizeLegacyCatalog(catalog),
  };
}

export class DynamoCatalogStore extends TableAccess implements CatalogStore {
  async put(catalog: Catalog, now: Date): Promise<{ version: CatalogVersion; unchanged: boolean }> {
    const contentHash = catalogContentHash(catalog);
    // Two loaders racing for the same next version: the loser re-reads and tries again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const latest = await this.get(catalog.year);
      if (latest?.contentHash === contentHash) return { version: latest, unchanged: true };
      const stored: StoredCatalog = {
        year: catalog.year,
        version: (latest?.version ?? 0) + 1,
        contentHash,
        catalogJson: JSON.stringify(catalog),
        loadedAt: now.toISOString(),
      };
      const key = itemKeys.catalog(stored.year, stored.version);
      if (await this.create({ ...keyAttributes(key), ...stored })) {
        return { version: verifiedCatalog(stored, key), unchanged: false };
      }
    }
    throw new VersionConflictError(`catalog ${catalog.year}`, -1);
  }

  async get(year: number, version?: number): Promise<CatalogVersion | undefined> {
    if (version !== undefined) {
      const out = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keyAttributes(itemKeys.catalog(year, version)) }),
      );
      return out.Item ? fromStoredCatalog(out.Item) : undefined;
    }
    const [item] = await this.queryPrefix(itemKeys.catalogVersions(year), true, 1);
    return item ? fromStoredCatalog(item) : undefined;
  }

  async list(year: number): Promise<CatalogVersion[]> {
    const items = await this.queryPrefix(itemKeys.catalogVersions(year));
    return items.map(fromStoredCatalog);
  }
}

/** Latest version per department, from items sorted by key (dept, then version). */
function latestPerDept(subs: Submission[]): Submission[] {
  const byDept = new Map<string, Submission>();
  for (const s of subs) {
    const seen = byDept.get(s.dept);
    if (!seen || s.version > seen.version) byDept.set(s.dept, s);
  }
  return [...byDept.values()].sort((a, b) => a.dept.localeCompare(b.dept));
}

export class DynamoSubmissionStore extends TableAccess implements SubmissionHistory {
  async put(submission: Submission): Promise<void> {
    const created = await this.create({ ...keyAttributes(itemKeys.submission(submission)), ...submission });
    if (!created) {
      throw new VersionConflictError(
        `submission ${submission.dept} ${submission.period}`,
        submission.version,
      );
    }
  }

  async latest(dept: string, period: string): Promise<Submission | undefined> {
    const [item] = await this.queryPrefix(itemKeys.submissionVersions(dept, period), true, 1);
    return item ? parseItem(submissionSchema, item) : undefined;
  }

  async versions(dept: string, period: string): Promise<Submission[]> {
    const items = await this.queryPrefix(itemKeys.submissionVersions(dept, period));
    return items.map((i) => parseItem(submissionSchema, i));
  }

  async latestForPeriod(period: string): Promise<Submission[]> {
    return latestPerDept(await this.allForPeriod(period));
  }

  async allForPeriod(period: string): Promise<Submission[]> {
    const items = await this.queryPrefix(itemKeys.periodSubmissions(period));
    return items.map((i) => parseItem(submissionSchema, i));
  }

  /**
   * Every period holding at least one submission, oldest first. A keys-only scan: periods are
   * partition keys and no index lists them; it serves audits, which are rare, and a district's
   * table holds a few thousand items.
   */
  async periods(): Promise<string[]> {
    const periods = itemKeys.submissionPeriods;
    const found = new Set<string>();
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          ProjectionExpression: '#pk',
          FilterExpression: 'begins_with(#pk, :pk) AND begins_with(#sk, :sk)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':pk': periods.pkPrefix, ':sk': periods.skPrefix },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of out.Items ?? []) found.add(periods.periodOf(String(item[PK])));
      start = out.LastEvaluatedKey;
    } while (start);
    return [...found].sort();
  }
}

export class DynamoAuditLog extends TableAccess implements AuditLog {
  async append(event: AuditEvent): Promise<boolean> {
    return this.create({ ...keyAttributes(itemKeys.audit(event)), ...event });
  }

  async list(filter: { period?: string; dept?: string }): Promise<AuditEvent[]> {
    const items = filter.period
      ? await this.queryPrefix(itemKeys.auditOfPeriod(filter.period))
      : await this.queryIndex(itemKeys.auditLog);
    return items
      .map((i) => parseItem(auditEventSchema, i))
      .filter((e) => !filter.dept || e.dept === filter.dept)
      .sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
  }
}

/** The bulletin ledger: one immutable item per claim, archive and delivery of a version. */
export class DynamoBulletinLedger extends TableAccess implements BulletinLedger {
  async claim(claim: BulletinClaim): Promise<void> {
    const key = itemKeys.bulletinEntry(claim.period, claim.version, 'claim');
    if (!(await this.create({ ...keyAttributes(key), entry: 'claim', ...claim }))) {
      throw new VersionConflictError(`bulletin ${claim.period}`, claim.version);
    }
  }

  async archived(period: string, version: number, entry: ArchivedEntry): Promise<void> {
    const key = itemKeys.bulletinEntry(period, version, 'archived');
    // A second record of the same fact finds the first one and leaves it as it is.
    await this.create({ ...keyAttributes(key), entry: 'archived', period, version, ...entry });
  }

  async delivered(period: string, version: number, entry: DeliveredEntry): Promise<void> {
    const key = itemKeys.bulletinEntry(period, version, 'delivered');
    await this.create({ ...keyAttributes(key), entry: 'delivered', period, version, ...entry });
  }

  async runs(period: string): Promise<BulletinRun[]> {
    const items = await this.queryPrefix(itemKeys.bulletinLedger(period));
    return foldLedger(items.map((i) => parseItem(ledgerEntrySchema, i)));
  }
}

/** The reminder ledger: one immutable item per claim and per send of a 催报 mail. */
export class DynamoReminderLedger extends TableAccess implements ReminderLedger {
  claim(claim: ReminderClaim): Promise<boolean> {
    const key = itemKeys.reminderEntry(claim.period, claim.point, claim.recipient, 'claim');
    return this.create({ ...keyAttributes(key), entry: 'claim', ...claim });
  }

  async sent(period: string, point: string, recipient: string, entry: ReminderSent): Promise<void> {
    const key = itemKeys.reminderEntry(period, point, recipient, 'sent');
    await this.create({ ...keyAttributes(key), entry: 'sent', period, point, recipient, ...entry });
  }

  async list(period: string): Promise<ReminderRecord[]> {
    const items = await this.queryPrefix(itemKeys.reminderLedger(period));
    return foldReminders(items.map((i) => parseItem(reminderEntrySchema, i)));
  }
}

/**
 * The archive's hash chain: one partition, a reservation item per link (the conditional
 * write on its sequence number) and a seal item once it is signed. Two create-only items
 * instead of one updated item, so nothing in the chain is ever rewritten.
 */
export class DynamoChainLedger extends TableAccess implements ChainLedger {
  async links(): Promise<ChainLink[]> {
    const items = await this.queryPrefix(itemKeys.chain);
    const seals = new Map<number, LinkSeal>();
    const reservations: LinkReservation[] = [];
    for (const item of items) {
      const sk = String(item[SK]);
      if (sk.endsWith('#SEAL')) {
        const seal = parseItem(linkSealSchema, item);
        seals.set(seal.seq, seal);
      } else {
        reservations.push(parseItem(linkReservationSchema, item));
      }
    }
    return reservations
      .sort((a, b) => a.seq - b.seq)
      .map((r) => {
        const seal = seals.get(r.seq);
        return seal ? { ...r, seal } : r;
      });
  }

  async reserve(reservation: LinkReservation): Promise<void> {
    const key = itemKeys.chainLink(reservation.seq, 'reservation');
    if (!(await this.create({ ...keyAttributes(key), ...reservation }))) {
      throw new VersionConflictError('archive chain link', reservation.seq);
    }
  }

  async seal(seal: LinkSeal): Promise<LinkSeal> {
    const key = itemKeys.chainLink(seal.seq, 'seal');
    if (await this.create({ ...keyAttributes(key), ...seal })) return seal;
    // Another attempt sealed it first: its signature is the one the chain keeps.
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyAttributes(key), ConsistentRead: true }),
    );
    if (!out.Item)
      throw new CorruptRecordError(`${key.pk} / ${key.sk}`, 'the seal vanished after a conflict');
    return parseItem(linkSealSchema, out.Item);
  }
}

export interface Stores {
  readonly catalogs: CatalogStore;
  readonly submissions: SubmissionHistory;
  readonly audit: AuditLog;
  readonly ledger: BulletinLedger;
  readonly reminders: ReminderLedger;
  readonly chain: ChainLedger;
}

export function createStores(
  client: DynamoDBDocumentClient = dynamoDocument(),
  tableName: string = currentConfig().tableName,
): Stores {
  return {
    catalogs: new DynamoCatalogStore(client, tableName),
    submissions: new DynamoSubmissionStore(client, tableName),
    audit: new DynamoAuditLog(client, tableName),
    ledger: new DynamoBulletinLedger(client, tableName),
    reminders: new DynamoReminderLedger(client, tableName),
    chain: new DynamoChainLedger(client, tableName),
  };
}
