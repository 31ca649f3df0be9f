import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { seedCatalogPath } from '../../../functions/adapters/catalog-files.ts';
import { ensureCatalog } from '../../../functions/adapters/ensure-catalog.ts';
import { buildTemplate } from '../../../functions/adapters/workbook/template-writer.ts';
import { composeArchive } from '../../../functions/bulletin/compose-bulletin.ts';
import type { BulletinSummary } from '../../../functions/bulletin/handler.ts';
import type { BulletinManifest } from '../../../functions/core/bulletin/manifest.ts';
import { deptShortName } from '../../../functions/core/catalog/catalog-lookup.ts';
import type { CatalogVersion } from '../../../functions/core/catalog/catalog-schema.ts';
import {
  buildDemoScenario,
  type DemoBulletinRun,
  type DemoIncidents,
  type DemoScenario,
  type DemoUpload,
} from '../../../functions/core/demo/demo-scenario.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import type { Receipt } from '../../../functions/core/ingest/receipt.ts';
import { previousPeriod } from '../../../functions/core/submission.ts';
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

export type BulletinHandler = (event: unknown) => Promise<BulletinSummary>;

export interface DemoOptions {
  readonly year: number;
  readonly dataDir: string;
  /** Replay January … this month (default 12). */
  readonly months?: number;
  readonly progress: DemoProgress;
  /** The real handlers by default; tests may wrap them. */
  readonly ingest?: IngestHandler;
  readonly bulletin?: BulletinHandler;
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

export interface DemoMonthOutcome {
  readonly period: string;
  readonly uploads: readonly UploadOutcome[];
  readonly bulletins: readonly BulletinOutcome[];
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

async function defaultBulletin(event: unknown): Promise<BulletinSummary> {
  const { handler } = await import('../../../functions/bulletin/handler.ts');
  return handler(event);
}

async function outboxFiles(dir: string): Promise<Set<string>> {
  try {
    return new Set((await readdir(dir)).filter((f) => f.endsWith('.eml')).map((f) => path.join(dir, f)));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
}

async function runBulletin(
  env: DemoEnvironment,
  bulletin: BulletinHandler,
  step: DemoBulletinRun,
): Promise<BulletinOutcome> {
  const mailsBefore = await outboxFiles(env.outboxDir);
  const result = await bulletin(schedulerEvent(step));
  if (result.period !== step.period) {
    throw new DemoRunError(`the bulletin run for ${step.at} built ${result.period}, expected ${step.period}`);
  }
  const stored = await composeArchive().readManifest(result.period, result.version);
  if (!stored)
    throw new DemoRunError(`bulletin ${result.period} v${result.version} has no manifest in the archive`);
  const mails = [...(await outboxFiles(env.outboxDir))].filter((f) => !mailsBefore.has(f)).sort();
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
  const receipt = await env.upload(key, filled, step.uploader);
  if (receipt.status !== step.expect) {
    const problems = receipt.errors.map((e) => `${e.cell ?? ''} ${e.message_zh}`).join('; ');
    throw new DemoRunError(
      `${step.dept} ${step.period} (${step.purpose}): expected ${step.expect}, ingest answered ${receipt.status}${problems ? `: ${problems}` : ''}`,
    );
  }
  return { dept: step.dept, period: step.period, purpose: step.purpose, key, receipt };
}

function describeStep(step: DemoUpload | DemoBulletinRun, catalog: CatalogVersion): string {
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
  const lane = new BulletinLane();
  try {
    // The audit log keeps one clock per run: the catalog load is recorded when it happens, like
    // every upload and bulletin run after it (the bulletins' 编发日期 follow the replayed schedule).
    const catalog = await ensureCatalog(env.stores, options.year, now(), 'duban demo');
    const scenario = buildDemoScenario(catalog.catalog, { months: options.months });
    const months: DemoMonthOutcome[] = [];
    for (const month of scenario.months) {
      const started = performance.now();
      const bar = options.progress.month(month.period, month.steps.length);
      const uploads: UploadOutcome[] = [];
      const bulletins: BulletinOutcome[] = [];
      for (const step of month.steps) {
        if (step.kind === 'upload') {
          if (step.purpose === 'correction') await lane.idle();
          uploads.push(await runUpload(env, catalog, step));
          bar.tick(describeStep(step, catalog));
        } else {
          lane.enqueue(async () => {
            bulletins.push(await runBulletin(env, bulletin, step));
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
