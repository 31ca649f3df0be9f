import { buildBulletinModel } from '../../core/bulletin/bulletin-builder.ts';
import type { BulletinModel } from '../../core/bulletin/bulletin-model.ts';
import { inputsHashFor, submissionVersionsByPeriod } from '../../core/bulletin/inputs-hash.ts';
import type { ManifestFile } from '../../core/bulletin/manifest.ts';
import { submissionDueDate } from '../../core/due-date.ts';
import { InputRejectedError } from '../../core/errors.ts';
import { remindedAt } from '../../core/reminders/reminder-ledger.ts';
import { formatPeriod, parsePeriod, previousPeriod } from '../../core/submission.ts';
import type {
  ArchiveFile,
  ArchiveLinks,
  BulletinArchive,
  BulletinLedger,
  BulletinWorkbookRenderer,
  Mailer,
  PdfRenderer,
  SentMail,
  StoredVersion,
} from '../ports/bulletin.ts';
import type { WorkingCalendar } from '../ports/calendar.ts';
import type { ReminderLedger } from '../ports/reminders.ts';
import type { AuditLog, CatalogStore, Clock, SubmissionStore } from '../ports/storage.ts';
import { type BulletinInputs, claimVersion } from './claim-version.ts';
import {
  type DeliveryContent,
  type DeliveryDeps,
  deliver,
  recordArchived,
  reportFailure,
} from './deliver-bulletin.ts';
import { DEFAULT_DEADLINES, type Phase, type PhaseDeadlines, withDeadline } from './phase-deadline.ts';

/**
 * The bulletin use case: load the month's inputs, decide whether they are new, fence the
 * version with a claim in the ledger, build the model, render PDF and Excel, archive
 * (manifest last), record it, notify the leaders. Any failure notifies the owner and is
 * rethrown, so Lambda retries and the dead-letter queue see it.
 */

