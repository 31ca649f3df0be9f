import {
  type BulletinDigest,
  bulletinDigest,
  departmentMail,
  type FileDelivery,
  leadersMail,
} from '../../core/bulletin/bulletin-mail.ts';
import { type BulletinModel, departmentSlice } from '../../core/bulletin/bulletin-model.ts';
import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { InputRejectedError } from '../../core/errors.ts';
import type {
  ArchiveLinks,
  BulletinLedger,
  MailAttachment,
  Mailer,
  SentMail,
  StoredVersion,
} from '../ports/bulletin.ts';
import type { AuditLog, Clock } from '../ports/storage.ts';
import { PhaseTimeoutError } from './phase-deadline.ts';

/**
 * The leaders' mail carries the PDF and Excel editions while they fit in this many bytes
 * together; above it they are linked. SES v2 accepts messages up to 40 MB, but government
 * mail gateways commonly stop at 10 MB and base64 adds a third: 7 MiB of files keeps the
 * whole message under 10 MB.
 */
export const MAIL_ATTACHMENT_LIMIT_BYTES = 7 * 1024 * 1024;
/** How long a download link works: SigV4's maximum, 7 days (docs/deploy.md on credentials). */
export const LINK_TTL_SECONDS = 7 * 24 * 3600;

/** The files the leaders get, by their names in the version folder. */
const LEADER_FILES = ['bulletin.pdf', 'bulletin.xlsx'] as const;

/** What recording and delivering a version needs. */
export interface DeliveryDeps {
  readonly ledger: BulletinLedger;
  readonly audit: AuditLog;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly actor: string;
  /** Overrides the catalog's recipients (configuration wins over the catalog file). */
  readonly recipients?: { readonly leaders?: readonly string[]; readonly owner?: string };
  /** Links to archived files, for a bulletin too large to attach. */
  readonly links: ArchiveLinks;
  /** Linked from the leaders' mail when set. */
  readonly portalUrl?: string;
  readonly log: (line: string) => void;
}

/** What a delivery sends: the version's model and the bytes of its files by name. */
export interface DeliveryContent {
  readonly model: BulletinModel;
  readonly bodies: ReadonlyMap<string, Uint8Array>;
}

/**
 * The version is out: the ledger records it with its manifest's sha256 (what the monthly
 * check reads), and the audit log tells auditors. Both writes are idempotent, so a retry that
 * finds the manifest archived finishes what a dead run left undone.
 */
export async function recordArchived(deps: DeliveryDeps, stored: StoredVersion): Promise<void> {
  const m = stored.manifest;
  const at = deps.clock().toISOString();
  await deps.ledger.archived(m.period, m.version, { at, manifestSha256: stored.manifestSha256 });
  await auditVersion(deps, 'bulletin.issued', m, at, {
    manifestSha256: stored.manifestSha256,
    inputsHash: m.inputsHash,
    ...(m.chain ? { chainSeq: m.chain.seq } : {}),
  });
}

/** One audit event per version and action: its id makes a repeat append nothing. */
async function auditVersion(
  deps: DeliveryDeps,
  action: 'bulletin.issued' | 'bulletin.delivered',
  m: { readonly period: string; readonly version: number },
  at: string,
  detail: Record<string, unknown>,
): Promise<void> {
  await deps.audit.append({
    eventId: `${action}#${m.period}#v${m.version}`,
    at,
    action,
    actor: deps.actor,
    period: m.period,
    detail: { version: m.version, ...detail },
  });
}

/**
 * Mails the leaders and each department its own slice, then records the delivery so a
 * retried run neither skips nor repeats it.
 */
export async function deliver(
  deps: DeliveryDeps,
  catalog: CatalogVersion,
  stored: StoredVersion,
  content: DeliveryContent,
): Promise<SentMail[]> {
  const digest = bulletinDigest(content.model);
  const notified = [
    ...(await notifyLeaders(deps, catalog, stored, digest, content)),
    ...(await notifyDepartments(deps, catalog, stored, digest, content)),
  ];
  const m = stored.manifest;
  const at = deps.clock().toISOString();
  const messages = notified.map((n) => n.messageId);
  await deps.ledger.delivered(m.period, m.version, { at, messages });
  await auditVersion(deps, 'bulletin.delivered', m, at, { messages });
  return notified;
}

