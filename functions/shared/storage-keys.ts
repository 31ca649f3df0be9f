import { cutToBytes, LIMITS } from './limits.ts';
import { ARCHIVE_BUCKET, MANIFEST_FILE, SEAL_FILE, UPLOADS_BUCKET } from './resources.ts';

/**
 * Every key duban stores anything under: DynamoDB partition and sort keys (with their index
 * keys) and S3 object keys. Nothing else composes or parses a key, so the layout below, and
 * docs/data-model.md which describes it, are the whole truth about where data lives.
 *
 * Room for a province: keys are built for a district. The default district (every deployment
 * today) has no segment at all, so its keys are the ones written since the first release and
 * never need migrating (archived objects are under Object Lock for ten years and cannot be
 * renamed). Any other district gets its own segment in front of every partition key and
 * object key: `DISTRICT#<id>#…` in the table, `districts/<id>/…` in the buckets.
 */

export const DEFAULT_DISTRICT = 'default';

const DISTRICT_ID = /^[a-z][a-z0-9-]{0,31}$/;

export class DistrictIdError extends Error {
  override readonly name: string = 'DistrictIdError';
}

function checkDistrict(district: string): string {
  if (!DISTRICT_ID.test(district)) {
    throw new DistrictIdError(
      `district id "${district}" must be lower-case letters, digits and dashes (at most 32), starting with a letter`,
    );
  }
  return district;
}

/** A table item's primary key. */
export interface ItemKey {
  readonly pk: string;
  readonly sk: string;
}

/** A primary key plus the keys of the item in gsi1. */
export interface IndexedItemKey extends ItemKey {
  readonly gsi1pk: string;
  readonly gsi1sk: string;
}

/** The items of one partition whose sort key starts with a prefix. */
export interface PartitionQuery {
  readonly pk: string;
  readonly skPrefix: string;
}

/**
 * The partition-key families of the table: every item's `pk` is one of these prefixes (after the
 * district segment) followed by the family's own part. IAM grants (lib/constructs/grants.ts) are
 * built from these same prefixes, as `dynamodb:LeadingKeys` conditions, so a function can reach
 * only the families it names.
 */
export const TABLE_KEY_FAMILIES = {
  catalog: 'CATALOG#',
  /** Submission versions, one partition per reporting month. */
  period: 'PERIOD#',
  audit: 'AUDIT#',
  bulletin: 'BULLETIN#',
  /** Portal accounts, one partition per user name. */
  user: 'USER#',
  /** The archive's hash chain (core/archive/chain.ts), one partition per district. */
  chain: 'CHAIN#',
  /** The reminder (催报) ledger, one partition per reporting month. */
  remind: 'REMIND#',
} as const;

export type TableKeyFamily = keyof typeof TABLE_KEY_FAMILIES;

const pad = (n: number) => String(n).padStart(4, '0');
const versionSk = (n: number) => `V#${pad(n)}`;
/** Ten digits: the chain of a district outlives any plausible number of bulletins. */
const linkSk = (seq: number) => `LINK#${String(seq).padStart(10, '0')}`;

