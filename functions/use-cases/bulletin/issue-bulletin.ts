import type { LinkReservation } from '../../core/archive/chain.ts';
import { buildBulletinModel } from '../../core/bulletin/bulletin-builder.ts';
import type { BulletinChainPosition, BulletinModel } from '../../core/bulletin/bulletin-model.ts';
import {
  inputsHashFor,
  latestSubmissions,
  submissionVersionsByPeriod,
} from '../../core/bulletin/inputs-hash.ts';
import type { ManifestFile, ManifestSource } from '../../core/bulletin/manifest.ts';
import { submissionDueDate } from '../../core/due-date.ts';
import { InputRejectedError } from '../../core/errors.ts';
import { remindedAt } from '../../core/reminders/reminder-ledger.ts';
import { formatPeriod, parsePeriod, previousPeriod } from '../../core/submission.ts';
import { type ChainDeps, reserveLink, sealArchived, sealLink } from '../archive/chain-link.ts';
import type { ArchiveSigner, ChainLedger } from '../ports/archive-chain.ts';
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
  /** The archive's hash chain: every issued version becomes its next link. */
  readonly chain: ChainLedger;
  /** Signs each link as it becomes the chain's head. */
  readonly signer: ArchiveSigner;
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
  /** The version's link in the archive's hash chain (absent for a version issued before it). */
  readonly chain?: { readonly seq: number; readonly prevManifestSha256: string | null };
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
    const pollMs = deps.pollMs ?? DEFAULT_POLL_MS;
    const chainDeps: ChainDeps = deps;
    const claim = await phase('claim', async (signal) => {
      const claimed = await claimVersion({ ...deps, pollMs }, inputs, {
        leaseMs,
        signal,
        deadlineMs: deadlines.claim,
      });
      if (claimed.kind === 'done') return claimed;
      // The chain position is taken before rendering: the last page prints it.
      const link = await reserveLink(
        chainDeps,
        { period, version: claimed.version },
        { leaseMs, pollMs, signal, deadlineMs: deadlines.claim },
      );
      return { ...claimed, link };
    });
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
      // A run that archived this version but died before sealing, recording or mailing it is
      // finished here; a live run this one waited for does all of that itself.
      if (!claim.waited) {
        await sealArchived(chainDeps, claim.stored);
        await recordArchived(delivery, claim.stored);
      }
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
    delivery.log(`bulletin ${period}: building v${claim.version}, chain link #${claim.link.seq}`);
    const previous = await versionBefore(deps, period, claim.version);
    const model = await buildModel(
      deps,
      inputs,
      claim.version,
      options.issuedAt,
      previous,
      await chainPosition(deps, claim.link),
    );
    const { files, pages } = await phase('render', () => render(deps, model));
    const stored = await phase('archive', async () => {
      const archived = await archiveVersion(deps.archive, inputs, model, files, claim.link, previous);
      await sealLink(chainDeps, claim.link, archived);
      return archived;
    });
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
    ...(m.chain ? { chain: { seq: m.chain.seq, prevManifestSha256: m.chain.prevManifestSha256 } } : {}),
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

/** What the last page prints about the version's place in the chain. */
async function chainPosition(deps: IssueBulletinDeps, link: LinkReservation): Promise<BulletinChainPosition> {
  return {
    seq: link.seq,
    prevSeq: link.prevSeq,
    prevManifestSha256: link.prevManifestSha256,
    keyFingerprint: (await deps.signer.publicKey()).fingerprint,
  };
}

async function buildModel(
  deps: IssueBulletinDeps,
  inputs: BulletinInputs,
  version: number,
  issuedAt: Date | undefined,
  previous: StoredVersion | undefined,
  chain: BulletinChainPosition | undefined,
): Promise<BulletinModel> {
  const { period, catalog } = inputs;
  const before = previousPeriod(period);
  const lastIssuedAt =
    before?.startsWith(String(catalog.year)) === true
      ? (await deps.archive.list(before)).at(-1)?.manifest.generatedAt
      : undefined;
  const now = deps.clock();
  // The reminders listed are those due by the run's instant: a retry days later lists the same.
  const reminded = remindedAt(await deps.reminders.list(period), issuedAt ?? now);
  const model = buildBulletinModel({
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
      ? { version: previous.manifest.version, submissionVersions: previous.manifest.submissionVersions }
      : undefined,
    lastIssuedAt,
    inputsHash: inputs.inputsHash,
  });
  return chain ? { ...model, chain } : model;
}

/** The latest version of the period before this one (a retry finds this one archived already). */
async function versionBefore(
  deps: IssueBulletinDeps,
  period: string,
  version: number,
): Promise<StoredVersion | undefined> {
  return (await deps.archive.list(period)).filter((v) => v.manifest.version < version).at(-1);
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
  // The mail reads the chain position from the manifest; the model is only its figures.
  const previous = await versionBefore(deps, m.period, m.version);
  const model = await buildModel(deps, inputs, m.version, issuedAt, previous, undefined);
  const { files } = await deps.archive.get(m.period, m.version);
  // A file gone from the archive is linked rather than attached (verify reports it).
  const bodies = new Map(files.flatMap((f) => (f.body ? [[f.file.name, f.body] as const] : [])));
  return { model, bodies };
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
  link: LinkReservation,
  previous: StoredVersion | undefined,
): Promise<StoredVersion> {
  const upToPeriod = inputs.submissions.filter((s) => s.period <= inputs.period);
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
      submissionVersions: submissionVersionsByPeriod(upToPeriod),
      inputsHash: inputs.inputsHash,
      previousVersion: model.corrections.sinceVersion,
      statusCounts: model.statusCounts,
      headline: model.headline,
      chain: {
        seq: link.seq,
        prevSeq: link.prevSeq,
        prevManifestSha256: link.prevManifestSha256,
        corrects: previous
          ? { version: previous.manifest.version, manifestSha256: previous.manifestSha256 }
          : null,
      },
      sources: sourcesOf(upToPeriod),
    },
    files,
  );
}

/** period → dept → the original upload of the submission version the bulletin used. */
function sourcesOf(
  submissions: BulletinInputs['submissions'],
): Record<string, Record<string, ManifestSource>> {
  const out: Record<string, Record<string, ManifestSource>> = {};
  for (const s of latestSubmissions(submissions)) {
    out[s.period] = { ...out[s.period], [s.dept]: { sha256: s.sourceSha256, key: s.rawKey } };
  }
  return out;
}
