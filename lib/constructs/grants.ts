import { Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { TABLE } from '../../functions/shared/resources.ts';
import { itemKeys, type TableKeyFamily } from '../../functions/shared/storage-keys.ts';

/**
 * Object-level S3 permissions limited to key prefixes, stated as plain statements so a
 * test (and a reviewer) can read exactly which prefixes a principal touches. The CDK
 * `grantRead`/`grantPut` helpers add bucket-wide `s3:List*`/`s3:Abort*` that duban does
 * not need.
 */
export function grantObjects(
  grantee: IGrantable,
  bucket: IBucket,
  access: 'read' | 'put' | 'create',
  prefixes: readonly string[],
): void {
  const actions = access === 'read' ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:PutObject'];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
      // 'create': only a PUT carrying If-None-Match (S3 then refuses an existing key), so the
      // grantee can add objects under the prefix but never replace one.
      ...(access === 'create' ? { conditions: { Null: { 's3:if-none-match': 'false' } } } : {}),
    }),
  );
}

/**
 * What a principal may do in the table, by key family (functions/shared/storage-keys.ts). The
 * adapters create every item with `attribute_not_exists` and never update or delete one, so no
 * grant here includes UpdateItem, DeleteItem or BatchWriteItem; IAM cannot demand the condition
 * expression itself, which the adapters' own tests pin down.
 */
export interface TableGrant {
  /** Families read with GetItem and Query. */
  readonly read?: readonly TableKeyFamily[];
  /** Families the principal adds items to with PutItem. */
  readonly create?: readonly TableKeyFamily[];
  /** gsi1 partitions the principal queries, by their exact key (e.g. the audit log's). */
  readonly indexPartitions?: readonly string[];
}

const leadingKeys = (patterns: readonly string[]) => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...patterns] },
});

/**
 * Grants table access limited by `dynamodb:LeadingKeys` to the partitions of the named families,
 * one statement per kind of access. The portal and every function use this one helper, so a
 * reviewer reads the same shape of grant everywhere.
 */
export function grantTableItems(
  grantee: IGrantable,
  table: ITableV2,
  grant: TableGrant,
  keys: Pick<typeof itemKeys, 'familyPattern'> = itemKeys,
): void {
  const add = (statement: PolicyStatement) => grantee.grantPrincipal.addToPrincipalPolicy(statement);
  const patterns = (families: readonly TableKeyFamily[] = []) => families.map(keys.familyPattern);
  if (grant.read?.length) {
    add(
      new PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:Query'],
        resources: [table.tableArn],
        conditions: leadingKeys(patterns(grant.read)),
      }),
    );
  }
  if (grant.create?.length) {
    add(
      new PolicyStatement({
        actions: ['dynamodb:PutItem'],
        resources: [table.tableArn],
        conditions: leadingKeys(patterns(grant.create)),
      }),
    );
  }
  if (grant.indexPartitions?.length) {
    const [index] = TABLE.globalIndexes;
    add(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${index.indexName}`],
        // On an index, the leading key is the index's partition key.
        conditions: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...grant.indexPartitions] },
        },
      }),
    );
  }
}

/**
 * What verify reads on AWS besides the current objects (use-cases/archive/verify-history.ts):
 * every version and delete marker under the prefixes, and each object's Object Lock retention.
 * Reading a lock never changes it.
 */
export function grantVersionHistory(grantee: IGrantable, bucket: IBucket, prefixes: readonly string[]): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:ListBucketVersions'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': prefixes.map((p) => `${p}*`) } },
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['s3:GetObjectRetention'],
      resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
    }),
  );
}

/**
 * ListBucket for a function that reads the bucket. Unconditioned on purpose: without it
 * S3 answers a HeadObject/GetObject of a missing key with 403 instead of 404, and the
 * adapters need "not there" to be distinguishable from "not allowed" (a HeadObject
 * carries no s3:prefix, so a prefix condition would not help).
 */
export function grantList(grantee: IGrantable, bucket: IBucket): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  );
}

/** SES v2 SendEmail from the sender's address identity (or its domain identity), nothing else. */
export function grantSendMail(grantee: IGrantable & IConstruct, senderEmail: string): void {
  const stack = Stack.of(grantee);
  const domain = senderEmail.split('@')[1] ?? senderEmail;
  const identity = (name: string) =>
    stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [identity(senderEmail), identity(domain)],
    }),
  );
}