/** DynamoDB keys of one district. */
export function tableKeys(district: string = DEFAULT_DISTRICT) {
  const scope = district === DEFAULT_DISTRICT ? '' : `DISTRICT#${checkDistrict(district)}#`;
  const family = (name: TableKeyFamily, rest: string | number) =>
    `${scope}${TABLE_KEY_FAMILIES[name]}${rest}`;
  const periodPk = (period: string) => family('period', period);
  const auditLog = `${scope}AUDIT`;
  const userList = `${scope}USER`;
  const chainPk = family('chain', 'ARCHIVE');
  return {
    /** The `dynamodb:LeadingKeys` pattern that matches every partition of a family (and no other). */
    familyPattern: (name: TableKeyFamily): string => family(name, '*'),

    catalog: (year: number, version: number): ItemKey => ({
      pk: family('catalog', year),
      sk: versionSk(version),
    }),
    catalogVersions: (year: number): PartitionQuery => ({ pk: family('catalog', year), skPrefix: 'V#' }),

    submission: (s: { dept: string; period: string; version: number }): ItemKey => ({
      pk: periodPk(s.period),
      sk: `SUB#${s.dept}#${versionSk(s.version)}`,
    }),
    submissionVersions: (dept: string, period: string): PartitionQuery => ({
      pk: periodPk(period),
      skPrefix: `SUB#${dept}#V#`,
    }),
    periodSubmissions: (period: string): PartitionQuery => ({ pk: periodPk(period), skPrefix: 'SUB#' }),
    /** What a scan for "every period with a submission" filters on, and how it reads the period back. */
    submissionPeriods: {
      pkPrefix: periodPk(''),
      skPrefix: 'SUB#',
      periodOf: (pk: string): string => pk.slice(periodPk('').length),
    },

    /** One index partition for the whole log keeps "everything, in time order" a single query. */
    audit: (e: { period: string; eventId: string; at: string }): IndexedItemKey => ({
      pk: family('audit', e.period),
      sk: `EVT#${e.eventId}`,
      gsi1pk: auditLog,
      gsi1sk: `${e.at}#${e.period}#${e.eventId}`,
    }),
    auditOfPeriod: (period: string): PartitionQuery => ({ pk: family('audit', period), skPrefix: 'EVT#' }),
    auditLog,

    /**
     * The bulletin ledger (core/bulletin/bulletin-run.ts): the claim of a version, then one
     * entry each when it is archived and when it is delivered, all in the period's partition.
     */
    bulletinEntry: (period: string, version: number, entry: 'claim' | 'archived' | 'delivered'): ItemKey => ({
      pk: family('bulletin', period),
      sk: entry === 'claim' ? versionSk(version) : `${versionSk(version)}#${entry.toUpperCase()}`,
    }),
    bulletinLedger: (period: string): PartitionQuery => ({
      pk: family('bulletin', period),
      skPrefix: 'V#',
    }),
    /** A portal account (local logins); all of them listed through one index partition. */
    user: (username: string): IndexedItemKey => ({
      pk: family('user', username),
      sk: 'PROFILE',
      gsi1pk: userList,
      gsi1sk: username,
    }),
    userList,

    /**
     * The reminder ledger (core/reminders/reminder-ledger.ts): the claim of each 催报 mail
     * (period, point, recipient) and, beside it, the record that it was sent.
     */
    reminderEntry: (period: string, point: string, recipient: string, entry: 'claim' | 'sent'): ItemKey => ({
      pk: family('remind', period),
      sk: `R#${point}#${recipient}${entry === 'sent' ? '#SENT' : ''}`,
    }),
    /**
     * The archive's hash chain (core/archive/chain.ts), one partition per district: the
     * reservation of link N (the conditional write that orders issues across periods), then
     * its seal once the manifest is archived and the link signed.
     */
    chainLink: (seq: number, entry: 'reservation' | 'seal'): ItemKey => ({
      pk: chainPk,
      sk: entry === 'reservation' ? linkSk(seq) : `${linkSk(seq)}#SEAL`,
    }),
    chain: { pk: chainPk, skPrefix: 'LINK#' } as PartitionQuery,

    reminderLedger: (period: string): PartitionQuery => ({ pk: family('remind', period), skPrefix: 'R#' }),
  } as const;
}

/** Where an upload's receipt, annotated copy and quarantined original go. */
export interface UploadOutputKeys {
  readonly json: string;
  readonly annotated: string;
  readonly quarantine: string;
  readonly quarantineReceipt: string;
}

/** Where an upload sits: incoming/<dept>/<YYYY-MM>/<file>. */
export interface UploadPlace {
  readonly dept: string;
  readonly period: string;
  readonly file: string;
}

const RAW_NAME = /^([0-9a-f]{64})\.([A-Za-z0-9]+)$/;
const VERSION_FOLDER = /^(\d{4})\/(\d{2})\/v([1-9]\d*)\//;

/** Extension used for the raw copy: the upload's own, when it is a plain one. */
export function rawExtension(file: string): string {
  return /\.([A-Za-z0-9]{1,8})$/.exec(file)?.[1]?.toLowerCase() ?? 'bin';
}