export interface IssueBulletinDeps {
  readonly catalogs: CatalogStore;
  readonly submissions: SubmissionStore;
  readonly ledger: BulletinLedger;
  readonly audit: AuditLog;
  readonly archive: BulletinArchive;
  /** Called once per run that renders; the renderer is closed at the end of the run. */
  readonly createPdfRenderer: () => PdfRenderer;
  readonly renderWorkbook: BulletinWorkbookRenderer;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** The official calendar the due date is read on (逾期报送 and the reporting table). */
  readonly calendar: WorkingCalendar;
  /** The 催报 sent for the period, listed in the reporting table. */
  readonly reminders: Pick<ReminderLedger, 'list'>;
  readonly generatorVersion: string;
  /** Overrides the catalog's recipients (configuration wins over the catalog file). */
  readonly recipients?: { readonly leaders?: readonly string[]; readonly owner?: string };
  /** Download links for a bulletin too large to attach. */
  readonly links: ArchiveLinks;
  /** Linked from the leaders' mail when set. */
  readonly portalUrl?: string;
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

const DEFAULT_POLL_MS = 500;
const DEFAULT_ACTOR = 'duban-bulletin';

export interface IssueOptions {
  /** The run's issue time (the schedule's instant): the bulletin's 编发日期. Default: the clock. */
  readonly issuedAt?: Date;
}

export async function issueBulletin(
  deps: IssueBulletinDeps,
  period: string,
  options: IssueOptions = {},
): Promise<IssueResult> {
  const deadlines = { ...DEFAULT_DEADLINES, ...deps.deadlines };
  const phase = <T>(name: Phase, work: (signal: AbortSignal) => Promise<T>) =>
    withDeadline(name, deadlines[name], work);
  const delivery: DeliveryDeps = {
    ...deps,
    actor: deps.actor ?? DEFAULT_ACTOR,
    log: deps.log ?? (() => {}),
  };
  const startedAt = deps.clock();
  let catalogOwner: string | undefined;
  try {
    const inputs = await phase('load', () => loadInputs(deps, period));
    catalogOwner = inputs.catalog.catalog.recipients.owner;
    const leaseMs = deps.leaseMs ?? deadlines.render + deadlines.archive + deadlines.notify + 30_000;
    const claim = await phase('claim', (signal) =>
      claimVersion({ ...deps, pollMs: deps.pollMs ?? DEFAULT_POLL_MS }, inputs, {
        leaseMs,
        signal,
        deadlineMs: deadlines.claim,
      }),
    );
    if (claim.kind === 'done') {
      const version = claim.stored.manifest.version;
      delivery.log(`bulletin ${period}: inputs unchanged since v${version}`);
      await deps.audit.append({
        eventId: `bulletin.unchanged#${period}#v${version}#${startedAt.toISOString()}`,
        at: startedAt.toISOString(),
        action: 'bulletin.unchanged',
        actor: delivery.actor,
        period,
        detail: { version, inputsHash: inputs.inputsHash },
      });
      // A run that archived this version but died before recording or mailing it is finished
      // here; a live run this one waited for records and mails it itself.
      if (!claim.waited) await recordArchived(delivery, claim.stored);
      const notified =
        claim.run.state === 'delivered' || claim.waited
          ? []
          : await phase('notify', async () =>
              deliver(
                delivery,
                inputs.catalog,
                claim.stored,
                await archivedContent(deps, inputs, claim.stored, options.issuedAt),
              ),
            );
      return result('unchanged', claim.stored, {}, notified);
    }
    delivery.log(`bulletin ${period}: building v${claim.version}`);
    const model = await buildModel(deps, inputs, claim.version, options.issuedAt);
    const { files, pages } = await phase('render', () => render(deps, model));
    const stored = await phase('archive', () => archiveVersion(deps.archive, inputs, model, files));
    await recordArchived(delivery, stored);
    const bodies = new Map(files.map((f) => [f.name, f.body]));
    const notified = await phase('notify', () =>
      deliver(delivery, inputs.catalog, stored, { model, bodies }),
    );
    return result('issued', stored, pages, notified);
  } catch (error) {
    await reportFailure(delivery, period, startedAt, error, deps.recipients?.owner ?? catalogOwner);
    throw error;
  }
}

function result(
  status: IssueResult['status'],
  stored: StoredVersion,
  pages: Record<string, number>,
  notified: readonly SentMail[],
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

async function loadInputs(deps: IssueBulletinDeps, period: string): Promise<BulletinInputs> {
  const p = parsePeriod(period);
  if (!p) throw new InputRejectedError(`期间格式应为 YYYY-MM / period must be YYYY-MM, got "${period}"`);
  const catalog = await deps.catalogs.get(p.year);
  if (!catalog) {
    throw new InputRejectedError(
      `没有${p.year}年的目标目录，请先导入 / no catalog for ${p.year}: load one with \`npx duban catalog load\``,
    );
  }
  const months = Array.from({ length: p.month }, (_, i) => formatPeriod(p.year, i + 1));
  const submissions = (await Promise.all(months.map((m) => deps.submissions.allForPeriod(m)))).flat();
  return { period, catalog, submissions, inputsHash: inputsHashFor(catalog, period, submissions) };
}

async function buildModel(
  deps: IssueBulletinDeps,
  inputs: BulletinInputs,
  version: number,
  issuedAt: Date | undefined,
) {
  const { period, catalog } = inputs;
  // The latest version before this one (a retry finds this one archived already).
  const previous = (await deps.archive.list(period))
    .filter((v) => v.manifest.version < version)
    .at(-1)?.manifest;
  const before = previousPeriod(period);
  const lastIssuedAt =
    before?.startsWith(String(catalog.year)) === true
      ? (await deps.archive.list(before)).at(-1)?.manifest.generatedAt
      : undefined;
  const now = deps.clock();
  // The reminders listed are those due by the run's instant: a retry days later lists the same.
  const reminded = remindedAt(await deps.reminders.list(period), issuedAt ?? now);
  return buildBulletinModel({
    catalog,
    period,
    version,
    now,
    reporting: {
      due: submissionDueDate(catalog.catalog, period, deps.calendar),
      remindedAt: Object.fromEntries(reminded),
    },
    ...(issuedAt ? { issuedAt } : {}),
    generatorVersion: deps.generatorVersion,
    submissions: inputs.submissions,
    previous: previous
      ? { version: previous.version, submissionVersions: previous.submissionVersions }
      : undefined,
    lastIssuedAt,
    inputsHash: inputs.inputsHash,
  });
}

/**
 * What a retry that finds the version archived but not delivered mails: the model rebuilt
 * from the same inputs (the same figures; the inputs hash says so) and the archived files.
 */
async function archivedContent(
  deps: IssueBulletinDeps,
  inputs: BulletinInputs,
  stored: StoredVersion,
  issuedAt: Date | undefined,
): Promise<DeliveryContent> {
  const m = stored.manifest;
  const model = await buildModel(deps, inputs, m.version, issuedAt);
  const { files } = await deps.archive.get(m.period, m.version);
  return { model, bodies: new Map(files.map((f) => [f.file.name, f.body])) };
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

function archiveVersion(
  archive: BulletinArchive,
  inputs: BulletinInputs,
  model: BulletinModel,
  files: readonly ArchiveFile[],
): Promise<StoredVersion> {
  return archive.writeVersion(
    {
      period: inputs.period,
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
        inputs.submissions.filter((s) => s.period <= inputs.period),
      ),
      inputsHash: inputs.inputsHash,
      previousVersion: model.corrections.sinceVersion,
      statusCounts: model.statusCounts,
      headline: model.headline,
    },
    files,
  );
}
