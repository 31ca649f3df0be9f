import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { getConnInfo } from 'hono/aws-lambda';
import { cognitoClient, currentConfig, s3Client } from '../adapters/aws-clients.ts';
import type { DubanConfig } from '../adapters/config.ts';
import { createStores } from '../adapters/dynamo-stores.ts';
import { createCognitoSessions } from '../adapters/portal/cognito-sessions.ts';
import { createCognitoUserAdmin } from '../adapters/portal/cognito-user-admin.ts';
import { createPresignedUploadGateway } from '../adapters/portal/presigned-upload-gateway.ts';
import { systemClock } from '../adapters/system-clock.ts';
import { templatesRoot } from '../adapters/templates-dir.ts';
import { ConfigError } from '../core/errors.ts';
import { ENV } from '../shared/resources.ts';
import type { UserAdmin } from '../use-cases/ports/portal.ts';
import { createPortalData, DEFAULT_SETTINGS } from './compose.ts';
import type { PortalDeps } from './ports.ts';

/**
 * Composition of the portal on AWS (the Lambda behind API Gateway): logins against the
 * Cognito user pool, uploads through presigned POSTs straight to the uploads bucket, and the
 * same data adapters (DynamoDB, S3, the archive) as everywhere else.
 */

function userPool(config: DubanConfig): { userPoolId: string; clientId: string } {
  if (!config.userPoolId || !config.userPoolClientId) {
    throw new ConfigError(
      `missing ${ENV.userPoolId} or ${ENV.userPoolClientId}: set them from the stack outputs UserPoolId and UserPoolClientId`,
    );
  }
  return { userPoolId: config.userPoolId, clientId: config.userPoolClientId };
}

/** The pool's user admin: the portal's admin page on AWS and `duban users … --aws`. */
export function createCognitoAdminFromConfig(clock: () => Date = systemClock): UserAdmin {
  const { userPoolId } = userPool(currentConfig());
  return createCognitoUserAdmin({ cognito: cognitoClient(), userPoolId, audit: createStores().audit, clock });
}

export async function createAwsPortalDeps(clock: () => Date = systemClock): Promise<PortalDeps> {
  const config = currentConfig();
  const { userPoolId, clientId } = userPool(config);
  const settings = {
    ...DEFAULT_SETTINGS,
    // API Gateway always serves https; the __Host- cookie needs Secure.
    secureCookies: true,
    templatesDir: templatesRoot(),
    district: config.district,
  };
  return {
    sessions: createCognitoSessions({
      cognito: cognitoClient(),
      clientId,
      verifier: CognitoJwtVerifier.create({ userPoolId, tokenUse: 'access', clientId }),
      clock,
    }),
    // The address API Gateway saw the request come from (requestContext.http.sourceIp).
    clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown',
    uploads: await createPresignedUploadGateway({
      s3: s3Client(),
      bucket: config.uploadsBucket,
      maxBytes: settings.maxUploadBytes,
      clock,
    }),
    data: createPortalData({ users: createCognitoAdminFromConfig(clock), clock }),
    clock,
    settings,
  };
}
