import { Duration, TimeZone } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { type IScheduleGroup, Schedule, ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DubanFunction } from './duban-function.ts';
import { grantSendMail, grantTableItems } from './grants.ts';
import { acknowledgeScopedWildcards, DUBAN_WILDCARDS } from './nag-acknowledgements.ts';
import { ASYNC_RETRY_ATTEMPTS, scheduledInvoke, schedulerRole } from './scheduled-invoke.ts';

export interface RemindersProps {
  readonly entry: string;
  readonly table: ITableV2;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  /** Hourly tick, e.g. cron(0 * * * ? *): the handler acts only in the hours of the month's 催报 points. */
  readonly scheduleCron: string;
  readonly timeZone: string;
  /** Where a run that failed after its retries lands (the schedules' dead-letter queue). */
  readonly failures: IQueue;
  /** The schedule group whose target errors are alarmed on. */
  readonly scheduleGroup: IScheduleGroup;
  readonly senderEmail?: string;
}

/** One run builds a template per missing department (exceljs) and sends a mail each: seconds, not minutes. */
export const REMINDERS_TIMEOUT = Duration.minutes(2);
const REMINDERS_MEMORY_MB = 512;

/**
 * 催报: the function that mails every department that has not reported at the catalog's
 * reminder points, and the hourly schedule that drives it. The tick is hourly and the handler
 * computes the points (the catalog's rule on the official calendar, holidays and 调休 included)
 * and acts only in their hours, as the bulletin tick does: a catalog or calendar change moves
 * the reminders without a redeploy, and there are no per-month schedules to create or clean up.
 */
export class Reminders extends Construct {
  readonly function: DubanFunction;
  readonly schedule: Schedule;

  constructor(scope: Construct, id: string, props: RemindersProps) {
    super(scope, id);
    this.function = new DubanFunction(this, 'Function', {
      entry: props.entry,
      description: 'duban reminders: mails departments that have not reported at the 催报 points',
      memorySize: REMINDERS_MEMORY_MB,
      timeout: REMINDERS_TIMEOUT,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    // Reads the catalog, the month's submissions (last month's pre-fill the template) and the
    // reminder ledger; adds ledger entries (claim before the mail, record after) and audit events.
    grantTableItems(this.function, props.table, {
      read: ['catalog', 'period', 'remind'],
      create: ['remind', 'audit'],
    });
    if (props.senderEmail) grantSendMail(this.function, props.senderEmail);
    this.function.fn.configureAsyncInvoke({
      retryAttempts: ASYNC_RETRY_ATTEMPTS,
      maxEventAge: Duration.hours(6),
      onFailure: new SqsDestination(props.failures),
    });

    const role = schedulerRole(
      this,
      'EventBridge Scheduler: invokes the reminders function, writes its dead letters',
    );
    this.schedule = new Schedule(this, 'Hourly', {
      description:
        'Hourly tick: sends the 催报 of the points that fall in this hour on the official calendar',
      schedule: ScheduleExpression.expression(props.scheduleCron, TimeZone.of(props.timeZone)),
      scheduleGroup: props.scheduleGroup,
      target: scheduledInvoke(this.function.fn, role, props.failures),
    });
    acknowledgeScopedWildcards(this, [DUBAN_WILDCARDS.functionVersions]);
  }
}
