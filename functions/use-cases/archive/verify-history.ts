import { type Finding, finding } from '../../core/archive/findings.ts';
import type { ObjectHistory, ObjectVersionInfo } from '../ports/archive-chain.ts';
import { mapBounded } from './bounded.ts';

/**
 * On AWS the buckets remember more than their current objects. An overwrite under Object
 * Lock keeps the locked original as an older version, and a delete only adds a delete
 * marker: reading the current objects alone would pass either. So every archived key's
 * versions are listed, and any older version or delete marker is reported; and each current
 * object's lock must be compliance mode until at least its issue plus the retention term.
 */

export interface ArchivedObject {
  readonly bucket: string;
  readonly key: string;
  /** When it was issued (bulletin) or received (raw upload): the lock runs from then. */
  readonly issuedAt: string;
}

export interface HistoryContext {
  readonly history: ObjectHistory;
  /** Bucket → prefixes whose versions to list. */
  readonly scopes: readonly { readonly bucket: string; readonly prefix: string }[];
  readonly archived: readonly ArchivedObject[];
  readonly retentionYears: number;
  readonly concurrency: number;
}

export interface HistoryResult {
  readonly findings: Finding[];
  readonly versionsListed: number;
  readonly locksChecked: number;
}

/** The instant `years` calendar years after `iso` (29 February rolls to 1 March). */
export function yearsAfter(iso: string, years: number): Date {
  const d = new Date(iso);
  const shifted = new Date(d.getTime());
  shifted.setUTCFullYear(d.getUTCFullYear() + years);
  return shifted;
}

export async function checkHistory(ctx: HistoryContext): Promise<HistoryResult> {
  const findings: Finding[] = [];
  const listed = (await Promise.all(ctx.scopes.map((s) => ctx.history.versions(s.bucket, s.prefix)))).flatMap(
    (versions, i) => versions.map((v) => ({ ...v, bucket: ctx.scopes[i]?.bucket ?? '' })),
  );
  const byKey = new Map<string, (ObjectVersionInfo & { bucket: string })[]>();
  for (const v of listed) {
    const id = `${v.bucket}/${v.key}`;
    byKey.set(id, [...(byKey.get(id) ?? []), v]);
  }
  const toLock: { object: ArchivedObject; versionId: string }[] = [];
  for (const object of ctx.archived) {
    const versions = byKey.get(`${object.bucket}/${object.key}`) ?? [];
    const markers = versions.filter((v) => v.isDeleteMarker);
    const older = versions.filter((v) => !v.isDeleteMarker && !v.isLatest);
    if (markers.length > 0) {
      findings.push(
        finding(
          'OVERWRITTEN',
          object.key,
          `存在 ${markers.length} 个删除标记`,
          `has ${markers.length} delete marker(s)`,
          {
            actual: markers.map((m) => m.versionId).join(','),
          },
        ),
      );
    }
    if (older.length > 0) {
      findings.push(
        finding(
          'OVERWRITTEN',
          object.key,
          `存在 ${older.length} 个被覆盖的旧版本`,
          `has ${older.length} older version(s): it was overwritten`,
          {
            actual: older.map((m) => m.versionId).join(','),
          },
        ),
      );
    }
    const current = versions.find((v) => v.isLatest && !v.isDeleteMarker);
    if (current) toLock.push({ object, versionId: current.versionId });
  }
  const locks = await mapBounded(toLock, ctx.concurrency, (t) =>
    ctx.history.retention(t.object.bucket, t.object.key, t.versionId),
  );
  toLock.forEach((t, i) => {
    const lock = locks[i];
    const needed = yearsAfter(t.object.issuedAt, ctx.retentionYears);
    if (lock?.mode !== 'COMPLIANCE' || !lock.retainUntil || lock.retainUntil.getTime() < needed.getTime()) {
      findings.push(
        finding(
          'RETENTION',
          t.object.key,
          `对象锁定须为合规模式，至少保留至 ${needed.toISOString().slice(0, 10)}`,
          `Object Lock must be COMPLIANCE until at least ${needed.toISOString().slice(0, 10)} (issue + ${ctx.retentionYears} years)`,
          {
            expected: `COMPLIANCE ≥ ${needed.toISOString()}`,
            actual: lock
              ? `${lock.mode ?? 'no mode'} until ${lock.retainUntil?.toISOString() ?? 'never'}`
              : 'no lock',
          },
        ),
      );
    }
  });
  return { findings, versionsListed: listed.length, locksChecked: toLock.length };
}
