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
  readonly serviceName: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export function observability(serviceName: string): Observability {
  const logger = new Logger({ serviceName });
  // Metrics' own warnings go through the Logger: structured on AWS, on stderr locally.
  return { serviceName, logger, metrics: new Metrics({ namespace: METRICS.namespace, serviceName, logger }) };
}

/** The stage each Metrics instance carries as its default dimension. */
const stageOf = new WeakMap<Metrics, string>();

/** The invocation's context on every log line from here on, the stage on every metric. */
export function beginInvocation(o: Observability, stage: string, context?: Partial<Context>): void {
  if (context?.awsRequestId) o.logger.addContext(context as Context);
  // A warm container serves many invocations; setting the dimension again would warn on each.
  if (stageOf.get(o.metrics) === stage) return;
  o.metrics.clearDefaultDimensions();
  o.metrics.setDefaultDimensions({
    [METRICS.serviceDimension]: o.serviceName,
    [METRICS.stageDimension]: stage,
  });
  stageOf.set(o.metrics, stage);
}

export function count(o: Observability, metric: string, value = 1): void {
  o.metrics.addMetric(metric, MetricUnit.Count, value);
}
