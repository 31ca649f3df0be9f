import { scheduledRun } from '../adapters/scheduled-run.ts';
import type { Clock } from '../use-cases/ports/storage.ts';
import type { RemindDeps } from '../use-cases/reminders/send-reminders.ts';

export interface ReminderRunOptions {
  /** Local runs: where mails are written (the CLI uses <data>/outbox). */
  readonly outboxDir?: string;
  readonly actor?: string;
  readonly runId?: string;
  readonly clock?: Clock;
  readonly log?: (line: string) => void;
}

/** The reminder use case wired to the real adapters; exceljs loads only when a template is attached. */
export async function composeReminders(options: ReminderRunOptions = {}): Promise<RemindDeps> {
  const { config, common } = await scheduledRun(options);
  return {
    ...common,
    buildTemplate: async (request) =>
      (await import('../adapters/workbook/template-writer.ts')).buildTemplate({
        catalog: request.catalog.catalog,
        catalogVersion: request.catalog.version,
        dept: request.dept,
        period: request.period,
        previous: request.previous,
        now: request.now,
      }),
    portalUrl: config.portalUrl,
    actor: options.actor ?? 'duban-reminders',
    runId: options.runId,
    log: options.log,
  };
}
