import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { METRICS } from '../../functions/shared/resources.ts';
import { acknowledge } from './nag-acknowledgements.ts';

export interface MonitoringProps {
  readonly stage: string;
  readonly functions: Readonly<Record<string, IFunction>>;
  readonly deadLetterQueues: Readonly<Record<string, IQueue>>;
  readonly scheduleGroup: IScheduleGroup;
  /** Subscribed to the alarm topic by e-mail (confirmation required) when given. */
  readonly ownerEmail?: string;
}

/**
 * Every alarm publishes to one SNS topic. Ten alarms (US$0.10 each, the free tier's ten):
 * errors of each of the five functions, a message in either dead-letter queue,
 * schedule target errors, a month with no bulletin by the check day, and portal answers
 * the app turned into a 500.
 */
export class Monitoring extends Construct {
  readonly topic: Topic;
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);

    this.topic = new Topic(this, 'Alarms', { displayName: `duban ${props.stage} alarms`, enforceSSL: true });
    acknowledge(
      this.topic,
      'AwsSolutions-SNS2',
      'Alarm notifications carry alarm names only; CloudWatch cannot publish to a topic under the AWS-managed SNS key, and a customer key would cost more than the whole deployment.',
    );
    if (props.ownerEmail) this.topic.addSubscription(new EmailSubscription(props.ownerEmail));

    for (const [name, fn] of Object.entries(props.functions)) {
      this.alarm(`${name}Errors`, fn.metricErrors({ period: Duration.minutes(5), statistic: Stats.SUM }), {
        description: `${name} function failed (after its own retries the event goes to a dead-letter queue)`,
      });
    }
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      this.alarm(
        `${name}DeadLetters`,
        queue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: Stats.MAXIMUM,
        }),
        { description: `messages parked in the ${name} dead-letter queue: inspect, fix, then redrive` },
      );
    }
    this.alarm(
      'ScheduleTargetErrors',
      props.scheduleGroup.metricTargetErrors({ period: Duration.minutes(5), statistic: Stats.SUM }),
      { description: 'EventBridge Scheduler could not invoke a duban function' },
    );
    this.alarm(
      'BulletinMissing',
      dubanMetric(METRICS.bulletinMissing, METRICS.services.bulletinCheck, props.stage, {
        statistic: Stats.MAXIMUM,
        period: Duration.hours(1),
      }),
      { description: 'the monthly check found no bulletin for the month just closed' },
    );
    this.alarm(
      'PortalServerErrors',
      dubanMetric(METRICS.portalServerErrors, METRICS.services.portal, props.stage, {
        statistic: Stats.SUM,
        period: Duration.minutes(5),
      }),
      { description: 'the portal answered 500: see the duban-portal log group' },
    );
  }

  private alarm(id: string, metric: IMetric, options: { description: string }): Alarm {
    const alarm = new Alarm(this, id, {
      metric,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No data means nothing failed (and, for the check, that it has not run yet).
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }
}

/** A custom metric as a function emits it: Powertools adds the service, the handler the stage. */
function dubanMetric(
  name: string,
  service: string,
  stage: string,
  options: { statistic: string; period: Duration },
): Metric {
  return new Metric({
    namespace: METRICS.namespace,
    metricName: name,
    dimensionsMap: { [METRICS.serviceDimension]: service, [METRICS.stageDimension]: stage },
    ...options,
  });
}
