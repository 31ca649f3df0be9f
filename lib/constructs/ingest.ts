import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { DubanFunction } from './duban-function.ts';
import { grantList, grantObjects, grantSendMail, grantTableItems } from './grants.ts';
import { acknowledgeScopedWildcards, DUBAN_WILDCARDS } from './nag-acknowledgements.ts';

export interface IngestProps {
  readonly entry: string;
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly queue: IQueue;
  /** Table and bucket names and the other settings every function reads. */
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
  readonly timeout: Duration;
  /** The receipt mail's sender; each upload is answered by mail to its department. */
  readonly senderEmail?: string;
}

/** Workbook checks read the file in memory; 1 GB leaves room for the zip-bomb guard. */
const INGEST_MEMORY_MB = 1024;

/**
 * The ingest function: reads incoming/<dept>/<period>/<file>, writes the submission and
 * its audit entry, and files the original under raw/, quarantine/ and receipts/. It has
 * no permission on the archive bucket at all.
 */
export class Ingest extends Construct {
  readonly function: DubanFunction;

  constructor(scope: Construct, id: string, props: IngestProps) {
    super(scope, id);
    const { incoming, raw, quarantine, receipts } = UPLOADS_BUCKET.prefixes;

    this.function = new DubanFunction(this, 'Function', {
      entry: props.entry,
      description: 'duban ingest: validates a department workbook and stores its figures',
      memorySize: INGEST_MEMORY_MB,
      timeout: props.timeout,
      logRetention: props.logRetention,
      environment: props.environment,
    });

    // The catalog and earlier versions are read; a new submission version and its audit event
    // are the only items it adds.
    grantTableItems(this.function, props.table, { read: ['catalog', 'period'], create: ['period', 'audit'] });
    grantObjects(this.function, props.uploads, 'read', [incoming, raw]);
    // Originals are content-addressed and kept for ever: added, never replaced. Receipts and
    // quarantined copies are rewritten with the same content when an event is redelivered.
    grantObjects(this.function, props.uploads, 'create', [raw]);
    grantObjects(this.function, props.uploads, 'put', [quarantine, receipts]);
    grantList(this.function, props.uploads);
    if (props.senderEmail) grantSendMail(this.function, props.senderEmail);

    this.function.fn.addEventSource(
      new SqsEventSource(props.queue, {
        // One upload per invocation: a rejected workbook is a result, not a failure; the
        // handler throws only for system failures, and then only that upload is retried.
        batchSize: 1,
        // Deadline-day bursts queue up instead of fanning out.
        maxConcurrency: 5,
      }),
    );
    acknowledgeScopedWildcards(this, [DUBAN_WILDCARDS.prefixObjects]);
  }
}

export const INGEST_TIMEOUT = Duration.seconds(60);
