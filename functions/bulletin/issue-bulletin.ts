import type { ArchiveFile, BulletinArchive, ManifestFile, StoredVersion } from '../adapters/archive.ts';
import type { Mailer, SentMail } from '../adapters/mailer.ts';
import type { PdfRenderer } from '../adapters/pdf/pdf-renderer.ts';
import { buildBulletinModel } from '../core/bulletin/bulletin-builder.ts';
import type { BulletinModel } from '../core/bulletin/bulletin-model.ts';
import { inputsHashFor, submissionVersionsByPeriod } from '../core/bulletin/inputs-hash.ts';
import type { CatalogVersion } from '../core/catalog/catalog-schema.ts';
import { InputRejectedError, VersionConflictError } from '../core/errors.ts';
import type {
  AuditLog,
  BulletinRecord,
  BulletinStore,
  CatalogStore,
  SubmissionStore,
} from '../core/ports.ts';
import { formatPeriod, parsePeriod, previousPeriod, type Submission } from '../core/submission.ts';
import {
  DEFAULT_DEADLINES,
  type Phase,
  type PhaseDeadlines,
  PhaseTimeoutError,
  withDeadline,
} from './phase-deadline.ts';

/**
 * The bulletin use case: load the month's inputs, decide whether they are new, fence the
 * version with a conditional write on the BulletinRecord, build the model, render PDF and
 * Excel, archive (manifest last), notify the leaders. Any failure notifies the owner and is
 * rethrown, so Lambda retries and the dead-letter queue see it.
 */

export interface IssueBulletinDeps {
  readonly catalogs: CatalogStore;
  readonly submissions: SubmissionStore;
  readonly bulletins: BulletinStore;
  readonly audit: AuditLog;
  readonly archive: BulletinArchive;
  /** Called once per run that renders; the renderer is closed at the end of the run. */
  readonly createPdfRenderer: () => PdfRenderer;
  readonly renderWorkbook: (model: BulletinModel) => Promise<Uint8Array>;
  readonly mailer: Mailer;
  readonly clock: () => Date;
  readonly generatorVersion: string;
  /** Overrides the catalog's recipients (configuration wins over the catalog file). */
  readonly recipients?: { readonly leaders?: readonly string[]; readonly owner?: string };
  readonly actor?: string;
  readonly log?: (line: string) => void;
  readonly deadlines?: Partial<PhaseDeadlines>;
  /**
   * A claimed version still without a manifest after this long belongs to a run that died;
   * the next run supersedes it. Longer than render + archive + notify deadlines together,
   * so a live run always finishes (or fails) first.
   */
  readonly leaseMs?: number;
  /** How often to look for a concurrent run's manifest. */
  readonly pollMs?: number;
  /** Identity of this invocation; Lambda keeps the request id across its retries. */
  readonly runId?: string;
}

export interface IssueResult {
  readonly status: 'issued' | 'unchanged';
  readonly period: string;
  readonly version: number;
  readonly previousVersion: number | null;
  readonly title: string;
  readonly folder: string;
  readonly manifestKey: string;
  readonly manifestSha256: string;
  readonly files: readonly ManifestFile[];
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly headline: readonly string[];
  readonly inputsHash: string;
  /** Page count per PDF (issued runs only). */
  readonly pages: Readonly<Record<string, number>>;
  readonly notified: readonly SentMail[];
}

interface Inputs {
  readonly catalog: CatalogVersion;
  readonly submissions: Submission[];
  readonly inputsHash: string;
}

const DEFAULT_POLL_MS = 500;

