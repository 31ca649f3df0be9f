import { Duration, Size, TimeZone } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Schedule, ScheduleExpression, ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ARCHIVE_BUCKET } from '../../functions/shared/resources.ts';
import { type ArchiveSigningKey, bulletinSignerRoleName } from './archive-signing-key.ts';
import { ChromiumLayer, LAYER_PACKAGES } from './chromium-layer.ts';
import { DubanFunction, withTemplates } from './duban-function.ts';
import { grantList, grantObjects, grantSendMail, grantTableItems } from './grants.ts';
import { acknowledge, acknowledgeScopedWildcards, DUBAN_WILDCARDS } from './nag-acknowledgements.ts';
import { ASYNC_RETRY_ATTEMPTS, scheduledInvoke, schedulerRole } from './scheduled-invoke.ts';

export interface BulletinProps {
  readonly projectRoot: string;
  readonly entry: string;
  readonly checkEntry: string;
  readonly table: ITableV2;
  readonly archive: IBucket;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly memoryMb: number;
  readonly timeout: Duration;
  readonly scheduleCron: string;
  readonly checkCron: string;
  readonly timeZone: string;
  readonly senderEmail?: string;
  readonly stage: string;
  /** The bulletin function is the one principal that signs the archive's chain links. */
  readonly signingKey: ArchiveSigningKey;
}

export { ASYNC_RETRY_ATTEMPTS, SCHEDULE_RETRY_ATTEMPTS } from './scheduled-invoke.ts';

/**
 * The monthly bulletin: the function (with Chromium and the CJK font from a layer), the
 * hourly schedule that runs it on the day its rule names, and the daily check that reports
 * a month with no bulletin once its day has passed. Everything that fails after its retries lands in one dead-letter queue.
 */
export class Bulletin extends Construct {
  readonly function: DubanFunction;
  readonly checkFunction: DubanFunction;
  readonly layer: ChromiumLayer;
  readonly failures: Queue;
  readonly scheduleGroup: ScheduleGroup;
  readonly schedule: Schedule;
  readonly checkSchedule: Schedule;

  constructor(scope: Construct, id: string, props: BulletinProps) {
    super(scope, id);
    const bulletins = ARCHIVE_BUCKET.prefixes.bulletins;

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.failures,
      'AwsSolutions-SQS3',
      'This queue is itself the dead-letter queue of the schedules and of the asynchronous invocations.',
    );

    this.layer = new ChromiumLayer(this, 'Chromium', { projectRoot: props.projectRoot });
    const templates = withTemplates(props.projectRoot);
    this.function = new DubanFunction(this, 'Function', {
      entry: props.entry,
      description: 'duban bulletin: builds, archives and sends the monthly progress bulletin',
      memorySize: props.memoryMb,
      timeout: props.timeout,
      // Chromium unpacks ~180 MB into /tmp and leaves profiles behind
      // (@sparticuz/chromium issue #231); twice the default keeps a warm container from
      // filling it between the handler's own clean-ups.
      ephemeralStorageSize: Size.mebibytes(1024),
      logRetention: props.logRetention,
      layers: [this.layer.layer],
      // The .eta templates and print.css are read from disk next to the bundle.
      environment: { ...props.environment, ...templates.environment },
      bundling: { ...templates.bundling, externalModules: [...LAYER_PACKAGES] },
      // The signing key's policy names this role: only it may sign.
      roleName: bulletinSignerRoleName(props.stage),
    });
    props.signingKey.grantSign(this.function);
    // Reads catalogs, submissions, its ledger, the archive's chain and the 催报 sent (the
    // reporting table lists them); adds ledger entries, chain links (reservation, then seal)
    // and audit events.
    grantTableItems(this.function, props.table, {
      read: ['catalog', 'period', 'bulletin', 'chain', 'remind'],
      create: ['bulletin', 'chain', 'audit'],
    });
    grantObjects(this.function, props.archive, 'read', [bulletins]);
    // Every archived object is a new key (the version is in the path): never an overwrite.
    grantObjects(this.function, props.archive, 'create', [bulletins]);
    grantList(this.function, props.archive);
    if (props.senderEmail) grantSendMail(this.function, props.senderEmail);
    this.function.fn.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(this.failures),
    });

    this.checkFunction = new DubanFunction(this, 'Check', {
      entry: props.checkEntry,
      description: 'duban bulletin check: reports a month with no bulletin',
      memorySize: 256,
      timeout: Duration.seconds(30),
      logRetention: props.logRetention,
      environment: props.environment,
    });
    grantTableItems(this.checkFunction, props.table, { read: ['bulletin'] });
    this.checkFunction.fn.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      onFailure: new SqsDestination(this.failures),
    });

    this.scheduleGroup = new ScheduleGroup(this, 'Schedules');
    const timeZone = TimeZone.of(props.timeZone);
    // One role for both schedules; it may invoke these two functions only.
    const role = schedulerRole(
      this,
      'EventBridge Scheduler: invokes the bulletin and check functions, writes their dead letters',
    );
    const target = (fn: DubanFunction) => scheduledInvoke(fn.fn, role, this.failures);
    this.schedule = new Schedule(this, 'Monthly', {
      // Hourly: the catalog's rule on the official calendar (holidays, 调休) picks the hour the
      // bulletin is built, so a holiday moves the bulletin without a redeploy.
      description: 'Hourly tick: builds the bulletin in the hour its rule on the official calendar names',
      schedule: ScheduleExpression.expression(props.scheduleCron, timeZone),
      scheduleGroup: this.scheduleGroup,
      target: target(this.function),
    });
    this.checkSchedule = new Schedule(this, 'MonthlyCheck', {
      description: 'Daily: checks that the bulletin of the newest month due has been issued',
      schedule: ScheduleExpression.expression(props.checkCron, timeZone),
      scheduleGroup: this.scheduleGroup,
      target: target(this.checkFunction),
    });
    acknowledgeScopedWildcards(this, [DUBAN_WILDCARDS.prefixObjects, DUBAN_WILDCARDS.functionVersions]);
  }
}
