import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import {
  AccountRootPrincipal,
  Effect,
  type IPrincipal,
  PolicyStatement,
  PrincipalWithConditions,
  Role,
} from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ARCHIVE_BUCKET, UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { keys } from '../../functions/shared/storage-keys.ts';
import { acknowledgeScopedWildcards, DUBAN_WILDCARDS } from './nag-acknowledgements.ts';

export interface AccessRolesProps {
  readonly uploads: IBucket;
  readonly archive: IBucket;
  readonly table: ITableV2;
  readonly departments: readonly string[];
  /** Who may assume the roles; by default identities of this account that IAM allows to. */
  readonly trustedPrincipal?: IPrincipal;
}

/** Condition key and value that tie a role session's name to the caller's IAM user name. */
export const SESSION_NAME_KEY = 'sts:RoleSessionName';
// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, resolved by IAM
export const SESSION_NAME_IS_CALLER = '${aws:username}';

/**
 * The people-facing roles. A department role can put objects under its own
 * incoming/<dept>/ prefix and read its own receipts, nothing else; auditors read the
 * archive, the raw originals and the audit log; leaders read bulletins only.
 */
export class AccessRoles extends Construct {
  readonly departmentRoles: ReadonlyMap<string, Role>;
  readonly auditor: Role;
  readonly leader: Role;

  constructor(scope: Construct, id: string, props: AccessRolesProps) {
    super(scope, id);
    const principal = props.trustedPrincipal ?? new AccountRootPrincipal();
    const roles = new Map<string, Role>();

    for (const dept of props.departments) {
      const role = new Role(this, `Department-${dept}`, {
        // The session name must be the caller's own IAM user name, so an upload's principal
        // (`<role id>:<session>`) names the person: ingest records it as the actor.
        assumedBy: new PrincipalWithConditions(principal, {
          StringEquals: { [SESSION_NAME_KEY]: SESSION_NAME_IS_CALLER },
        }),
        description: `Upload role of department ${dept}: incoming/${dept}/ only`,
        maxSessionDuration: Duration.hours(1),
      });
      const incoming = keys.incomingOf(dept);
      const receipts = keys.receiptsOf(dept);
      role.addToPolicy(
        new PolicyStatement({
          sid: 'PutOwnUploads',
          actions: ['s3:PutObject'],
          resources: [props.uploads.arnForObjects(`${incoming}*`)],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ReadOwnUploadsAndReceipts',
          actions: ['s3:GetObject'],
          resources: [
            props.uploads.arnForObjects(`${incoming}*`),
            props.uploads.arnForObjects(`${receipts}*`),
          ],
        }),
      );
      role.addToPolicy(
        new PolicyStatement({
          sid: 'ListOwnPrefixes',
          actions: ['s3:ListBucket'],
          resources: [props.uploads.bucketArn],
          conditions: { StringLike: { 's3:prefix': [`${incoming}*`, `${receipts}*`] } },
        }),
      );
      roles.set(dept, role);
    }
    this.departmentRoles = roles;

    this.auditor = new Role(this, 'Auditor', {
      assumedBy: principal,
      description: 'Auditors: read-only on the archive, the raw uploads and the audit log',
      maxSessionDuration: Duration.hours(4),
    });
    const auditReadActions = [
      's3:GetObject',
      's3:GetObjectVersion',
      's3:GetObjectAttributes',
      's3:GetObjectRetention',
      's3:GetObjectLegalHold',
    ];
    this.auditor.addToPolicy(
      new PolicyStatement({
        sid: 'ReadArchive',
        actions: auditReadActions,
        resources: [props.archive.arnForObjects('*')],
      }),
    );
    this.auditor.addToPolicy(
      new PolicyStatement({
        sid: 'ListArchive',
        actions: ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketObjectLockConfiguration'],
        resources: [props.archive.bucketArn],
      }),
    );
    this.auditor.addToPolicy(
      new PolicyStatement({
        sid: 'ReadRawUploads',
        actions: auditReadActions,
        resources: [props.uploads.arnForObjects(`${UPLOADS_BUCKET.prefixes.raw}*`)],
      }),
    );
    this.auditor.addToPolicy(
      new PolicyStatement({
        sid: 'ListRawUploads',
        actions: ['s3:ListBucket', 's3:ListBucketVersions'],
        resources: [props.uploads.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${UPLOADS_BUCKET.prefixes.raw}*`] } },
      }),
    );
    // The audit log (who corrected which figure when) lives in the table.
    props.table.grantReadData(this.auditor);
    this.auditor.addToPolicy(
      new PolicyStatement({
        sid: 'DenyAnyWrite',
        effect: Effect.DENY,
        actions: ['s3:PutObject*', 's3:DeleteObject*', 's3:PutBucket*', 's3:BypassGovernanceRetention'],
        resources: [props.archive.arnForObjects('*'), props.uploads.arnForObjects('*')],
      }),
    );

    this.leader = new Role(this, 'Leader', {
      assumedBy: principal,
      description: 'Leaders: read-only on published bulletins',
      maxSessionDuration: Duration.hours(4),
    });
    const bulletins = ARCHIVE_BUCKET.prefixes.bulletins;
    this.leader.addToPolicy(
      new PolicyStatement({
        sid: 'ReadBulletins',
        actions: ['s3:GetObject'],
        resources: [props.archive.arnForObjects(`${bulletins}*`)],
      }),
    );
    this.leader.addToPolicy(
      new PolicyStatement({
        sid: 'ListBulletins',
        actions: ['s3:ListBucket'],
        resources: [props.archive.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${bulletins}*`] } },
      }),
    );
    acknowledgeScopedWildcards(this, [
      DUBAN_WILDCARDS.prefixObjects,
      DUBAN_WILDCARDS.tableIndexes,
      DUBAN_WILDCARDS.wholeArchive,
    ]);
  }
}
