import { describe, expect, it } from 'vitest';
import {
  DistrictIdError,
  itemKeys,
  keys,
  objectKeys,
  TABLE_KEY_FAMILIES,
  tableKeys,
} from '../../../functions/shared/storage-keys.ts';

const SHA = 'ab'.repeat(32);

describe('storage keys of the default district', () => {
  it('writes the table keys documented in docs/data-model.md', () => {
    // Act
    const keysWritten = [
      itemKeys.catalog(2023, 2),
      itemKeys.submission({ dept: 'fgw', period: '2023-03', version: 12 }),
      itemKeys.audit({ period: '2023-03', eventId: 'ingest-1', at: '2023-04-02T01:00:00.000Z' }),
      itemKeys.bulletinEntry('2023-03', 2, 'claim'),
      itemKeys.bulletinEntry('2023-03', 2, 'archived'),
      itemKeys.bulletinEntry('2023-03', 2, 'delivered'),
      itemKeys.user('fgw'),
    ];

    // Assess
    expect(keysWritten).toEqual([
      { pk: 'CATALOG#2023', sk: 'V#0002' },
      { pk: 'PERIOD#2023-03', sk: 'SUB#fgw#V#0012' },
      {
        pk: 'AUDIT#2023-03',
        sk: 'EVT#ingest-1',
        gsi1pk: 'AUDIT',
        gsi1sk: '2023-04-02T01:00:00.000Z#2023-03#ingest-1',
      },
      { pk: 'BULLETIN#2023-03', sk: 'V#0002' },
      { pk: 'BULLETIN#2023-03', sk: 'V#0002#ARCHIVED' },
      { pk: 'BULLETIN#2023-03', sk: 'V#0002#DELIVERED' },
      { pk: 'USER#fgw', sk: 'PROFILE', gsi1pk: 'USER', gsi1sk: 'fgw' },
    ]);
  });

  it('queries the partitions it writes', () => {
    // Prepare
    const sub = itemKeys.submission({ dept: 'fgw', period: '2023-03', version: 1 });

    // Act
    const versions = itemKeys.submissionVersions('fgw', '2023-03');
    const period = itemKeys.periodSubmissions('2023-03');

    // Assess
    expect(versions.pk).toBe(sub.pk);
    expect(sub.sk.startsWith(versions.skPrefix)).toBe(true);
    expect(sub.sk.startsWith(period.skPrefix)).toBe(true);
    expect(itemKeys.submissionPeriods.periodOf(sub.pk)).toBe('2023-03');
    expect(itemKeys.catalog(2023, 1).sk.startsWith(itemKeys.catalogVersions(2023).skPrefix)).toBe(true);
    const ledger = itemKeys.bulletinLedger('2023-03');
    for (const entry of ['claim', 'archived', 'delivered'] as const) {
      const key = itemKeys.bulletinEntry('2023-03', 1, entry);
      expect([key.pk, key.sk.startsWith(ledger.skPrefix)]).toEqual([ledger.pk, true]);
    }
  });

  it('keeps every key it answers an upload under short, however long the upload key was', () => {
    // Prepare: an incoming key near S3's 1,024 bytes, and a long Chinese file name.
    const near = { dept: 'd'.repeat(400), period: 'p'.repeat(400), file: `${'x'.repeat(180)}.xlsx` };
    const chinese = { dept: 'fgw', period: '2023-03', file: `${'报送'.repeat(60)}.xlsx` };

    // Act
    const fromNear = keys.uploadOutputs(near, SHA);
    const fromChinese = keys.uploadOutputs(chinese, SHA);

    // Assess
    expect(Buffer.byteLength(keys.incoming(near))).toBeGreaterThan(990);
    for (const key of [...Object.values(fromNear), ...Object.values(fromChinese)]) {
      expect(Buffer.byteLength(key)).toBeLessThanOrEqual(400);
      expect(key).not.toContain('\uFFFD');
    }
    expect(fromChinese.json).toBe(
      `receipts/fgw/2023-03/${'报送'.repeat(26)}报.${SHA.slice(0, 16)}.receipt.json`,
    );
  });

  it('names, for IAM, one leading-key pattern per family that covers exactly its own partitions', () => {
    // Prepare
    const written = {
      catalog: itemKeys.catalog(2023, 1).pk,
      period: itemKeys.submission({ dept: 'fgw', period: '2023-03', version: 1 }).pk,
      audit: itemKeys.audit({ period: '2023-03', eventId: 'e', at: 'now' }).pk,
      bulletin: itemKeys.bulletinEntry('2023-03', 1, 'claim').pk,
      user: itemKeys.user('li.fgw').pk,
      chain: itemKeys.chainLink(1, 'reservation').pk,
      remind: itemKeys.reminderEntry('2023-03', 'd0', 'fgw', 'claim').pk,
    } as const;
    const families = Object.keys(TABLE_KEY_FAMILIES) as (keyof typeof TABLE_KEY_FAMILIES)[];

    // Act
    const matches = families.map((f) => {
      const prefix = itemKeys.familyPattern(f).replace(/\*$/, '');
      return families.filter((g) => written[g].startsWith(prefix));
    });

    // Assess
    expect(matches).toEqual(families.map((f) => [f]));
    expect(tableKeys('yuzhong').familyPattern('period')).toBe('DISTRICT#yuzhong#PERIOD#*');
  });

  it('places uploads, originals, receipts and bulletins under their prefixes', () => {
    // Prepare
    const place = { dept: 'fgw', period: '2023-03', file: '三月 报送.xlsx' };

    // Act
    const outputs = keys.uploadOutputs(place, SHA);

    // Assess
    expect(keys.incoming(place)).toBe('incoming/fgw/2023-03/三月 报送.xlsx');
    expect(keys.parseIncoming(keys.incoming(place))).toEqual(place);
    expect(keys.raw(SHA, 'xlsx')).toBe(`raw/${SHA}.xlsx`);
    expect(keys.parseRaw(`raw/${SHA}.xlsx`)).toEqual({ sha256: SHA, ext: 'xlsx' });
    expect(outputs).toEqual({
      json: `receipts/fgw/2023-03/三月 报送.${SHA.slice(0, 16)}.receipt.json`,
      annotated: `receipts/fgw/2023-03/三月 报送.${SHA.slice(0, 16)}.annotated.xlsx`,
      quarantine: `quarantine/fgw/2023-03/三月 报送.${SHA.slice(0, 16)}.xlsx`,
      quarantineReceipt: `quarantine/fgw/2023-03/三月 报送.${SHA.slice(0, 16)}.receipt.json`,
    });
    expect(keys.bulletinManifest('2023-03', 2)).toBe('bulletins/2023/03/v2/manifest.json');
    expect(keys.parseBulletinManifest('bulletins/2023/03/v2/manifest.json')).toEqual({
      period: '2023-03',
      version: 2,
    });
    expect(keys.bulletinFolderOf('bulletins/2023/03/v2/depts/fgw.pdf')).toBe('bulletins/2023/03/v2/');
  });

  it('refuses keys that are not what they look like', () => {
    // Act
    const parsed = [
      keys.parseIncoming('incoming/fgw/只有文件.xlsx'),
      keys.parseIncoming('raw/fgw/2023-03/a.xlsx'),
      keys.parseRaw('raw/not-a-hash.xlsx'),
      keys.parseBulletinManifest('bulletins/2023/03/v2/depts/manifest.json'),
      keys.parseBulletinManifest('elsewhere/2023/03/v2/manifest.json'),
    ];

    // Assess
    expect(parsed).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('storage keys of another district', () => {
  it('puts the district segment in front of every partition key and object key', () => {
    // Prepare
    const table = tableKeys('xinhua');
    const objects = objectKeys('xinhua');
    const place = { dept: 'fgw', period: '2023-03', file: 'a.xlsx' };

    // Act
    const partitions = [
      table.catalog(2023, 1).pk,
      table.submission({ ...place, version: 1 }).pk,
      table.audit({ period: '2023-03', eventId: 'e', at: 't' }).pk,
      table.audit({ period: '2023-03', eventId: 'e', at: 't' }).gsi1pk,
      table.bulletinEntry('2023-03', 1, 'archived').pk,
      table.user('fgw').pk,
      table.userList,
      table.submissionPeriods.pkPrefix,
    ];
    const objectKeysWritten = [
      objects.incoming(place),
      objects.raw(SHA, 'xlsx'),
      ...Object.values(objects.uploadOutputs(place, SHA)),
      objects.bulletinManifest('2023-03', 1),
    ];

    // Assess
    for (const pk of partitions) expect(pk.startsWith('DISTRICT#xinhua#')).toBe(true);
    for (const key of objectKeysWritten) expect(key.startsWith('districts/xinhua/')).toBe(true);
    expect(objects.parseIncoming(objects.incoming(place))).toEqual(place);
    expect(keys.parseIncoming(objects.incoming(place))).toBeUndefined();
    expect(table.submissionPeriods.periodOf(table.submission({ ...place, version: 1 }).pk)).toBe('2023-03');
  });

  it('refuses a district id that could break out of its segment', () => {
    // Act
    const make = () => objectKeys('../default');

    // Assess
    expect(make).toThrow(DistrictIdError);
  });
});
