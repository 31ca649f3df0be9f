import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { itemKeys } from '../../functions/shared/storage-keys.ts';
import { sharedSynth } from './support/synth-app.ts';
import {
  actionsOf,
  logicalIds,
  onlyLogicalId,
  resourcesOf,
  roleStatements,
  type Statement,
} from './support/template-queries.ts';

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const synthesized = sharedSynth();
  stateful = synthesized.stateful;
  stateless = synthesized.stateless;
});

const role = (prefix: string) => onlyLogicalId(stateless, 'AWS::IAM::Role', prefix);

/** A role's DynamoDB grants as (actions, resources, leading keys) triples, order-free. */
function tableGrants(template: Template, roleId: string) {
  return roleStatements(template, roleId)
    .filter((s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a.startsWith('dynamodb:')))
    .map((s) => ({
      actions: [...actionsOf(s)].sort(),
      resources: resourcesOf(s).map((r) => r.replace(/^<import:[^>]*StorageMain[^>]*>/, '<table>')),
      leadingKeys: leadingKeysOf(s),
    }))
    .sort((a, b) => a.actions.join().localeCompare(b.actions.join()));
}

function leadingKeysOf(s: Statement): string[] | undefined {
  const like = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
  return Array.isArray(like) ? [...(like as string[])].sort() : undefined;
}

/** IAM StringLike: `*` any run of characters, `?` one character. */
function like(pattern: string, value: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`).test(value);
}

const FORBIDDEN_TABLE_ACTIONS = [
  'dynamodb:DeleteItem',
  'dynamodb:UpdateItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:TransactWriteItems',
  'dynamodb:PartiQLDelete',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLInsert',
];

describe('least privilege on the table', () => {
  it('lets no role of either stack delete, update or batch-write items', () => {
    // Prepare
    const roles = [
      ...logicalIds(stateful, 'AWS::IAM::Role').map((id) => [stateful, id] as const),
      ...logicalIds(stateless, 'AWS::IAM::Role').map((id) => [stateless, id] as const),
    ];

    // Act
    const granted = roles.flatMap(([template, id]) =>
      roleStatements(template, id)
        .filter((s) => s.Effect === 'Allow')
        .flatMap(actionsOf)
        .filter((a) => FORBIDDEN_TABLE_ACTIONS.includes(a) || a === 'dynamodb:*' || a === '*')
        .map((a) => `${id}: ${a}`),
    );

    // Assess
    expect(roles.map(([, id]) => id)).toEqual(
      expect.arrayContaining([
        role('IngestFunctionRole'),
        role('BulletinFunctionRole'),
        role('BulletinCheckRole'),
        role('RemindersFunctionRole'),
      ]),
    );
    expect(granted).toEqual([]);
  });

  it('lets ingest read catalogs and submissions and only add submission versions and audit events', () => {
    // Act
    const grants = tableGrants(stateless, role('IngestFunctionRole'));

    // Assess
    expect(grants).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: ['<table>'],
        leadingKeys: ['CATALOG#*', 'PERIOD#*'],
      },
      { actions: ['dynamodb:PutItem'], resources: ['<table>'], leadingKeys: ['AUDIT#*', 'PERIOD#*'] },
    ]);
  });

  it('lets the bulletin run read what it reports on and only add ledger entries, chain links and audit events', () => {
    // Act
    const grants = tableGrants(stateless, role('BulletinFunctionRole'));

    // Assess
    expect(grants).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: ['<table>'],
        leadingKeys: ['BULLETIN#*', 'CATALOG#*', 'CHAIN#*', 'PERIOD#*', 'REMIND#*'],
      },
      {
        actions: ['dynamodb:PutItem'],
        resources: ['<table>'],
        leadingKeys: ['AUDIT#*', 'BULLETIN#*', 'CHAIN#*'],
      },
    ]);
  });

  it('lets the reminders run read the catalog, the month and its ledger, and only add ledger entries and audit events', () => {
    // Act
    const grants = tableGrants(stateless, role('RemindersFunctionRole'));

    // Assess
    expect(grants).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: ['<table>'],
        leadingKeys: ['CATALOG#*', 'PERIOD#*', 'REMIND#*'],
      },
      { actions: ['dynamodb:PutItem'], resources: ['<table>'], leadingKeys: ['AUDIT#*', 'REMIND#*'] },
    ]);
  });

  it('covers every key the reminder ledger writes with the reminders grant, and no other family', () => {
    // Prepare
    const put = tableGrants(stateless, role('RemindersFunctionRole')).find((g) =>
      g.actions.includes('dynamodb:PutItem'),
    );
    const allowed = (pk: string) => put?.leadingKeys?.some((p) => like(p, pk)) ?? false;

    // Act
    const claim = itemKeys.reminderEntry('2023-06', 'd0', 'mzj', 'claim').pk;
    const sent = itemKeys.reminderEntry('2023-06', 'd0', 'mzj', 'sent').pk;
    const submission = itemKeys.submission({ dept: 'mzj', period: '2023-06', version: 1 }).pk;

    // Assess
    expect([allowed(claim), allowed(sent), allowed(submission)]).toEqual([true, true, false]);
  });

  it('lets the monthly check read the bulletin ledger and nothing else', () => {
    // Act
    const grants = tableGrants(stateless, role('BulletinCheckRole'));

    // Assess
    expect(grants).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: ['<table>'],
        leadingKeys: ['BULLETIN#*'],
      },
    ]);
  });

  it('states the leading keys the adapters actually write, and none they do not', () => {
    // Prepare
    const ingestPut = tableGrants(stateless, role('IngestFunctionRole')).find((g) =>
      g.actions.includes('dynamodb:PutItem'),
    );
    const allowed = (pk: string) => ingestPut?.leadingKeys?.some((p) => like(p, pk)) ?? false;

    // Act
    const submission = itemKeys.submission({ dept: 'fgw', period: '2023-03', version: 2 }).pk;
    const audit = itemKeys.audit({ period: '2023-03', eventId: 'e', at: '2023-04-01T00:00:00Z' }).pk;
    const ledger = itemKeys.bulletinEntry('2023-03', 1, 'claim').pk;
    const catalog = itemKeys.catalog(2023, 1).pk;

    // Assess
    expect([allowed(submission), allowed(audit)]).toEqual([true, true]);
    expect([allowed(ledger), allowed(catalog)]).toEqual([false, false]);
  });
});

describe('objects nobody may replace', () => {
  const ifNoneMatch = (s: Statement) => s.Condition?.Null?.['s3:if-none-match'] === 'false';

  it('lets the bulletin function put archive objects only as new keys (If-None-Match)', () => {
    // Act
    const puts = roleStatements(stateless, role('BulletinFunctionRole')).filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).includes('s3:PutObject'),
    );

    // Assess
    expect(puts.flatMap(resourcesOf)).toEqual([expect.stringMatching(/StorageArchive.*\/bulletins\/\*$/)]);
    expect(puts.every(ifNoneMatch)).toBe(true);
  });

  it('lets ingest add originals under raw/ but never replace one', () => {
    // Act
    const puts = roleStatements(stateless, role('IngestFunctionRole')).filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).includes('s3:PutObject'),
    );
    const conditioned = puts.filter(ifNoneMatch).flatMap(resourcesOf);
    const plain = puts.filter((s) => !ifNoneMatch(s)).flatMap(resourcesOf);

    // Assess
    expect(conditioned.map((r) => r.replace(/^<[^>]+>/, ''))).toEqual(['/raw/*']);
    expect(plain.map((r) => r.replace(/^<[^>]+>/, '')).sort()).toEqual(['/quarantine/*', '/receipts/*']);
  });
});
