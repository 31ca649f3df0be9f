import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { METRICS } from '../shared/resources.ts';
import { createPortalApp } from './app.ts';
import { createAwsPortalDeps } from './compose-aws.ts';
import type { PortalEnv } from './http/env.ts';

/**
 * Lambda entry of the portal behind API Gateway HTTP API (payload 2.0): the same Hono app as
 * `duban serve`, composed for AWS on the first request of a container (so loading the
 * module needs no settings) and reused by every later one. One log line per request
 * (method, route path, status, time; never the query, a cookie or a body) and a
 * `PortalServerErrors` metric for answers the app turned into a 500.
 */

const SERVICE = 'duban-portal';
const logger = new Logger({ serviceName: SERVICE });
const metrics = new Metrics({
  namespace: METRICS.namespace,
  serviceName: SERVICE,
  defaultDimensions: { [METRICS.stageDimension]: process.env.DUBAN_STAGE ?? 'unknown' },
});

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;

let ready: Promise<LambdaHandler> | undefined;

async function build(): Promise<LambdaHandler> {
  const app: Hono<PortalEnv> = createPortalApp(await createAwsPortalDeps());
  return handle(app) as unknown as LambdaHandler;
}

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  logger.addContext(context);
  const started = Date.now();
  ready ??= build().catch((error: unknown) => {
    // A failed start (missing setting) is retried on the next request, not cached forever.
    ready = undefined;
    throw error;
  });
  const result = await (await ready)(event, context);
  logger.info('request', {
    method: event.requestContext.http.method,
    path: event.rawPath,
    status: result.statusCode,
    ms: Date.now() - started,
  });
  metrics.addMetric(METRICS.portalServerErrors, MetricUnit.Count, result.statusCode >= 500 ? 1 : 0);
  metrics.publishStoredMetrics();
  return result;
}
