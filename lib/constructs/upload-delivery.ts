import { Duration, Stack } from 'aws-cdk-lib';
import { EventType, type IBucket } from 'aws-cdk-lib/aws-s3';
import { SqsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { acknowledge } from './nag-acknowledgements.ts';

/** Construct id CDK gives its bucket-notification custom resource (fixed in aws-cdk-lib). */
const BUCKET_NOTIFICATIONS_HANDLER_ID = 'BucketNotificationsHandler050a0587b7544547bf325f094a3db834';

export interface UploadDeliveryProps {
  /** The uploads bucket; imported into this stack so the notification lives here, not in the stateful stack. */
  readonly uploads: IBucket;
  /** The consumer's timeout; the queue's visibility timeout is sized from it. */
  readonly consumerTimeout: Duration;
  /** Receives before a message is parked in the dead-letter queue. */
  readonly maxReceiveCount?: number;
}

/**
 * How uploads reach the ingest function: S3 ObjectCreated under incoming/ → SQS queue →
 * ingest (event source mapping), with a dead-letter queue.
 *
 * Chosen over S3 → async Lambda invoke + on-failure destination because an upload that
 * fails for a system reason (a throttle, a bug fixed the next morning) must not be
 * lost or require the department to upload again: SQS keeps the message for 14 days,
 * retries on its own visibility clock, and a parked message can be sent back with one
 * redrive (`aws sqs start-message-move-task`) once the cause is fixed. The on-failure
 * destination only records the failed invocation; replaying it needs custom tooling.
 * The queue also caps ingest concurrency, so a burst of uploads on deadline day cannot
 * exhaust DynamoDB or the account's Lambda concurrency.
 */
export class UploadDelivery extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: UploadDeliveryProps) {
    super(scope, id);

    this.deadLetterQueue = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(
      this.deadLetterQueue,
      'AwsSolutions-SQS3',
      'This queue is the dead-letter queue of the upload queue.',
    );

    this.queue = new Queue(this, 'Uploads', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // AWS guidance for Lambda event sources: at least six times the function timeout,
      // so a batch is not redelivered while the first attempt and its retries still run.
      visibilityTimeout: Duration.seconds(props.consumerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 3 },
    });

    props.uploads.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(this.queue), {
      prefix: UPLOADS_BUCKET.prefixes.incoming,
    });
    // CDK writes the notification through its own singleton custom resource; its role
    // carries the basic execution managed policy, which CDK does not let us replace.
    const handler = Stack.of(this).node.tryFindChild(BUCKET_NOTIFICATIONS_HANDLER_ID);
    if (handler) {
      acknowledge(
        handler,
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]`,
        'CDK-managed BucketNotificationsHandler: runs only at deploy time to write the bucket notification configuration.',
      );
    }
  }
}
