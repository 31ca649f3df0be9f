import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  ScanCommand,
} from '@aws-sdk/lib-dynamodb';
import { catalogContentHash } from '../core/catalog/catalog-lookup.ts';
import type { Catalog, CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { VersionConflictError } from '../core/errors.ts';
import type {
  AuditEvent,
  AuditLog,
  BulletinRecord,
  BulletinStore,
  CatalogStore,
  SubmissionHistory,
} from '../core/ports.ts';
import type { Submission } from '../core/submission.ts';
import { TABLE } from '../shared/resources.ts';
import { type ItemKey, itemKeys, type PartitionQuery } from '../shared/storage-keys.ts';
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
function keyAttributes(key: ItemKey & { gsi1pk?: string; gsi1sk?: string }): Record<string, string> {
  return {
    [PK]: key.pk,
    [SK]: key.sk,
    ...(key.gsi1pk !== undefined && key.gsi1sk !== undefined
      ? { [GSI_PK]: key.gsi1pk, [GSI_SK]: key.gsi1sk }
      : {}),
  };
}

/** Strips the key attributes off a stored item. */
function body<T>(item: Record<string, unknown>): T {
  const { [PK]: _pk, [SK]: _sk, [GSI_PK]: _gpk, [GSI_SK]: _gsk, ...rest } = item;
  return rest as T;
}

function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error instanceof Error && error.name === 'ConditionalCheckFailedException')
  );
}

abstract class TableAccess {
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

interface StoredCatalog {
  year: number;
  version: number;
  contentHash: string;
  catalogJson: string;
  loadedAt: string;
}

const fromStoredCatalog = (s: StoredCatalog): CatalogVersion => ({
  year: s.year,
  version: s.version,
  contentHash: s.contentHash,
  loadedAt: s.loadedAt,
  catalog: JSON.parse(s.catalogJson) as Catalog,
});

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
        // As JSON: the catalog holds empty arrays and optional fields DynamoDB maps handle awkwardly.
        catalogJson: JSON.stringify(catalog),
        loadedAt: now.toISOString(),
      };
      if (await this.create({ ...keyAttributes(itemKeys.catalog(stored.year, stored.version)), ...stored })) {
        return { version: fromStoredCatalog(stored), unchanged: false };
      }
    }
    throw new VersionConflictError(`catalog ${catalog.year}`, -1);
  }

  async get(year: number, version?: number): Promise<CatalogVersion | undefined> {
    if (version !== undefined) {
      const out = await this.client.send(
        new GetCommand({ TableName: this.tableName, Key: keyAttributes(itemKeys.catalog(year, version)) }),
      );
      return out.Item ? fromStoredCatalog(body<StoredCatalog>(out.Item)) : undefined;
    }
    const [item] = await this.queryPrefix(itemKeys.catalogVersions(year), true, 1);
    return item ? fromStoredCatalog(body<StoredCatalog>(item)) : undefined;
  }

  async list(year: number): Promise<CatalogVersion[]> {
    const items = await this.queryPrefix(itemKeys.catalogVersions(year));
    return items.map((i) => fromStoredCatalog(body<StoredCatalog>(i)));
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
    return item ? body<Submission>(item) : undefined;
  }

  async versions(dept: string, period: string): Promise<Submission[]> {
    const items = await this.queryPrefix(itemKeys.submissionVersions(dept, period));
    return items.map((i) => body<Submission>(i));
  }

  async latestForPeriod(period: string): Promise<Submission[]> {
    return latestPerDept(await this.allForPeriod(period));
  }

  async allForPeriod(period: string): Promise<Submission[]> {
    const items = await this.queryPrefix(itemKeys.periodSubmissions(period));
    return items.map((i) => body<Submission>(i));
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
      .map((i) => body<AuditEvent>(i))
      .filter((e) => !filter.dept || e.dept === filter.dept)
      .sort((a, b) => a.at.localeCompare(b.at) || a.eventId.localeCompare(b.eventId));
  }
}

export class DynamoBulletinStore extends TableAccess implements BulletinStore {
  async put(record: BulletinRecord): Promise<void> {
    const created = await this.create({
      ...keyAttributes(itemKeys.bulletin(record.period, record.version)),
      ...record,
    });
    if (!created) throw new VersionConflictError(`bulletin ${record.period}`, record.version);
  }

  async latest(period: string): Promise<BulletinRecord | undefined> {
    const [item] = await this.queryPrefix(itemKeys.bulletinVersions(period), true, 1);
    return item ? body<BulletinRecord>(item) : undefined;
  }

  async list(period?: string): Promise<BulletinRecord[]> {
    const items = period
      ? await this.queryPrefix(itemKeys.bulletinVersions(period))
      : await this.queryIndex(itemKeys.bulletinLog);
    return items.map((i) => body<BulletinRecord>(i));
  }
}

export interface Stores {
  readonly catalogs: CatalogStore;
  readonly submissions: SubmissionHistory;
  readonly audit: AuditLog;
  readonly bulletins: BulletinStore;
}

export function createStores(
  client: DynamoDBDocumentClient = dynamoDocument(),
  tableName: string = currentConfig().tableName,
): Stores {
  return {
    catalogs: new DynamoCatalogStore(client, tableName),
    submissions: new DynamoSubmissionStore(client, tableName),
    audit: new DynamoAuditLog(client, tableName),
    bulletins: new DynamoBulletinStore(client, tableName),
  };
}