/** S3 object keys of one district. */
export function objectKeys(district: string = DEFAULT_DISTRICT) {
  const scope = district === DEFAULT_DISTRICT ? '' : `districts/${checkDistrict(district)}/`;
  const prefix = {
    incoming: `${scope}${UPLOADS_BUCKET.prefixes.incoming}`,
    raw: `${scope}${UPLOADS_BUCKET.prefixes.raw}`,
    quarantine: `${scope}${UPLOADS_BUCKET.prefixes.quarantine}`,
    receipts: `${scope}${UPLOADS_BUCKET.prefixes.receipts}`,
    bulletins: `${scope}${ARCHIVE_BUCKET.prefixes.bulletins}`,
  } as const;
  const yearMonth = (period: string) => period.split('-').join('/');
  const bulletinFolder = (period: string, version: number) =>
    `${prefix.bulletins}${yearMonth(period)}/v${version}/`;

  return {
    prefix,
    /** incoming/<dept>/: what a department's upload role may write. */
    incomingOf: (dept: string) => `${prefix.incoming}${dept}/`,
    /** receipts/<dept>/: what a department's upload role may read back. */
    receiptsOf: (dept: string) => `${prefix.receipts}${dept}/`,
    incoming: (place: UploadPlace) => `${prefix.incoming}${place.dept}/${place.period}/${place.file}`,
    /** incoming/<dept>/<YYYY-MM>/<file> → its parts; undefined when the key is not an upload. */
    parseIncoming(key: string): UploadPlace | undefined {
      if (!key.startsWith(prefix.incoming)) return undefined;
      const [dept, period, ...rest] = key.slice(prefix.incoming.length).split('/');
      if (!dept || !period || rest.length === 0) return undefined;
      return { dept, period, file: rest.join('/') };
    },

    /** raw/<sha256>.<ext>: every original, content-addressed. */
    raw: (sha256: string, ext: string) => `${prefix.raw}${sha256}.${ext}`,
    parseRaw(key: string): { sha256: string; ext: string } | undefined {
      if (!key.startsWith(prefix.raw)) return undefined;
      const m = RAW_NAME.exec(key.slice(prefix.raw.length));
      return m ? { sha256: m[1] as string, ext: m[2] as string } : undefined;
    },

    /**
     * Named by the upload's file name and content hash, so a redelivered event rewrites the
     * same objects and the CLI knows where to look for the receipt of the bytes it uploaded.
     */
    uploadOutputs(place: UploadPlace, sha256: string): UploadOutputKeys {
      // Each part is cut to its limit, so an upload under any key S3 accepted still gets a
      // receipt: the receipt of a name too long to keep is what tells the department so.
      const segment = (text: string) => cutToBytes(text, LIMITS.maxKeySegmentBytes);
      const stem = cutToBytes(place.file.replace(/\.[^./]*$/, ''), LIMITS.maxUploadNameBytes);
      const folder = `${segment(place.dept)}/${segment(place.period)}/${stem}.${sha256.slice(0, 16)}`;
      const receipts = `${prefix.receipts}${folder}`;
      const quarantine = `${prefix.quarantine}${folder}`;
      return {
        json: `${receipts}.receipt.json`,
        annotated: `${receipts}.annotated.xlsx`,
        quarantine: `${quarantine}${/\.[^./]{1,16}$/.exec(place.file)?.[0] ?? ''}`,
        quarantineReceipt: `${quarantine}.receipt.json`,
      };
    },

    /** bulletins/<YYYY>/<MM>/v<N>/ holding bulletin.pdf, bulletin.xlsx, depts/<dept>.pdf, manifest.json. */
    bulletinFolder,
    bulletinManifest: (period: string, version: number) =>
      `${bulletinFolder(period, version)}${MANIFEST_FILE}`,
    bulletinSeal: (period: string, version: number) => `${bulletinFolder(period, version)}${SEAL_FILE}`,
    /** The version folder a key lies in, and the rest of the key; undefined outside every version folder. */
    parseBulletinKey(
      key: string,
    ): { period: string; version: number; folder: string; name: string } | undefined {
      const rest = key.startsWith(prefix.bulletins) ? key.slice(prefix.bulletins.length) : undefined;
      const m = rest === undefined ? null : VERSION_FOLDER.exec(rest);
      if (!m || rest === undefined) return undefined;
      return {
        period: `${m[1]}-${m[2]}`,
        version: Number(m[3]),
        folder: `${prefix.bulletins}${m[0]}`,
        name: rest.slice(m[0].length),
      };
    },
    /** Every bulletin, or those of one period. */
    bulletinsOf: (period?: string) =>
      period ? `${prefix.bulletins}${yearMonth(period)}/` : prefix.bulletins,
    parseBulletinManifest(key: string): { period: string; version: number } | undefined {
      const rest = key.startsWith(prefix.bulletins) ? key.slice(prefix.bulletins.length) : undefined;
      const m = rest === undefined ? null : VERSION_FOLDER.exec(rest);
      if (!m || rest !== `${m[0]}${MANIFEST_FILE}`) return undefined;
      return { period: `${m[1]}-${m[2]}`, version: Number(m[3]) };
    },
    /** The version folder an archive object belongs to; for a stray object, its own folder. */
    bulletinFolderOf(key: string): string {
      const rest = key.startsWith(prefix.bulletins) ? key.slice(prefix.bulletins.length) : undefined;
      const m = rest === undefined ? null : VERSION_FOLDER.exec(rest);
      return m ? `${prefix.bulletins}${m[0]}` : key.replace(/[^/]*$/, '');
    },
  } as const;
}

/** The keys every deployment uses today (the default district). */
export const itemKeys = tableKeys();
export const keys = objectKeys();
