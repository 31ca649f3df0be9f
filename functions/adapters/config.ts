import { ConfigError } from '../core/errors.ts';
import {
  NO_TRUST,
  type UploadTrust,
  uploadTrust,
  uploadTrustSchema,
} from '../core/ingest/upload-identity.ts';
import { ARCHIVE_BUCKET, DEFAULT_RETENTION_YEARS, ENV, TABLE, UPLOADS_BUCKET } from '../shared/resources.ts';

/**
 * The one place the functions read their settings. Names of the table and buckets arrive
 * through the environment variables defined in functions/shared/resources.ts (set by the CDK stack in
 * AWS, by the local stand-ins on this machine).
 */
export interface DubanConfig {
  readonly region: string;
  readonly tableName: string;
  readonly uploadsBucket: string;
  readonly archiveBucket: string;
  /** Local stand-in endpoints; undefined in AWS. */
  readonly dynamoEndpoint?: string;
  readonly s3Endpoint?: string;
  readonly stage: string;
  readonly district?: string;
  readonly leaderEmails: readonly string[];
  readonly ownerEmail?: string;
  readonly senderEmail?: string;
  readonly senderName?: string;
  readonly replyTo?: string;
  /** The portal's public URL, for links in mails. */
  readonly portalUrl?: string;
  /** Local only: mails are written here as .eml instead of being sent. */
  readonly outboxDir?: string;
  /** AWS portal and `duban users --aws`: the Cognito user pool and the portal's app client. */
  readonly userPoolId?: string;
  readonly userPoolClientId?: string;
  /** Whose uploader metadata ingest believes (none unless the setting says). */
  readonly uploadTrust: UploadTrust;
  /** AWS: the KMS key that signs the archive's chain links. */
  readonly signingKeyId?: string;
  /** Local: the Ed25519 key file that signs them. */
  readonly signingKeyFile?: string;
  /** Years every archived object must stay under Object Lock after its issue. */
  readonly retentionYears: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) {
    throw new ConfigError(
      `missing environment variable ${name} (run inside \`npx duban local\`, a CLI command, or the deployed stack)`,
    );
  }
  return value;
}

function optional(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function emailList(env: Env, name: string): string[] {
  const raw = optional(env, name);
  if (!raw) return [];
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // fall through to the error below
    }
    throw new ConfigError(`${name} must be a JSON array of strings or a comma-separated list`);
  }
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function trustSetting(env: Env, name: string): UploadTrust {
  const raw = optional(env, name);
  if (!raw) return NO_TRUST;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ConfigError(`${name} must be JSON`);
  }
  const checked = uploadTrustSchema.safeParse(parsed);
  if (!checked.success) {
    throw new ConfigError(
      `${name} must be {"uploaderSetters": [...], "departmentRoles": {...}, "local": bool}`,
    );
  }
  return uploadTrust(checked.data);
}

function retentionYears(env: Env): number {
  const raw = optional(env, ENV.retentionYears);
  if (raw === undefined) return DEFAULT_RETENTION_YEARS;
  const years = Number(raw);
  if (!Number.isInteger(years) || years < 1) {
    throw new ConfigError(`${ENV.retentionYears} must be a whole number of years, got "${raw}"`);
  }
  return years;
}

export function loadConfig(env: Env = process.env): DubanConfig {
  const dynamoEndpoint = optional(env, ENV.dynamoEndpoint);
  const s3Endpoint = optional(env, ENV.s3Endpoint);
  const local = Boolean(dynamoEndpoint || s3Endpoint);
  return {
    // The stand-ins accept any region; AWS Lambda always sets AWS_REGION.
    region: optional(env, ENV.region) ?? (local ? 'us-east-1' : required(env, ENV.region)),
    tableName: required(env, TABLE.envVar),
    uploadsBucket: required(env, UPLOADS_BUCKET.envVar),
    archiveBucket: required(env, ARCHIVE_BUCKET.envVar),
    dynamoEndpoint,
    s3Endpoint,
    stage: optional(env, ENV.stage) ?? 'local',
    district: optional(env, ENV.district),
    leaderEmails: emailList(env, ENV.leaderEmails),
    ownerEmail: optional(env, ENV.ownerEmail),
    senderEmail: optional(env, ENV.senderEmail),
    senderName: optional(env, ENV.senderName),
    replyTo: optional(env, ENV.replyTo),
    portalUrl: optional(env, ENV.portalUrl),
    outboxDir: optional(env, ENV.outboxDir),
    userPoolId: optional(env, ENV.userPoolId),
    userPoolClientId: optional(env, ENV.userPoolClientId),
    uploadTrust: trustSetting(env, ENV.uploadTrust),
    signingKeyId: optional(env, ENV.signingKeyId),
    signingKeyFile: optional(env, ENV.signingKeyFile),
    retentionYears: retentionYears(env),
  };
}
