import type { Mailer } from '../use-cases/ports/bulletin.ts';
import type { WorkingCalendar } from '../use-cases/ports/calendar.ts';
import type { Clock } from '../use-cases/ports/storage.ts';
import { currentConfig } from './aws-clients.ts';
import { officialCalendar } from './calendar/official-calendar.ts';
import type { DubanConfig } from './config.ts';
import { createStores, type Stores } from './dynamo-stores.ts';
import { createMailer } from './mailer.ts';
import { systemClock } from './system-clock.ts';

/** What every scheduled run (the bulletin, the reminders) wires alike. */
export interface ScheduledRun {
  readonly config: DubanConfig;
  readonly stores: Stores;
  /** The dependencies both runs' use cases take under the same names. */
  readonly common: {
    readonly catalogs: Stores['catalogs'];
    readonly submissions: Stores['submissions'];
    readonly reminders: Stores['reminders'];
    readonly audit: Stores['audit'];
    readonly mailer: Mailer;
    readonly clock: Clock;
    readonly calendar: WorkingCalendar;
  };
}

/**
 * The stage's settings and tables, the run's clock (the system clock unless a test or the CLI
 * gives one), the mailer (an outbox directory for local runs, SES on AWS) and the official
 * calendar the due dates are read on.
 */
export async function scheduledRun(options: { clock?: Clock; outboxDir?: string }): Promise<ScheduledRun> {
  const config = currentConfig();
  const clock = options.clock ?? systemClock;
  const stores = createStores();
  return {
    config,
    stores,
    common: {
      catalogs: stores.catalogs,
      submissions: stores.submissions,
      reminders: stores.reminders,
      audit: stores.audit,
      mailer: createMailer(config, clock, { outboxDir: options.outboxDir }),
      clock,
      calendar: await officialCalendar(),
    },
  };
}
