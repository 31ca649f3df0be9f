import type { CatalogVersion } from '../../core/catalog/catalog-schema.ts';
import { InputRejectedError } from '../../core/errors.ts';
import type { BulletinLedger, Mailer, SentMail, StoredVersion } from '../ports/bulletin.ts';
import type { AuditLog, Clock } from '../ports/storage.ts';
import { PhaseTimeoutError } from './phase-deadline.ts';

/** What recording and delivering a version needs. */
export interface DeliveryDeps {
  readonly ledger: BulletinLedger;
  readonly audit: AuditLog;
  readonly mailer: Mailer;
  readonly clock: Clock;
  readonly actor: string;
  /** Overrides the catalog's recipients (configuration wins over the catalog file). */
  readonly recipients?: { readonly leaders?: readonly string[]; readonly owner?: string };
  readonly log: (line: string) => void;
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

/** Mails the leaders, then records the delivery so a retried run neither skips nor repeats it. */
export async function deliver(
  deps: DeliveryDeps,
  catalog: CatalogVersion,
  stored: StoredVersion,
): Promise<SentMail[]> {
  const notified = await notifyLeaders(deps, catalog, stored);
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

async function notifyLeaders(
  deps: DeliveryDeps,
  catalog: CatalogVersion,
  stored: StoredVersion,
): Promise<SentMail[]> {
  const to = leadersOf(deps, catalog);
  if (to.length === 0) return [];
  const m = stored.manifest;
  const text = [
    `${m.title}（第${m.version}版）已生成。`,
    '',
    ...m.headline,
    '',
    '文件 / files (sha256):',
    ...m.files.map((f) => `  ${f.key}  ${f.sha256}`),
    `  ${stored.manifestKey}  ${stored.manifestSha256}`,
    '',
    `下载：duban archive get ${m.period} --version ${m.version} --out <目录>`,
    '核验：duban archive verify',
  ].join('\n');
  return [await deps.mailer.send({ to, subject: `${m.title}（第${m.version}版）`, text })];
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
