/**
 * The single definition of duban's stateful resources: the DynamoDB table, the S3
 * buckets and their prefixes. The CDK stacks, the embedded local stand-ins and the
 * adapters all read this module; no table, bucket or prefix name is written anywhere else.
 *
 * Names are derived from a stage so two stages can live side by side in one account.
 * In AWS the stack passes the real (generated) names to the functions through the
 * environment variables named here; locally the stand-ins create resources under
 * `localResourceNames()`.
 */

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
}

export interface TableDefinition {
  /** CDK construct id and the base of the local table name. */
  readonly id: string;
  /** Environment variable through which functions learn the table's real name. */
  readonly envVar: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry (idempotency and lock records only). */
  readonly ttlAttribute: string;
}

export interface BucketDefinition<P extends string> {
  readonly id: string;
  readonly envVar: string;
  readonly prefixes: Readonly<Record<P, string>>;
}

/**
 * One table, single-table design. Item families (see docs/data-model.md):
 *  - CATALOG#<year>          / V#<nnnn>                 catalog versions
 *  - PERIOD#<YYYY-MM>        / SUB#<dept>#V#<nnnn>      immutable submission versions
 *  - AUDIT#<YYYY-MM>         / <iso time>#<event id>    append-only audit log
 *  - BULLETIN#<YYYY-MM>      / V#<nnnn>                 bulletin records (fencing)
 *  - IDEMPOTENCY#<key>       / IDEMPOTENCY              processed-event markers (TTL)
 * gsi1 serves "by department" and "by year" reads across periods.
 */
export const TABLE = {
  id: 'Main',
  envVar: 'DUBAN_TABLE',
  partitionKey: { name: 'pk', type: 'S' },
  sortKey: { name: 'sk', type: 'S' },
  globalIndexes: [
    {
      indexName: 'gsi1',
      partitionKey: { name: 'gsi1pk', type: 'S' },
      sortKey: { name: 'gsi1sk', type: 'S' },
    },
  ],
  ttlAttribute: 'expiresAt',
} as const satisfies TableDefinition;

export const UPLOADS_BUCKET = {
  id: 'Uploads',
  envVar: 'DUBAN_UPLOADS_BUCKET',
  prefixes: {
    /** Departments put their workbooks here: incoming/<dept>/<YYYY-MM>/<file>.xlsx */
    incoming: 'incoming/',
    /** Originals, content-addressed by sha256; never deleted. */
    raw: 'raw/',
    /** Rejected uploads with their receipt. */
    quarantine: 'quarantine/',
    /** Receipt JSON and annotated workbooks. */
    receipts: 'receipts/',
  },
} as const satisfies BucketDefinition<string>;

export const ARCHIVE_BUCKET = {
  id: 'Archive',
  envVar: 'DUBAN_ARCHIVE_BUCKET',
  prefixes: {
    /** bulletins/<YYYY>/<MM>/v<N>/{bulletin.pdf,bulletin.xlsx,depts/<dept>.pdf,manifest.json} */
    bulletins: 'bulletins/',
  },
} as const satisfies BucketDefinition<string>;

export const BUCKETS = [UPLOADS_BUCKET, ARCHIVE_BUCKET] as const;

/** Name of the manifest written last into each bulletin version folder. */
export const MANIFEST_FILE = 'manifest.json';

export const ENV = {
  region: 'AWS_REGION',
  /** Set only for local runs: points every SDK client at the stand-ins. */
  dynamoEndpoint: 'DUBAN_DYNAMODB_ENDPOINT',
  s3Endpoint: 'DUBAN_S3_ENDPOINT',
  stage: 'DUBAN_STAGE',
  /** JSON array of leader addresses, or comma-separated. */
  leaderEmails: 'DUBAN_LEADER_EMAILS',
  ownerEmail: 'DUBAN_OWNER_EMAIL',
  senderEmail: 'DUBAN_SENDER_EMAIL',
  /** Local only: directory where notification mails are written as .eml files. */
  outboxDir: 'DUBAN_OUTBOX_DIR',
  district: 'DUBAN_DISTRICT',
  /**
   * Directory holding templates/ (bulletin/, catalogs/). Set in Lambda, where the bundle
   * flattens the source tree so paths relative to a module's own file no longer lead there;
   * unset locally, where the source-relative path is right.
   */
  templatesDir: 'DUBAN_TEMPLATES_DIR',
} as const;

export const LOCAL_STAGE = 'local';

/** Physical names used by the local stand-ins (S3 bucket naming rules apply). */
export function localResourceNames(stage: string = LOCAL_STAGE): {
  table: string;
  uploadsBucket: string;
  archiveBucket: string;
} {
  const s = stage.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return {
    table: `duban-${s}-${TABLE.id.toLowerCase()}`,
    uploadsBucket: `duban-${s}-${UPLOADS_BUCKET.id.toLowerCase()}`,
    archiveBucket: `duban-${s}-${ARCHIVE_BUCKET.id.toLowerCase()}`,
  };
}

/** The environment that points functions at a given set of physical names. */
export function resourceEnvironment(names: {
  table: string;
  uploadsBucket: string;
  archiveBucket: string;
}): Record<string, string> {
  return {
    [TABLE.envVar]: names.table,
    [UPLOADS_BUCKET.envVar]: names.uploadsBucket,
    [ARCHIVE_BUCKET.envVar]: names.archiveBucket,
  };
}

/** Key helpers: the only place object keys are composed from prefixes. */
export const keys = {
  incoming: (dept: string, period: string, file: string) =>
    `${UPLOADS_BUCKET.prefixes.incoming}${dept}/${period}/${file}`,
  raw: (sha256: string, ext = 'xlsx') => `${UPLOADS_BUCKET.prefixes.raw}${sha256}.${ext}`,
  quarantine: (dept: string, period: string, name: string) =>
    `${UPLOADS_BUCKET.prefixes.quarantine}${dept}/${period}/${name}`,
  receipt: (dept: string, period: string, name: string) =>
    `${UPLOADS_BUCKET.prefixes.receipts}${dept}/${period}/${name}`,
  bulletinFolder: (period: string, version: number) => {
    const [year, month] = period.split('-');
    return `${ARCHIVE_BUCKET.prefixes.bulletins}${year}/${month}/v${version}/`;
  },
  bulletinPeriodPrefix: (period?: string) => {
    if (!period) return ARCHIVE_BUCKET.prefixes.bulletins;
    const [year, month] = period.split('-');
    return `${ARCHIVE_BUCKET.prefixes.bulletins}${year}/${month}/`;
  },
} as const;

/** Parses incoming/<dept>/<YYYY-MM>/<file>; undefined when the key is not an upload. */
export function parseIncomingKey(key: string): { dept: string; period: string; file: string } | undefined {
  const prefix = UPLOADS_BUCKET.prefixes.incoming;
  if (!key.startsWith(prefix)) return undefined;
  const parts = key.slice(prefix.length).split('/');
  if (parts.length < 3) return undefined;
  const [dept, period, ...rest] = parts;
  if (!dept || !period || rest.length === 0) return undefined;
  return { dept, period, file: rest.join('/') };
}

/**
 * Custom metrics the functions emit (as CloudWatch embedded metric format log lines) and
 * the stack alarms on. `BulletinMissing` is 1 when the scheduled check finds no bulletin
 * for the month just closed, 0 when it finds one.
 */
export const METRICS = {
  namespace: 'Duban',
  stageDimension: 'Stage',
  bulletinMissing: 'BulletinMissing',
} as const;
