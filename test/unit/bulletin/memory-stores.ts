import type { CatalogVersion } from '../../../functions/core/catalog/catalog-schema.ts';
import { VersionConflictError } from '../../../functions/core/errors.ts';
import type {
  AuditEvent,
  AuditLog,
  BulletinRecord,
  BulletinStore,
  CatalogStore,
  SubmissionHistory,
} from '../../../functions/core/ports.ts';
import type { Submission } from '../../../functions/core/submission.ts';

/** In-memory ports with the same conditional-write semantics as the DynamoDB stores. */
export function memoryStores(catalog: CatalogVersion) {
  const subs: Submission[] = [];
  const records: BulletinRecord[] = [];
  const events: AuditEvent[] = [];
  const catalogs: CatalogStore = {
    put: async () => {
      throw new Error('not used');
    },
    get: async (year, version) =>
      year === catalog.year && (version === undefined || version === catalog.version) ? catalog : undefined,
    list: async (year) => (year === catalog.year ? [catalog] : []),
  };
  const submissions: SubmissionHistory = {
    put: async (s) => {
      if (subs.some((x) => x.dept === s.dept && x.period === s.period && x.version === s.version)) {
        throw new VersionConflictError(`submission ${s.dept} ${s.period}`, s.version);
      }
      subs.push(s);
    },
    latest: async (dept, period) =>
      subs.filter((s) => s.dept === dept && s.period === period).sort((a, b) => b.version - a.version)[0],
    versions: async (dept, period) => subs.filter((s) => s.dept === dept && s.period === period),
    latestForPeriod: async (period) => {
      const best = new Map<string, Submission>();
      for (const s of subs.filter((x) => x.period === period)) {
        if ((best.get(s.dept)?.version ?? 0) < s.version) best.set(s.dept, s);
      }
      return [...best.values()];
    },
    allForPeriod: async (period) => subs.filter((s) => s.period === period),
    periods: async () => [...new Set(subs.map((s) => s.period))].sort(),
  };
  const bulletins: BulletinStore = {
    put: async (r) => {
      // Yield first, like a network round trip, so concurrent runs really interleave.
      await new Promise((resolve) => setImmediate(resolve));
      if (records.some((x) => x.period === r.period && x.version === r.version)) {
        throw new VersionConflictError(`bulletin ${r.period}`, r.version);
      }
      records.push(r);
    },
    latest: async (period) =>
      records.filter((r) => r.period === period).sort((a, b) => b.version - a.version)[0],
    list: async (period) => records.filter((r) => period === undefined || r.period === period),
  };
  const audit: AuditLog = {
    append: async (e) => {
      if (events.some((x) => x.eventId === e.eventId)) return false;
      events.push(e);
      return true;
    },
    list: async (f) =>
      events.filter((e) => (!f.period || e.period === f.period) && (!f.dept || e.dept === f.dept)),
  };
  return { catalogs, submissions, bulletins, audit, subs, records, events };
}
