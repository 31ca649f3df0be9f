import { getConnInfo } from '@hono/node-server/conninfo';
import { currentConfig } from '../adapters/aws-clients.ts';
import { officialCalendar } from '../adapters/calendar/official-calendar.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { createArchiveBulletinReader } from '../adapters/portal/archive-bulletins.ts';
import { createCatalogAdmin } from '../adapters/portal/catalog-admin.ts';
import { createDirectUploadGateway } from '../adapters/portal/direct-upload-gateway.ts';
import { createUserDirectory } from '../adapters/portal/dynamo-users.ts';
import { createPasswordSessions } from '../adapters/portal/password-sessions.ts';
import { createTableUserAdmin } from '../adapters/portal/table-user-admin.ts';
import { createObjectStore } from '../adapters/s3-object-store.ts';
import { TemplateRequestError } from '../adapters/workbook/template-writer.ts';
import { composeArchive, composeRawArchive, composeVerifier } from '../bulletin/compose-bulletin.ts';
import { InputRejectedError } from '../core/errors.ts';
import { makeDepartmentTemplate } from '../ingest/department-template.ts';
import { LIMITS } from '../shared/limits.ts';
import { createReceiptReader } from '../use-cases/ingest/receipt-reader.ts';
import { portalVerifier } from './archive-verifier.ts';
import type { PortalData, PortalDeps, PortalSettings, UserAdmin } from './ports.ts';

/**
 * Composition of the portal: the adapters behind every port. `createPortalData` is the same
 * on the embedded stand-ins and on AWS (DynamoDB, S3, the archive); only the user admin,
 * the session authority and the upload gateway differ, and the local ones are wired in
 * `createLocalPortalDeps` (the AWS composition lives with the Lambda handler).
 */

export function createPortalData(options: {
  readonly users: UserAdmin;
  readonly clock: () => Date;
}): PortalData {
  const config = currentConfig();
  const stores = createStores();
  const objects = createObjectStore();
  const archive = composeArchive(config);
  const raw = composeRawArchive(config);
  return {
    calendar: () => officialCalendar(),
    reminders: stores.reminders,
    catalogs: createCatalogAdmin({ catalogs: stores.catalogs, audit: stores.audit, clock: options.clock }),
    submissions: stores.submissions,
    audit: stores.audit,
    bulletins: createArchiveBulletinReader(archive, objects, config.archiveBucket),
    receipts: createReceiptReader(objects, config.uploadsBucket),
    templates: {
      async build(dept, period, actor) {
        const made = await makeDepartmentTemplate(stores, {
          dept,
          period,
          now: options.clock(),
          actor,
        }).catch((error: unknown) => {
          // A department the year's catalog does not know: the request, not the system, is wrong.
          if (error instanceof TemplateRequestError) throw new InputRejectedError(error.message);
          throw error;
        });
        const name = made.catalog.catalog.departments.find((d) => d.id === dept)?.shortName ?? dept;
        return { bytes: made.bytes, fileName: `${name}-${period}-填报模板.xlsx` };
      },
    },
    verifier: portalVerifier(composeVerifier(config)),
    raw: {
      async get(sha256) {
        const got = await raw.getRaw(sha256);
        return { sha256: got.sha256, fileName: got.fileName, body: got.body };
      },
    },
    users: options.users,
  };
}

export const DEFAULT_SETTINGS: PortalSettings = {
  maxUploadBytes: LIMITS.maxUploadBytes,
  receiptWaitMs: 10_000,
  secureCookies: false,
  trustedOrigins: [],
};

/** The local user admin (users in the table), shared by the portal and `duban users`. */
export function createLocalUserAdmin(clock: () => Date): UserAdmin {
  return createTableUserAdmin({ directory: createUserDirectory(), audit: createStores().audit, clock });
}

/** `duban serve`: passwords against the table, uploads received by the app into the local S3. */
export function createLocalPortalDeps(
  options: { readonly clock?: () => Date; readonly settings?: Partial<PortalSettings> } = {},
): PortalDeps {
  const clock = options.clock ?? (() => new Date());
  const settings: PortalSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const config = currentConfig();
  return {
    sessions: createPasswordSessions({ users: createUserDirectory(), clock }),
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
    uploads: createDirectUploadGateway({
      objects: createObjectStore(),
      bucket: config.uploadsBucket,
      maxBytes: settings.maxUploadBytes,
      clock,
    }),
    data: createPortalData({ users: createLocalUserAdmin(clock), clock }),
    clock,
    settings: { district: settings.district ?? config.district, ...settings },
  };
}

/** The district the latest catalog names, for the page header when the settings name none. */
export async function catalogDistrict(catalogs: PortalData['catalogs']): Promise<string | undefined> {
  const year = (await catalogs.years()).at(-1);
  return year === undefined ? undefined : (await catalogs.latest(year))?.catalog.district;
}
