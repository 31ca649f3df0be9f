import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type BucketProps,
  ObjectLockRetention,
  ObjectOwnership,
  StorageClass,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  ARCHIVE_BUCKET,
  type KeyAttribute,
  TABLE,
  UPLOADS_BUCKET,
} from '../../functions/shared/resources.ts';
import { acknowledge } from './nag-acknowledgements.ts';

export interface StorageProps {
  /** Years an archived object cannot be deleted or overwritten, by anyone. */
  readonly archiveRetentionYears: number;
}

/** Days that cover N calendar years including their leap days. */
export function retentionDays(years: number): number {
  return Math.ceil(years * 365.25);
}

const attribute = (key: KeyAttribute) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The stateful resources of functions/shared/resources.ts: the table and the two buckets, plus the
 * bucket that receives their access logs. Physical names are left to CloudFormation so
 * that two stages can live in one account.
 *
 * Encryption is S3-managed (SSE-S3) rather than KMS: a customer key costs US$1 a month
 * (the whole monthly budget) plus a request charge, and every department, auditor and
 * leader role would also need kms:Decrypt. Tamper resistance comes from Object Lock and
 * versioning, not from the key.
 */
export class Storage extends Construct {
  readonly table: ITableV2;
  readonly uploads: Bucket;
  readonly archive: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: StorageProps) {
    super(scope, id);

    this.table = new TableV2(this, TABLE.id, {
      partitionKey: attribute(TABLE.partitionKey),
      sortKey: attribute(TABLE.sortKey),
      globalSecondaryIndexes: TABLE.globalIndexes.map((gsi) => ({
        indexName: gsi.indexName,
        partitionKey: attribute(gsi.partitionKey),
        sortKey: attribute(gsi.sortKey),
      })),
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const common: BucketProps = {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      versioned: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
    };

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      // Server access log delivery needs ACL-free ownership and SSE-S3 (not KMS).
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(3653),
          noncurrentVersionExpiration: Duration.days(30),
        },
      ],
    });
    acknowledge(
      this.accessLogs,
      'AwsSolutions-S1',
      'This is the access-log bucket itself; logging it into itself would loop.',
    );

    this.uploads = new Bucket(this, UPLOADS_BUCKET.id, {
      ...common,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${UPLOADS_BUCKET.id.toLowerCase()}/`,
      lifecycleRules: [
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
        {
          id: 'raw-to-infrequent-access',
          prefix: UPLOADS_BUCKET.prefixes.raw,
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
        },
      ],
    });

    this.archive = new Bucket(this, ARCHIVE_BUCKET.id, {
      ...common,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: `${ARCHIVE_BUCKET.id.toLowerCase()}/`,
      objectLockEnabled: true,
      // Compliance mode: not even the account root can shorten it or delete a locked version.
      objectLockDefaultRetention: ObjectLockRetention.compliance(
        Duration.days(retentionDays(props.archiveRetentionYears)),
      ),
      lifecycleRules: [
        {
          id: 'archive-to-infrequent-access',
          // Bulletins are read in the month they are issued and rarely afterwards.
          transitions: [{ storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) }],
          noncurrentVersionTransitions: [
            { storageClass: StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
          ],
        },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(7) },
      ],
    });
  }
}
