/**
 * The single definition of duban's stateful resources: the DynamoDB table, the S3
 * buckets and their prefixes, the settings' variable names and the custom metrics. The CDK
 * stacks (lib/), the embedded local stand-ins and the functions all read this module, which
 * lives under functions/ so that Lambda code never imports the CDK folder. The shapes of the
 * keys inside the table and buckets are built in storage-keys.ts, beside it.
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
}

export interface BucketDefinition<P extends string> {
  readonly id: string;
  readonly envVar: string;
  readonly prefixes: Readonly<Record<P, string>>;
}

/**
 * One table, single-table design; the item families and their keys are in storage-keys.ts
 * (and docs/data-model.md). gsi1 holds the whole audit log in time order, in one partition.
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

/**
 * Object metadata an uploader (the CLI, the portal) sets on an upload: who uploaded it and the
 * department and period they stated, which ingest checks against the workbook.
 */
export const UPLOAD_METADATA = {
  dept: 'dept',
  period: 'period',
  uploader: 'uploader',
  /** The file's own name, percent-encoded (S3 metadata is ASCII); the key carries an upload id. */
  fileName: 'filename',
} as const;

/** Name of the manifest written last into each bulletin version folder. */
export const MANIFEST_FILE = 'manifest.json';

/**
 * Name of the signed chain link written after the manifest into each version folder: the
 * manifest's sha256, its place in the chain and the signature over both, so a downloaded
 * copy of the archive can be verified without the ledger.
 */
export const SEAL_FILE = 'seal.json';

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
  /** Display name on the From line (default 督办系统). */
  senderName: 'DUBAN_SENDER_NAME',
  /** Where replies go (e.g. the statistics office's mailbox); default none. */
  replyTo: 'DUBAN_REPLY_TO',
  /** The portal's public URL, linked from reminders and the leaders' mail when set. */
  portalUrl: 'DUBAN_PORTAL_URL',
  /** Local only: directory where notification mails are written as .eml files. */
  outboxDir: 'DUBAN_OUTBOX_DIR',
  district: 'DUBAN_DISTRICT',
  /** An extra holiday-calendar file (one year's notice) on top of templates/calendar/. */
  calendarFile: 'DUBAN_CALENDAR_FILE',
  /**
   * Ingest: which principals' uploader metadata is believed and which roles are department
   * roles (JSON, functions/core/ingest/upload-identity.ts). Set by the stack and the stand-ins.
   */
  uploadTrust: 'DUBAN_UPLOAD_TRUST',
  /**
   * Directory holding templates/ (bulletin/, catalogs/). Set in Lambda, where the bundle
   * flattens the source tree so paths relative to a module's own file no longer lead there;
   * unset locally, where the source-relative path is right.
   */
  templatesDir: 'DUBAN_TEMPLATES_DIR',
  /** AWS portal only: the Cognito user pool and its app client (stack outputs UserPoolId, UserPoolClientId). */
  userPoolId: 'DUBAN_USER_POOL_ID',
  userPoolClientId: 'DUBAN_USER_POOL_CLIENT_ID',
  /** AWS: the KMS key (ECC_NIST_P256, SIGN_VERIFY) that signs the archive's chain links. */
  signingKeyId: 'DUBAN_SIGNING_KEY_ID',
  /** Local: the Ed25519 private key file (PEM) that signs the chain links; made on first use. */
  signingKeyFile: 'DUBAN_SIGNING_KEY_FILE',
  /** Years every archived object must stay locked after its issue (verify checks it on AWS). */
  retentionYears: 'DUBAN_ARCHIVE_RETENTION_YEARS',
} as const;

/** What an archived object's Object Lock must cover when no setting says otherwise. */
export const DEFAULT_RETENTION_YEARS = 10;

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

/**
 * Custom metrics the functions emit (Powertools Metrics, CloudWatch embedded metric format)
 * and the stack alarms on. Each function's metrics carry its service name and the stage as
 * dimensions. `BulletinMissing` is 1 when the scheduled check finds no archived bulletin for
 * the month just closed, 0 when it finds one.
 */
export const METRICS = {
  namespace: 'Duban',
  stageDimension: 'Stage',
  /** Powertools adds the service as a dimension of its own. */
  serviceDimension: 'service',
  services: {
    ingest: 'duban-ingest',
    bulletin: 'duban-bulletin',
    bulletinCheck: 'duban-bulletin-check',
    portal: 'duban-portal',
  },
  bulletinMissing: 'BulletinMissing',
  uploads: { accepted: 'UploadsAccepted', rejected: 'UploadsRejected', unchanged: 'UploadsUnchanged' },
  bulletins: { issued: 'BulletinsIssued', unchanged: 'BulletinsUnchanged', failed: 'BulletinsFailed' },
  /** Portal answers with status 5xx (the app caught a fault and answered; Lambda saw no error). */
  portalServerErrors: 'PortalServerErrors',
} as const;
