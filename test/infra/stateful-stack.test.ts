import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_BUCKET, TABLE, UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { retentionDays } from '../../lib/constructs/storage.ts';
import { sharedSynth } from './support/synth-app.ts';
import {
  allowedPairs,
  onlyLogicalId,
  properties,
  resourceInventory,
  roleStatements,
  type Statement,
} from './support/template-queries.ts';

let stateful: Template;

beforeAll(() => {
  const synthesized = sharedSynth();
  stateful = synthesized.stateful;
});

const bucketId = (id: string) => onlyLogicalId(stateful, 'AWS::S3::Bucket', `Storage${id}`);

describe('stateful stack', () => {
  describe('table', () => {
    it('has the keys and index of functions/shared/resources.ts, no expiry, point-in-time recovery and deletion protection', () => {
      // Prepare
      const gsi = TABLE.globalIndexes[0];

      // Act
      const id = onlyLogicalId(stateful, 'AWS::DynamoDB::GlobalTable', `Storage${TABLE.id}`);

      // Assess
      expect(properties(stateful, id)).toMatchObject({
        KeySchema: [
          { AttributeName: TABLE.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: TABLE.sortKey.name, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [expect.objectContaining({ IndexName: gsi?.indexName })],
        BillingMode: 'PAY_PER_REQUEST',
        Replicas: [
          expect.objectContaining({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          }),
        ],
      });
      expect(properties(stateful, id)).not.toHaveProperty('TableName');
      // Evidence never expires: no item family is written with an expiry.
      expect(properties(stateful, id)).not.toHaveProperty('TimeToLiveSpecification');
      stateful.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain' });
    });
  });

  describe.each([UPLOADS_BUCKET.id, ARCHIVE_BUCKET.id, 'AccessLogs'])('bucket %s', (id) => {
    it('blocks public access, encrypts with SSE-S3, keeps versions and has no hard-coded name', () => {
      // Act
      const props = properties(stateful, bucketId(id));

      // Assess
      expect(props).toMatchObject({
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        VersioningConfiguration: { Status: 'Enabled' },
      });
      expect(props).not.toHaveProperty('BucketName');
    });

    it('denies every request that does not use TLS', () => {
      // Act
      const policies = stateful.findResources('AWS::S3::BucketPolicy', {
        Properties: { Bucket: { Ref: bucketId(id) } },
      });

      // Assess
      expect(Object.values(policies)).toHaveLength(1);
      stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: bucketId(id) },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });
  });

  it.each([UPLOADS_BUCKET.id, ARCHIVE_BUCKET.id])('sends access logs of %s to the log bucket', (id) => {
    // Act
    const props = properties(stateful, bucketId(id));

    // Assess
    expect(props.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: bucketId('AccessLogs') },
      LogFilePrefix: `${id.toLowerCase()}/`,
    });
  });

  it('locks archived objects in compliance mode for the configured years and moves them to IA', () => {
    // Act
    const props = properties(stateful, bucketId(ARCHIVE_BUCKET.id));

    // Assess
    expect(props.ObjectLockEnabled).toBe(true);
    expect(props.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: retentionDays(10) } },
    });
    expect(retentionDays(10)).toBe(3653);
    expect(props.LifecycleConfiguration).toMatchObject({
      Rules: expect.arrayContaining([
        expect.objectContaining({
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        }),
      ]),
    });
  });

  it('does not lock the uploads bucket (ingest files originals under raw/ by content hash instead)', () => {
    // Act
    const props = properties(stateful, bucketId(UPLOADS_BUCKET.id));

    // Assess
    expect(props).not.toHaveProperty('ObjectLockConfiguration');
  });

  describe('access roles', () => {
    const uploadsArn = () => `<${bucketId(UPLOADS_BUCKET.id)}.Arn>`;
    const archiveArn = () => `<${bucketId(ARCHIVE_BUCKET.id)}.Arn>`;

    it('lets a department put objects only under its own incoming/<dept>/ prefix', () => {
      // Prepare
      const role = onlyLogicalId(stateful, 'AWS::IAM::Role', 'AccessDepartmentfgw');

      // Act
      const puts = allowedPairs(stateful, role).filter(([action]) => action.startsWith('s3:Put'));

      // Assess
      expect(puts).toEqual([['s3:PutObject', `${uploadsArn()}/incoming/fgw/*`]]);
    });

    it("lets a department role be assumed only under the caller's own IAM user name, which its uploads then carry", () => {
      // Prepare
      const role = onlyLogicalId(stateful, 'AWS::IAM::Role', 'AccessDepartmentfgw');

      // Act
      const trust = properties(stateful, role).AssumeRolePolicyDocument as { Statement: Statement[] };

      // Assess
      expect(trust.Statement).toEqual([
        expect.objectContaining({
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable
          Condition: { StringEquals: { 'sts:RoleSessionName': '${aws:username}' } },
        }),
      ]);
    });

    it('lets a department list and read only its own uploads and receipts', () => {
      // Prepare
      const role = onlyLogicalId(stateful, 'AWS::IAM::Role', 'AccessDepartmentgxj');

      // Act
      const pairs = allowedPairs(stateful, role);
      const list = roleStatements(stateful, role).find((s) => s.Sid === 'ListOwnPrefixes');

      // Assess
      expect(pairs).toEqual(
        expect.arrayContaining([
          ['s3:GetObject', `${uploadsArn()}/incoming/gxj/*`],
          ['s3:GetObject', `${uploadsArn()}/receipts/gxj/*`],
        ]),
      );
      expect(pairs.every(([, resource]) => !resource.includes('fgw'))).toBe(true);
      expect(list?.Condition).toEqual({ StringLike: { 's3:prefix': ['incoming/gxj/*', 'receipts/gxj/*'] } });
    });

    it('gives auditors read-only access to the archive, raw/, the audit log and the signing key', () => {
      // Prepare
      const role = onlyLogicalId(stateful, 'AWS::IAM::Role', 'AccessAuditor');

      // Act
      const pairs = allowedPairs(stateful, role);
      const s3Objects = pairs.filter(([a]) => a.startsWith('s3:GetObject')).map(([, r]) => r);

      // Assess
      expect(
        pairs.every(([action]) =>
          /^(s3:(Get|List)|dynamodb:(Get|Query|Scan|Batch[GR]|Describe|Condition)|kms:(Verify|GetPublicKey)$)/.test(
            action,
          ),
        ),
      ).toBe(true);
      expect(new Set(s3Objects)).toEqual(new Set([`${archiveArn()}/*`, `${uploadsArn()}/raw/*`]));
      expect(roleStatements(stateful, role).find((s) => s.Sid === 'DenyAnyWrite')?.Effect).toBe('Deny');
    });

    it('lets leaders read bulletins and nothing else', () => {
      // Prepare
      const role = onlyLogicalId(stateful, 'AWS::IAM::Role', 'AccessLeader');

      // Act
      const pairs = allowedPairs(stateful, role);

      // Assess
      expect(pairs).toEqual([
        ['s3:GetObject', `${archiveArn()}/bulletins/*`],
        ['s3:ListBucket', archiveArn()],
      ]);
      expect(roleStatements(stateful, role).find((s) => s.Sid === 'ListBulletins')?.Condition).toEqual({
        StringLike: { 's3:prefix': ['bulletins/*'] },
      });
    });
  });

  it('holds exactly the reviewed resources, by type (a new resource is a reviewed change)', () => {
    // Act
    const inventory = resourceInventory(stateful);

    // Assess
    expect(inventory).toEqual({
      // Portal accounts: the pool, the portal's app client, leader/auditor/admin + department:fgw, :gxj.
      'AWS::Cognito::UserPool': 1,
      'AWS::Cognito::UserPoolClient': 1,
      'AWS::Cognito::UserPoolGroup': 5,
      'AWS::DynamoDB::GlobalTable': 1,
      // Auditor, leader and one upload role per department of the test context (fgw, gxj).
      'AWS::IAM::Policy': 4,
      'AWS::IAM::Role': 4,
      // Signs the archive's chain links (ECC_NIST_P256, SIGN_VERIFY).
      'AWS::KMS::Key': 1,
      // Uploads, archive, access logs; each with its TLS-only policy.
      'AWS::S3::Bucket': 3,
      'AWS::S3::BucketPolicy': 3,
    });
  });
});
