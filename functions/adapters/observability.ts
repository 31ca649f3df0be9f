import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { METRICS } from '../shared/resources.ts';

/**
 * Structured logs and metrics for a Lambda handler (Powertools for AWS Lambda). One Logger and
 * one Metrics per function, created at module scope; each invocation adds the Lambda context
 * to every log line and the stage as a metric dimension, and flushes its metrics at the end.
 *
 * Locally (the CLI, the demo, tests) POWERTOOLS_METRICS_DISABLED keeps the embedded-metric
 * lines off stdout, which belongs to the command's output; warnings and errors still go to
 * stderr.
 */
export interface Observability {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function observability(serviceName: string): Observability {
  return {
    logger: new Logger({ serviceName }),
    metrics: new Metrics({ namespace: METRICS.namespace, serviceName }),
  };
}

/** The invocation's context on every log line from here on, the stage on every metric. */
export function beginInvocation(o: Observability, stage: string, context?: Partial<Context>): void {
  if (context?.awsRequestId) o.logger.addContext(context as Context);
  o.metrics.setDefaultDimensions({ [METRICS.stageDimension]: stage });
}

export function count(o: Observability, metric: string, value = 1): void {
  o.metrics.addMetric(metric, MetricUnit.Count, value);
}
