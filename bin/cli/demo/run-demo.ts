import { access } from 'node:fs/promises';
import { officialCalendar } from '../../../functions/adapters/calendar/official-calendar.ts';
import { seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { ensureCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { buildTemplate } from '../../../functions/adapters/workbook/template-writer.ts';
import { composeArchive } from '../../../functions/bulletin/compose-bulletin.ts';
import type { BulletinSummary, NotScheduled } from '../../../functions/bulletin/handler.ts';
import type { BulletinManifest } from '../../../functions/core/bulletin/manifest.ts';
import { deptShortName } from '../../../functions/core/catalog/catalog-lookup.ts';
import type { CatalogVersion } from '../../../functions/core/catalog/catalog-schema.ts';
import {
  buildDemoScenario,
  type DemoBulletinRun,
  type DemoIncidents,
  type DemoReminderRun,
  type DemoScenario,
  type DemoUpload,
} from '../../../functions/core/demo/demo-scenario.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import { previousPeriod } from '../../../functions/core/submission.ts';
import type { ReminderSummary } from '../../../functions/reminders/handler.ts';
import { keys } from '../../../functions/shared/storage-keys.ts';
import {
  type DemoEnvironment,
  DemoRunError,
  type IngestHandler,
  openDemoEnvironment,
  prepareDemoData,
} from './demo-environment.ts';
import type { DemoProgress } from './demo-progress.ts';
import { fillWorkbook } from './fill-workbook.ts';

/**
 * `duban demo` end to end: fresh stand-ins, the seed catalog, then month by month each
 * department's real template filled with the scenario's figures and uploaded (the real
 * ingest handler runs from the S3 event), and the real bulletin handler invoked with the
 * event EventBridge Scheduler sends. Every receipt is checked against what the scenario
 * intends, so a demo that "works" has proved the parts work together.
 */

export type BulletinHandler = (event: unknown) => Promise<BulletinSummary | NotScheduled>;
export type ReminderHandler = (event: unknown) => Promise<ReminderSummary>;

export interface DemoOptions {
  readonly year: number;
  readonly dataDir: string;
  /** Replay January … this month (default 12). */
  readonly months?: number;
  readonly progress: DemoProgress;
  /** The real handlers by default; tests may wrap them. */
  readonly ingest?: IngestHandler;
  readonly bulletin?: BulletinHandler;
  readonly remind?: ReminderHandler;
  /** Wall clock: the data directory's marker and the catalog load (the audit log's one clock). */
  readonly now?: () => Date;
}

export interface UploadOutcome {
  readonly dept: string;
  readonly period: string;
  readonly purpose: DemoUpload['purpose'];
  readonly key: string;
  readonly receipt: Receipt;
}

export interface BulletinOutcome {
  readonly period: string;
  readonly reissue: boolean;
  readonly at: string;
  /** What the handler answered. */
  readonly result: BulletinSummary;
  /** The archived version's manifest (files, headline, the inputs it was built from). */
  readonly manifest: BulletinManifest;
  /** Notification mails the run wrote to the outbox. */
  readonly mails: readonly string[];
}

/** One tick of the reminder schedule: the 催报 mails it sent. */
export interface ReminderOutcome {
  readonly period: string;
  readonly at: string;
  readonly sent: readonly { readonly point: string; readonly recipient: string; readonly location: string }[];
}

export interface DemoMonthOutcome {
  readonly period: string;
  readonly uploads: readonly UploadOutcome[];
  readonly bulletins: readonly BulletinOutcome[];
  readonly reminders: readonly ReminderOutcome[];
  readonly missing: readonly string[];
  readonly ms: number;
}

export interface DemoRun {
  readonly year: number;
  readonly dataDir: string;
  readonly catalog: CatalogVersion;
  readonly scenario: DemoScenario;
  readonly incidents: DemoIncidents;
  readonly months: readonly DemoMonthOutcome[];
  /** Still open: the caller copies the results out, then stops it. */
  readonly environment: DemoEnvironment;
}

/** The event EventBridge Scheduler sends (see lib/constructs/bulletin.ts); a re-issue names its period. */
export function schedulerEvent(
  run: Pick<DemoBulletinRun, 'at' | 'period' | 'reissue'>,
): Record<string, string> {
  return run.reissue
    ? { source: 'duban.schedule', scheduledTime: run.at, period: run.period }
    : { source: 'duban.schedule', scheduledTime: run.at };
}

async function defaultIngest(event: unknown): Promise<{ receipts: Receipt[] }> {
  const { handler } = await import('../../../functions/ingest/handler.ts');
  return handler(event);
}

async function defaultBulletin(event: unknown): Promise<BulletinSummary | NotScheduled> {
  const { handler } = await import('../../../functions/bulletin/handler.ts');
  return handler(event);
}

async function defaultRemind(event: unknown): Promise<ReminderSummary> {
  const { handler } = await import('../../../functions/reminders/handler.ts');
  return handler(event);
}

/** The reminder schedule's tick at a 催报 point; the handler finds the point from the time. */
async function runReminders(remind: ReminderHandler, step: DemoReminderRun): Promise<ReminderOutcome> {
  const result = await remind({ source: 'duban.schedule', scheduledTime: step.at });
  const own = result.periods.find((p) => p.period === step.period);
  if (!own) throw new DemoRunError(`the reminder tick at ${step.at} did not act on ${step.period}`);
  return {
    period: step.period,
    at: step.at,
    sent: own.sent.map((m) => ({ point: m.point, recipient: m.recipient, location: m.location })),
  };
}

async function runBulletin(bulletin: BulletinHandler, step: DemoBulletinRun): Promise<BulletinOutcome> {
  const result = await bulletin(schedulerEvent(step));
  if (result.status === 'not-scheduled') {
    throw new DemoRunError(`the bulletin tick at ${step.at} found no bulletin scheduled for ${step.period}`);
  }
  if (result.period !== step.period) {
    throw new DemoRunError(`the bulletin run for ${step.at} built ${result.period}, expected ${step.period}`);
  }
  const stored = await composeArchive().readManifest(result.period, result.version);
  if (!stored)
    throw new DemoRunError(`bulletin ${result.period} v${result.version} has no manifest in the archive`);
  const mails = [...result.mails].sort();
  return {
    period: step.period,
    reissue: step.reissue,
    at: step.at,
    result,
    manifest: stored.manifest,
    mails,
  };
}

export async function runUpload(
  env: DemoEnvironment,
  catalog: CatalogVersion,
  step: DemoUpload,
): Promise<UploadOutcome> {
  const before = previousPeriod(step.period);
  const previous = before?.startsWith(String(catalog.year))
    ? await env.stores.submissions.latest(step.dept, before)
    : undefined;
  const template = await buildTemplate({
    catalog: catalog.catalog,
    catalogVersion: catalog.version,
    dept: step.dept,
    period: step.period,
    previous,
    now: new Date(step.at),
  });
  const filled = await fillWorkbook(template, step.rows);
  const key = keys.incoming({ dept: step.dept, period: step.period, file: step.fileName });
  const receipt = await env.upload(key, filled, step.uploader, step.at);
  if (receipt.status !== step.expect) {
    const problems = receipt.errors.map((e) => `${e.cell ?? ''} ${e.message_zh}`).join('; ');
    throw new DemoRunError(
      `${step.dept} ${step.period} (${step.purpose}): expected ${step.expect}, ingest answered ${receipt.status}${problems ? `: ${problems}` : ''}`,
    );
  }
  return { dept: step.dept, period: step.period, purpose: step.purpose, key, receipt };
}

function describeStep(step: DemoUpload | DemoBulletinRun | DemoReminderRun, catalog: CatalogVersion): string {
  if (step.kind === 'remind') return `已催报 ${step.period}`;
  if (step.kind === 'bulletin')
    return step.reissue ? `已重发 ${step.period} 通报(更正)` : `已生成 ${step.period} 通报`;
  const what = {
    regular: '已报送',
    rejected: '报送被退回',
    resubmission: '已重新报送',
    correction: '已更正',
  }[step.purpose];
  return `${deptShortName(catalog.catalog, step.dept)} ${what}`;
}

/**
 * Bulletins run one after another in a lane of their own, overlapping the next month's
 * uploads: a bulletin reads only the months up to its own, and Chromium prints in its own
 * process while ingest parses workbooks here. A correction waits for the lane, because it
 * corrects a month whose bulletin has gone out.
 */
class BulletinLane {
  private tail: Promise<void> = Promise.resolve();

  enqueue(work: () => Promise<void>): void {
    this.tail = this.tail.then(work);
    // Surfaced where the lane is awaited; never an unhandled rejection in between.
    this.tail.catch(() => {});
  }

  idle(): Promise<void> {
    return this.tail;
  }
}

export async function runDemo(options: DemoOptions): Promise<DemoRun> {
  const now = options.now ?? (() => new Date());
  // Check before touching the data directory: the demo replays a year it has a seed for.
  const seed = seedCatalogPath(options.year);
  await access(seed).catch(() => {
    throw new UsageError(
      `no seed catalog for ${options.year} (${seed}); the demo replays a year shipped in templates/catalogs/`,
    );
  });
  await prepareDemoData(options.dataDir, options.year, now());
  const env = await openDemoEnvironment(options.dataDir, options.ingest ?? defaultIngest);
  const bulletin = options.bulletin ?? defaultBulletin;
  const remind = options.remind ?? defaultRemind;
  const lane = new BulletinLane();
  try {
    // The audit log keeps one clock per run: the catalog load is recorded when it happens, like
    // every upload and bulletin run after it (the bulletins' 编发日期 follow the replayed schedule).
    const catalog = await ensureCatalog(env.stores, options.year, now(), 'duban demo');
    const scenario = buildDemoScenario(catalog.catalog, await officialCalendar(), { months: options.months });
    const months: DemoMonthOutcome[] = [];
    for (const month of scenario.months) {
      const started = performance.now();
      const bar = options.progress.month(month.period, month.steps.length);
      const uploads: UploadOutcome[] = [];
      const bulletins: BulletinOutcome[] = [];
      const reminders: ReminderOutcome[] = [];
      for (const step of month.steps) {
        if (step.kind === 'upload') {
          if (step.purpose === 'correction') await lane.idle();
          uploads.push(await runUpload(env, catalog, step));
          bar.tick(describeStep(step, catalog));
        } else if (step.kind === 'remind') {
          // Reminders follow the bulletins queued before them, in the order the schedule sets.
          await lane.idle();
          reminders.push(await runReminders(remind, step));
          bar.tick(describeStep(step, catalog));
        } else {
          lane.enqueue(async () => {
            bulletins.push(await runBulletin(bulletin, step));
            bar.tick(describeStep(step, catalog));
          });
        }
      }
      lane.enqueue(async () => {
        const accepted = uploads.filter((u) => u.receipt.status === 'accepted').length;
        const issued = bulletins.map((b) => `${b.period} v${b.result.version}`).join(', ');
        bar.done(`${accepted} 份报送已接收, 通报 ${issued}`);
        months.push({
          period: month.period,
          uploads,
          bulletins,
          reminders,
          missing: month.missing,
          ms: performance.now() - started,
        });
      });
    }
    await lane.idle();
    return {
      year: options.year,
      dataDir: options.dataDir,
      catalog,
      scenario,
      incidents: scenario.incidents,
      months,
      environment: env,
    };
  } catch (error) {
    await lane.idle().catch(() => {});
    await env.stop();
    throw error;
  }
}
