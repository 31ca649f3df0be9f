import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Role } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { UploadTrust } from '../../functions/core/ingest/upload-identity.ts';
import { ENV, resourceEnvironment } from '../../functions/shared/resources.ts';
import type { ArchiveSigningKey } from '../constructs/archive-signing-key.ts';
import { Bulletin } from '../constructs/bulletin.ts';
import { INGEST_TIMEOUT, Ingest } from '../constructs/ingest.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import { Portal } from '../constructs/portal.ts';
import { Reminders } from '../constructs/reminders.ts';
import { UploadDelivery } from '../constructs/upload-delivery.ts';
import type { DeployConfig } from '../deploy-config.ts';

export interface FunctionEntries {
  readonly ingest: string;
  readonly bulletin: string;
  readonly bulletinCheck: string;
  readonly reminders: string;
  readonly portal: string;
}

export interface StatelessStackProps extends StackProps {
  readonly config: DeployConfig;
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly archive: IBucket;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The departments' upload roles: ingest names an upload through one by its session name. */
  readonly departmentRoles: ReadonlyMap<string, Role>;
  /** The archive's KMS key: the bulletin function signs with it, the portal reads its public half. */
  readonly signingKey: ArchiveSigningKey;
  /** Roles that set the `uploader` metadata themselves on the server (the portal's). */
  readonly uploaderSetters?: readonly Role[];
  readonly projectRoot: string;
  readonly entries: FunctionEntries;
}

/**
 * The code and its wiring: functions, upload delivery, schedules and alarms. Safe to
 * destroy and redeploy; it holds no data except messages waiting in its queues.
 */
export class StatelessStack extends Stack {
  readonly delivery: UploadDelivery;
  readonly ingest: Ingest;
  readonly bulletin: Bulletin;
  readonly reminders: Reminders;
  readonly portal: Portal;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config } = props;
    const logRetention = config.logRetentionDays as RetentionDays;
    const environment = functionEnvironment(props);

    // Imported, so the bucket notification (a custom resource) lives in this stack and
    // the stateful stack never refers back to a queue defined here.
    const uploads = Bucket.fromBucketAttributes(this, 'UploadsRef', {
      bucketArn: props.uploads.bucketArn,
      bucketName: props.uploads.bucketName,
    });

    this.delivery = new UploadDelivery(this, 'Delivery', { uploads, consumerTimeout: INGEST_TIMEOUT });
    this.ingest = new Ingest(this, 'Ingest', {
      entry: props.entries.ingest,
      table: props.table,
      uploads,
      queue: this.delivery.queue,
      environment,
      logRetention,
      timeout: INGEST_TIMEOUT,
      senderEmail: config.senderEmail,
    });
    this.bulletin = new Bulletin(this, 'Bulletin', {
      projectRoot: props.projectRoot,
      entry: props.entries.bulletin,
      checkEntry: props.entries.bulletinCheck,
      table: props.table,
      archive: props.archive,
      environment,
      logRetention,
      memoryMb: config.bulletinMemoryMb,
      timeout: Duration.seconds(config.bulletinTimeoutSeconds),
      scheduleCron: config.scheduleCron,
      checkCron: config.checkCron,
      timeZone: config.scheduleTimezone,
      senderEmail: config.senderEmail,
      stage: config.stage,
      signingKey: props.signingKey,
    });
    this.portal = new Portal(this, 'Portal', {
      projectRoot: props.projectRoot,
      entry: props.entries.portal,
      table: props.table,
      uploads,
      archive: props.archive,
      userPool: props.userPool,
      userPoolClient: props.userPoolClient,
      signingKey: props.signingKey,
      environment,
      logRetention,
    });
    // Receipt mails link the portal, where the department re-uploads a corrected workbook.
    this.ingest.function.fn.addEnvironment(ENV.portalUrl, this.portal.url);
    // The portal writes the logged-in user as the uploader on the server: ingest believes it.
    this.ingest.function.fn.addEnvironment(
      ENV.uploadTrust,
      uploadTrustSetting(this, props, [this.portal.function.role, ...(props.uploaderSetters ?? [])]),
    );
    this.reminders = new Reminders(this, 'Reminders', {
      entry: props.entries.reminders,
      table: props.table,
      // 催报 mails link the portal, where the department downloads its template and uploads.
      environment: { ...environment, [ENV.portalUrl]: this.portal.url },
      logRetention,
      scheduleCron: config.scheduleCron,
      timeZone: config.scheduleTimezone,
      failures: this.bulletin.failures,
      scheduleGroup: this.bulletin.scheduleGroup,
      senderEmail: config.senderEmail,
    });
    new CfnOutput(this, 'PortalUrl', {
      value: this.portal.url,
      description: 'The web portal: departments upload, leaders read, auditors verify',
    });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      stage: config.stage,
      functions: {
        Ingest: this.ingest.function.fn,
        Bulletin: this.bulletin.function.fn,
        BulletinCheck: this.bulletin.checkFunction.fn,
        Reminders: this.reminders.function.fn,
        Portal: this.portal.function.fn,
      },
      deadLetterQueues: {
        Uploads: this.delivery.deadLetterQueue,
        BulletinFailures: this.bulletin.failures,
      },
      scheduleGroup: this.bulletin.scheduleGroup,
      ownerEmail: config.ownerEmail,
    });
  }
}

/**
 * Whom ingest believes about who uploaded (functions/core/ingest/upload-identity.ts): the role
 * ids are known only at deploy time, so they are written as values, never as JSON keys.
 */
function uploadTrustSetting(stack: Stack, props: StatelessStackProps, setters: readonly Role[]): string {
  const trust: Pick<UploadTrust, 'uploaderSetters' | 'departmentRoles'> = {
    uploaderSetters: setters.map((role) => role.roleId),
    departmentRoles: Object.fromEntries(
      [...props.departmentRoles].map(([dept, role]) => [dept, role.roleId]),
    ),
  };
  return stack.toJsonString(trust);
}

/** What every function reads through functions/adapters/config.ts. */
function functionEnvironment(props: StatelessStackProps): Record<string, string> {
  const { config } = props;
  const env: Record<string, string> = {
    ...resourceEnvironment({
      table: props.table.tableName,
      uploadsBucket: props.uploads.bucketName,
      archiveBucket: props.archive.bucketName,
    }),
    [ENV.stage]: config.stage,
    [ENV.district]: config.district,
    [ENV.leaderEmails]: JSON.stringify(config.leaderEmails),
    // Who signs the chain and how long a lock must hold: what verify checks against.
    [ENV.signingKeyId]: props.signingKey.key.keyArn,
    [ENV.retentionYears]: String(config.archiveRetentionYears),
  };
  if (config.ownerEmail) env[ENV.ownerEmail] = config.ownerEmail;
  if (config.senderEmail) env[ENV.senderEmail] = config.senderEmail;
  return env;
}