function leadersOf(deps: DeliveryDeps, catalog: CatalogVersion): readonly string[] {
  const configured = deps.recipients?.leaders ?? [];
  return configured.length > 0 ? configured : catalog.catalog.recipients.leaders;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

function contentTypeOf(name: string): string {
  return CONTENT_TYPES[name.split('.').at(-1) ?? ''] ?? 'application/octet-stream';
}

/** bulletin.pdf → 解放区…进度通报（2023年6月）-v1.pdf: a name that says what it is once saved. */
function attachmentName(digest: BulletinDigest, name: string): string {
  const ext = name.split('.').at(-1) ?? 'bin';
  return `${digest.title}-v${digest.version}.${ext}`;
}

/** Attached while the files fit the limit together, otherwise linked for LINK_TTL_SECONDS. */
async function fileDelivery(
  deps: DeliveryDeps,
  stored: StoredVersion,
  digest: BulletinDigest,
  bodies: ReadonlyMap<string, Uint8Array>,
): Promise<{ delivery: FileDelivery; attachments: MailAttachment[] }> {
  const files = stored.manifest.files.filter((f) => (LEADER_FILES as readonly string[]).includes(f.name));
  const total = files.reduce((sum, f) => sum + f.size, 0);
  const attachable = files.every((f) => bodies.has(f.name));
  if (total <= MAIL_ATTACHMENT_LIMIT_BYTES && attachable) {
    const attachments = files.map((f) => ({
      filename: attachmentName(digest, f.name),
      content: bodies.get(f.name) ?? new Uint8Array(),
      contentType: contentTypeOf(f.name),
    }));
    return {
      delivery: {
        kind: 'attached',
        files: attachments.map((a) => ({ name: a.filename, size: a.content.byteLength })),
      },
      attachments,
    };
  }
  const expiresAt = new Date(deps.clock().getTime() + LINK_TTL_SECONDS * 1000).toISOString();
  const links = await Promise.all(
    files.map(async (f) => ({
      name: attachmentName(digest, f.name),
      size: f.size,
      url: await deps.links.link(f.key, LINK_TTL_SECONDS),
    })),
  );
  return {
    delivery: { kind: 'linked', links, expiresAt, limitBytes: MAIL_ATTACHMENT_LIMIT_BYTES },
    attachments: [],
  };
}

async function notifyLeaders(
  deps: DeliveryDeps,
  catalog: CatalogVersion,
  stored: StoredVersion,
  digest: BulletinDigest,
  content: DeliveryContent,
): Promise<SentMail[]> {
  const to = leadersOf(deps, catalog);
  if (to.length === 0) return [];
  const { delivery, attachments } = await fileDelivery(deps, stored, digest, content.bodies);
  const words = leadersMail({
    district: catalog.catalog.district,
    digest,
    delivery,
    manifestKey: stored.manifestKey,
    manifestSha256: stored.manifestSha256,
    ...(stored.manifest.chain ? { chain: stored.manifest.chain } : {}),
    inputsHash: stored.manifest.inputsHash,
    ...(deps.portalUrl ? { portalUrl: deps.portalUrl } : {}),
  });
  return [await deps.mailer.send({ to, ...words, attachments })];
}

/** Each department with an address gets its own slice (depts/<id>.pdf) the same day. */
async function notifyDepartments(
  deps: DeliveryDeps,
  catalog: CatalogVersion,
  stored: StoredVersion,
  digest: BulletinDigest,
  content: DeliveryContent,
): Promise<SentMail[]> {
  const sent: SentMail[] = [];
  for (const dept of catalog.catalog.departments) {
    const body = content.bodies.get(`depts/${dept.id}.pdf`);
    if (dept.emails.length === 0 || !body) continue;
    const slice = bulletinDigest(departmentSlice(content.model, dept.id));
    const fileName = `${digest.title}-${dept.shortName}-v${digest.version}.pdf`;
    const words = departmentMail({
      district: catalog.catalog.district,
      deptName: dept.name,
      deptShortName: dept.shortName,
      digest,
      behind: slice.behind,
      fileName,
      reported: !content.model.notReported.some((d) => d.id === dept.id),
    });
    sent.push(
      await deps.mailer.send({
        to: dept.emails,
        ...words,
        attachments: [{ filename: fileName, content: body, contentType: 'application/pdf' }],
      }),
    );
  }
  deps.log(`bulletin ${stored.manifest.period} v${stored.manifest.version}: ${sent.length} department mails`);
  return sent;
}

/**
 * A system failure is recorded and the owner told (rejected input is the caller's to fix).
 * Neither may hide the failure itself, so their own errors are only logged.
 */
export async function reportFailure(
  deps: DeliveryDeps,
  period: string,
  startedAt: Date,
  error: unknown,
  owner: string | undefined,
): Promise<void> {
  if (error instanceof InputRejectedError) return;
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  try {
    await deps.audit.append({
      eventId: `bulletin.failed#${period}#${startedAt.toISOString()}`,
      at: deps.clock().toISOString(),
      action: 'bulletin.failed',
      actor: deps.actor,
      period,
      detail: { error: message, phase: error instanceof PhaseTimeoutError ? error.phase : undefined },
    });
  } catch (auditError) {
    deps.log(`bulletin ${period}: could not record the failure: ${String(auditError)}`);
  }
  if (!owner) return;
  try {
    await deps.mailer.send({
      to: [owner],
      subject: `【失败】${period} 进度通报生成失败 / bulletin run failed`,
      text: `${period} 进度通报生成失败，系统将自动重试。\nThe ${period} bulletin run failed and will be retried.\n\n${message}\n`,
    });
  } catch (mailError) {
    deps.log(`bulletin ${period}: could not notify the owner: ${String(mailError)}`);
  }
}
