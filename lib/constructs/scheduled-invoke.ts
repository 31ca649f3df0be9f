import { Duration, Stack } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ContextAttribute, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Attempts the scheduler makes to hand the event to Lambda, and Lambda to run it. */
export const SCHEDULE_RETRY_ATTEMPTS = 3;
export const ASYNC_RETRY_ATTEMPTS = 2;

/**
 * The role EventBridge Scheduler assumes to invoke a construct's functions, made inside the
 * construct (CDK would otherwise create one per target at stack level) and trusted only by
 * the scheduler acting for this account; LambdaInvoke grants it invoke on each target only.
 */
export function schedulerRole(scope: Construct, description: string): Role {
  return new Role(scope, 'SchedulerRole', {
    assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
      conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
    }),
    description,
  });
}

/**
 * A schedule's target: the function gets `{ source, scheduledTime }` (the tick's own instant,
 * so a late or retried delivery still acts on the hour it stands for); what the scheduler
 * cannot deliver after its retries goes to the dead-letter queue.
 */
export function scheduledInvoke(fn: IFunction, role: Role, deadLetterQueue: IQueue): LambdaInvoke {
  return new LambdaInvoke(fn, {
    role,
    input: ScheduleTargetInput.fromObject({
      source: 'duban.schedule',
      scheduledTime: ContextAttribute.scheduledTime,
    }),
    retryAttempts: SCHEDULE_RETRY_ATTEMPTS,
    maxEventAge: Duration.hours(6),
    deadLetterQueue,
  });
}
