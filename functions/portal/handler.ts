import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { currentConfig } from '../adapters/aws-clients.ts';
import { beginInvocation, count, observability } from '../adapters/observability.ts';
import { METRICS } from '../shared/resources.ts';
import { createPortalApp } from './app.ts';
import { createAwsPortalDeps } from './compose-aws.ts';

/**
 * Lambda entry of the portal behind API Gateway HTTP API (payload 2.0): the same Hono app as
 * `duban serve`, composed for AWS on the first request of a container (so loading the
 * module needs no settings) and reused by every later one. One log line per request
 * (method, path, status, time; never the query, a cookie or a body) and a
 * `PortalServerErrors` count for answers the app turned into a 500.
 */

const obs = observability(METRICS.services.portal);

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<{ statusCode: number }>;

let ready: Promise<LambdaHandler> | undefined;

async function build(): Promise<LambdaHandler> {
  const app = createPortalApp(await createAwsPortalDeps());
  return handle(app) as unknown as LambdaHandler;
}

export async function handler(event: APIGatewayProxyEventV2, context: Context) {
  beginInvocation(obs, currentConfig().stage, context);
  const started = Date.now();
  ready ??= build().catch((error: unknown) => {
    // A failed start (a missing setting) is tried again on the next request, not kept.
    ready = undefined;
    throw error;
  });
  const result = await (await ready)(event, context);
  obs.logger.info('request', {
    method: event.requestContext.http.method,
    path: event.rawPath,
    status: result.statusCode,
    ms: Date.now() - started,
  });
  count(obs, METRICS.portalServerErrors, result.statusCode >= 500 ? 1 : 0);
  obs.metrics.publishStoredMetrics();
  return result;
}
