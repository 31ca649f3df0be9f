import { currentConfig } from '../../functions/adapters/aws-clients.ts';
import { officialCalendar } from '../../functions/adapters/calendar/official-calendar.ts';
import { createStores } from '../../functions/adapters/dynamo-stores.ts';
import { createObjectStore } from '../../functions/adapters/s3-object-store.ts';
import { createArchiveKey, createArchiveSigner } from '../../functions/adapters/signing/archive-signer.ts';
import { systemClock } from '../../functions/adapters/system-clock.ts';
import {
  type BulletinRunOptions,
  composeArchive,
  composeBulletin,
  composeRawArchive,
  composeVerifier,
} from '../../functions/bulletin/compose-bulletin.ts';
import { composeIngest } from '../../functions/ingest/compose-ingest.ts';
import { composeReminders, type ReminderRunOptions } from '../../functions/reminders/compose-reminders.ts';

/**
 * The CLI's composition root: the adapters of the storage a command runs against (the local
 * stand-ins, a running `duban local`, or the deployed stack with --aws) wired to the use
 * cases. Called inside a command's action, once its storage is attached.
 */
export function composeCli() {
  const config = currentConfig();
  const stores = createStores();
  return {
    config,
    clock: systemClock,
    stores,
    /** The official working-day calendar (the package's years plus override files). */
    calendar: officialCalendar,
    objects: createObjectStore(),
    archive: composeArchive(config),
    raw: composeRawArchive(config),
    /** The public half of the archive's signing key (never made by a reader). */
    archiveKey: createArchiveKey(config),
    /** The signer itself: `archive pubkey` and `chain --init` make the local key on first use. */
    archiveSigner: () => createArchiveSigner(config),
    verify: composeVerifier(config),
    ingest: composeIngest,
    bulletin: (options: BulletinRunOptions) => composeBulletin({ clock: systemClock, ...options }),
    reminders: (options: ReminderRunOptions) => composeReminders({ clock: systemClock, ...options }),
  };
}

export type CliDeps = ReturnType<typeof composeCli>;