export async function issueBulletin(deps: IssueBulletinDeps, period: string): Promise<IssueResult> {
  const deadlines = { ...DEFAULT_DEADLINES, ...deps.deadlines };
  const phase = <T>(name: Phase, work: () => Promise<T>) => withDeadline(name, deadlines[name], work);
  const log = deps.log ?? (() => {});
  const startedAt = deps.clock();
  let catalogOwner: string | undefined;
  try {
    const inputs = await phase('load', () => loadInputs(deps, period));
    catalogOwner = inputs.catalog.catalog.recipients.owner;
    const claim = await phase('claim', () => claimVersion(deps, period, inputs, deadlines));
    if (claim.kind === 'done') {
      log(`bulletin ${period}: inputs unchanged since v${claim.stored.manifest.version}`);
      await deps.audit.append({
        eventId: `bulletin.unchanged#${period}#v${claim.stored.manifest.version}#${startedAt.toISOString()}`,
        at: startedAt.toISOString(),
        action: 'bulletin.unchanged',
        actor: deps.actor ?? 'duban-bulletin',
        period,
        detail: { version: claim.stored.manifest.version, inputsHash: inputs.inputsHash },
      });
      // A run that archived this version but died before recording or mailing it is finished here.
      await recordIssued(deps, claim.stored);
      const notified = (await wasDelivered(deps, period, claim.stored.manifest.version))
        ? []
        : await phase('notify', () => deliver(deps, inputs.catalog, claim.stored));
      return result('unchanged', claim.stored, {}, notified);
    }
    log(`bulletin ${period}: building v${claim.version}`);
    const model = await buildModel(deps, period, claim.version, inputs);
    const { files, pages } = await phase('render', () => render(deps, model));
    const stored = await phase('archive', () =>
      deps.archive.writeVersion(
        {
          period,
          version: model.version,
          title: model.title,
          generatedAt: model.generatedAt,
          generatorVersion: model.generatorVersion,
          catalog: {
            year: inputs.catalog.year,
            version: inputs.catalog.version,
            contentHash: inputs.catalog.contentHash,
          },
          submissionVersions: submissionVersionsByPeriod(
            inputs.submissions.filter((s) => s.period <= period),
          ),
          inputsHash: inputs.inputsHash,
          previousVersion: model.corrections.sinceVersion,
          statusCounts: model.statusCounts,
          headline: model.headline,
        },
        files,
      ),
    );
    await recordIssued(deps, stored);
    const notified = await phase('notify', () => deliver(deps, inputs.catalog, stored));
    return result('issued', stored, pages, notified);
  } catch (error) {
    await reportFailure(deps, period, startedAt, error, deps.recipients?.owner ?? catalogOwner, log);
    throw error;
  }
}

function result(
  status: IssueResult['status'],
  stored: StoredVersion,
  pages: Record<string, number>,
  notified: SentMail[],
): IssueResult {
  const m = stored.manifest;
  return {
    status,
    period: m.period,
    version: m.version,
    previousVersion: m.previousVersion,
    title: m.title,
    folder: m.folder,
    manifestKey: stored.manifestKey,
    manifestSha256: stored.manifestSha256,
    files: m.files,
    statusCounts: m.statusCounts,
    headline: m.headline,
    inputsHash: m.inputsHash,
    pages,
    notified,
  };
}

async function loadInputs(deps: IssueBulletinDeps, period: string): Promise<Inputs> {
  const p = parsePeriod(period);
  if (!p) throw new InputRejectedError(`期间格式应为 YYYY-MM / period must be YYYY-MM, got "${period}"`);
  const catalog = await deps.catalogs.get(p.year);
  if (!catalog) {
    throw new InputRejectedError(
      `没有${p.year}年的目标目录，请先导入 / no catalog for ${p.year}: load one with \`duban catalog load\``,
    );
  }
  const months = Array.from({ length: p.month }, (_, i) => formatPeriod(p.year, i + 1));
  const submissions = (await Promise.all(months.map((m) => deps.submissions.allForPeriod(m)))).flat();
  return { catalog, submissions, inputsHash: inputsHashFor(catalog, period, submissions) };
}

type Claim = { kind: 'claimed'; version: number } | { kind: 'done'; stored: StoredVersion };

