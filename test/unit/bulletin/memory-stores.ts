import type { ChainLink, LinkReservation, LinkSeal } from '../../../functions/core/archive/chain.ts';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import {
  type BulletinClaim,
  foldLedger,
  type LedgerEntry,
} from '../../../functions/core/bulletin/bulletin-run.ts';
import type { CatalogVersion } from '../../../functions/core/catalog/catalog-schema.ts';
import { VersionConflictError } from '../../../functions/core/errors.ts';
import { foldReminders, type ReminderEntry } from '../../../functions/core/reminders/reminder-ledger.ts';
import type { Submission } from '../../../functions/core/submission.ts';
import type { ChainLedger } from '../../../functions/use-cases/ports/archive-chain.ts';
import type { BulletinLedger } from '../../../functions/use-cases/ports/bulletin.ts';
import type { ReminderLedger } from '../../../functions/use-cases/ports/reminders.ts';
import type {
  AuditLog,
  CatalogStore,
  SubmissionHistory,
} from '../../../functions/use-cases/ports/storage.ts';

/** The archive chain in memory: a conditional reservation per number, a first-wins seal. */
export function memoryChain() {
  const reservations = new Map<number, LinkReservation>();
  const seals = new Map<number, LinkSeal>();
  const chain: ChainLedger = {
    links: async () =>
      [...reservations.values()]
        .sort((a, b) => a.seq - b.seq)
        .map((r): ChainLink => {
          const seal = seals.get(r.seq);
          return seal ? { ...r, seal } : r;
        }),
    reserve: async (r) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (reservations.has(r.seq)) throw new VersionConflictError('archive chain link', r.seq);
      reservations.set(r.seq, r);
    },
    seal: async (seal) => {
      const first = seals.get(seal.seq) ?? seal;
      seals.set(seal.seq, first);
      return first;
    },
  };
  return { chain, reservations, seals };
}

/** In-memory ports with the same conditional-write semantics as the DynamoDB stores. */
export function memoryStores(catalog: CatalogVersion) {
  const subs: Submission[] = [];
  const claims: BulletinClaim[] = [];
  const ledgerEntries: LedgerEntry[] = [];
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
  const once = (entry: LedgerEntry) => {
    const seen = ledgerEntries.some(
      (e) => e.entry === entry.entry && e.period === entry.period && e.version === entry.version,
    );
    if (!seen) ledgerEntries.push(entry);
    return !seen;
  };
  const ledger: BulletinLedger = {
    claim: async (c) => {
      // Yield first, like a network round trip, so concurrent runs really interleave.
      await new Promise((resolve) => setImmediate(resolve));
      if (!once({ entry: 'claim', ...c })) throw new VersionConflictError(`bulletin ${c.period}`, c.version);
      claims.push(c);
    },
    archived: async (period, version, e) => {
      once({ entry: 'archived', period, version, ...e });
    },
    delivered: async (period, version, e) => {
      once({ entry: 'delivered', period, version, ...e });
    },
    runs: async (period) => foldLedger(ledgerEntries.filter((e) => e.period === period)),
  };
  const reminderEntries: ReminderEntry[] = [];
  const sameReminder = (a: ReminderEntry, b: ReminderEntry) =>
    a.entry === b.entry && a.period === b.period && a.point === b.point && a.recipient === b.recipient;
  const reminders: ReminderLedger = {
    claim: async (c) => {
      await new Promise((resolve) => setImmediate(resolve));
      const entry: ReminderEntry = { entry: 'claim', ...c };
      if (reminderEntries.some((e) => sameReminder(e, entry))) return false;
      reminderEntries.push(entry);
      return true;
    },
    sent: async (period, point, recipient, e) => {
      const entry: ReminderEntry = { entry: 'sent', period, point, recipient, ...e };
      if (!reminderEntries.some((x) => sameReminder(x, entry))) reminderEntries.push(entry);
    },
    list: async (period) => foldReminders(reminderEntries.filter((e) => e.period === period)),
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
  const { chain, reservations, seals } = memoryChain();
  return {
    catalogs,
    submissions,
    ledger,
    reminders,
    chain,
    audit,
    subs,
    claims,
    events,
    reminderEntries,
    reservations,
    seals,
  };
}