/**
 * Fencing: the version number is taken by a conditional put of the BulletinRecord, so of
 * two runs for one period exactly one writes a version; the other sees equal inputs and
 * waits for that version's manifest, then reports it as unchanged.
 */
async function claimVersion(
  deps: IssueBulletinDeps,
  period: string,
  inputs: Inputs,
  deadlines: PhaseDeadlines,
): Promise<Claim> {
  const leaseMs = deps.leaseMs ?? deadlines.render + deadlines.archive + deadlines.notify + 30_000;
  // The loops stop on their own at the deadline: the race in withDeadline does not cancel them.
  const giveUpAt = Date.now() + deadlines.claim;
  for (;;) {
    if (Date.now() > giveUpAt) throw new PhaseTimeoutError('claim', deadlines.claim);
    const latest = await deps.bulletins.latest(period);
    if (latest && latest.inputsHash === inputs.inputsHash) {
      const stored = await deps.archive.readManifest(period, latest.version);
      if (stored) return { kind: 'done', stored };
      const age = deps.clock().getTime() - Date.parse(latest.createdAt);
      // Our own earlier attempt (a retry of this invocation) claimed it and died: no one to wait for.
      const ownDeadClaim = deps.runId !== undefined && latest.runId === deps.runId;
      if (age < leaseMs && !ownDeadClaim)
        return {
          kind: 'done',
          stored: await waitForManifest(deps, period, latest.version, giveUpAt, deadlines.claim),
        };
      // The run that claimed it died before writing its manifest: its folder stays invisible.
    }
    const version = (latest?.version ?? 0) + 1;
    const record: BulletinRecord = {
      period,
      version,
      inputsHash: inputs.inputsHash,
      catalogYear: inputs.catalog.year,
      catalogVersion: inputs.catalog.version,
      submissionVersions: submissionVersionsByPeriod(inputs.submissions)[period] ?? {},
      createdAt: deps.clock().toISOString(),
      folder: deps.archive.folder(period, version),
      ...(deps.runId ? { runId: deps.runId } : {}),
    };
    try {
      await deps.bulletins.put(record);
      return { kind: 'claimed', version };
    } catch (error) {
      if (!(error instanceof VersionConflictError)) throw error;
      // Another run took this version first: look again at what it is building.
    }
  }
}

async function waitForManifest(
  deps: IssueBulletinDeps,
  period: string,
  version: number,
  giveUpAt: number,
  claimDeadlineMs: number,
): Promise<StoredVersion> {
  for (;;) {
    if (Date.now() > giveUpAt) throw new PhaseTimeoutError('claim', claimDeadlineMs);
    await new Promise((resolve) => setTimeout(resolve, deps.pollMs ?? DEFAULT_POLL_MS));
    const stored = await deps.archive.readManifest(period, version);
    if (stored) return stored;
  }
}

async function buildModel(deps: IssueBulletinDeps, period: string, version: number, inputs: Inputs) {
  const completed = await deps.archive.list(period);
  const previous = completed.at(-1)?.manifest;
  const before = previousPeriod(period);
  const lastIssuedAt =
    before?.startsWith(String(inputs.catalog.year)) === true
      ? (await deps.archive.list(before)).at(-1)?.manifest.generatedAt
      : undefined;
  return buildBulletinModel({
    catalog: inputs.catalog,
    period,
    version,
    now: deps.clock(),
    generatorVersion: deps.generatorVersion,
    submissions: inputs.submissions,
    previous: previous
      ? { version: previous.version, submissionVersions: previous.submissionVersions }
      : undefined,
    lastIssuedAt,
  });
}

/** One browser for every PDF of the run: the whole bulletin, then each department's slice. */
async function render(
  deps: IssueBulletinDeps,
  model: BulletinModel,
): Promise<{ files: ArchiveFile[]; pages: Record<string, number> }> {
  const renderer = deps.createPdfRenderer();
  const files: ArchiveFile[] = [];
  const pages: Record<string, number> = {};
  try {
    const whole = await renderer.renderBulletin(model);
    files.push({ name: 'bulletin.pdf', body: whole.pdf, contentType: 'application/pdf' });
    pages['bulletin.pdf'] = whole.pages;
    for (const d of model.departments) {
      const slice = await renderer.renderDepartment(model, d.id);
      const name = `depts/${d.id}.pdf`;
      files.push({ name, body: slice.pdf, contentType: 'application/pdf' });
      pages[name] = slice.pages;
    }
  } finally {
    await renderer.close();
  }
  files.splice(1, 0, {
    name: 'bulletin.xlsx',
    body: await deps.renderWorkbook(model),
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  });
  return { files, pages };
}

/** The audit event that says a version is out (the monthly check looks for it); idempotent. */
async function recordIssued(deps: IssueBulletinDeps, stored: StoredVersion): Promise<void> {
  const m = stored.manifest;
  await deps.audit.append({
    eventId: `bulletin.issued#${m.period}#v${m.version}`,
    at: deps.clock().toISOString(),
    action: 'bulletin.issued',
    actor: deps.actor ?? 'duban-bulletin',
    period: m.period,
    detail: { version: m.version, manifestSha256: stored.manifestSha256, inputsHash: m.inputsHash },
  });
}

const deliveredEventId = (period: string, version: number) => `bulletin.delivered#${period}#v${version}`;

async function wasDelivered(deps: IssueBulletinDeps, period: string, version: number): Promise<boolean> {
  const events = await deps.audit.list({ period });
  return events.some((e) => e.eventId === deliveredEventId(period, version));
}

/** Mails the leaders, then records the delivery so a retried run neither skips nor repeats it. */
async function deliver(
  deps: IssueBulletinDeps,
  catalog: CatalogVersion,
  stored: StoredVersion,
): Promise<SentMail[]> {
  const notified = await notifyLeaders(deps, catalog, stored);
  const m = stored.manifest;
  await deps.audit.append({
    eventId: deliveredEventId(m.period, m.version),
    at: deps.clock().toISOString(),
    action: 'bulletin.delivered',
    actor: deps.actor ?? 'duban-bulletin',
    period: m.period,
    detail: { version: m.version, messages: notified.map((n) => n.messageId) },
  });
  return notified;
}

function leadersOf(deps: IssueBulletinDeps, catalog: CatalogVersion): readonly string[] {
  const configured = deps.recipients?.leaders ?? [];
  return configured.length > 0 ? configured : catalog.catalog.recipients.leaders;
}

async function notifyLeaders(
  deps: IssueBulletinDeps,
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

async function reportFailure(
  deps: IssueBulletinDeps,
  period: string,
  at: Date,
  error: unknown,
  owner: string | undefined,
  log: (line: string) => void,
): Promise<void> {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // Rejected input (no catalog, bad period) is the caller's to fix; the owner hears about system failures.
  if (error instanceof InputRejectedError) return;
  try {
    await deps.audit.append({
      eventId: `bulletin.failed#${period}#${at.toISOString()}`,
      at: deps.clock().toISOString(),
      action: 'bulletin.failed',
      actor: deps.actor ?? 'duban-bulletin',
      period,
      detail: { error: message, phase: error instanceof PhaseTimeoutError ? error.phase : undefined },
    });
  } catch (auditError) {
    log(`bulletin ${period}: could not record the failure: ${String(auditError)}`);
  }
  if (!owner) return;
  try {
    await deps.mailer.send({
      to: [owner],
      subject: `【失败】${period} 进度通报生成失败 / bulletin run failed`,
      text: `${period} 进度通报生成失败，系统将自动重试。\nThe ${period} bulletin run failed and will be retried.\n\n${message}\n`,
    });
  } catch (mailError) {
    log(`bulletin ${period}: could not notify the owner: ${String(mailError)}`);
  }
}
