import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DubanConfig, loadConfig } from './config.ts';

/**
 * SDK clients, created once per process (Lambda container) from the one config module.
 * They are built on first use rather than at import so that the CLI can start the local
 * stand-ins and set the environment before any client exists.
 */

const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

let config: DubanConfig | undefined;
let dynamo: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let ses: SESv2Client | undefined;
let cognito: CognitoIdentityProviderClient | undefined;
let kms: KMSClient | undefined;

export function currentConfig(): DubanConfig {
  config ??= loadConfig();
  return config;
}

export function dynamoDocument(): DynamoDBDocumentClient {
  if (!dynamo) {
    const c = currentConfig();
    const base = new DynamoDBClient({
      region: c.region,
      ...(c.dynamoEndpoint ? { endpoint: c.dynamoEndpoint, credentials: LOCAL_CREDENTIALS } : {}),
      maxAttempts: 5,
    });
    dynamo = DynamoDBDocumentClient.from(base, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return dynamo;
}

export function s3Client(): S3Client {
  if (!s3) {
    const c = currentConfig();
    s3 = new S3Client({
      region: c.region,
      ...(c.s3Endpoint
        ? { endpoint: c.s3Endpoint, forcePathStyle: true, credentials: LOCAL_CREDENTIALS }
        : {}),
      // We send an explicit SHA-256 checksum with every put; the default CRC trailer
      // (aws-chunked encoding) is not understood by the local stand-in.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 5,
    });
  }
  return s3;
}

/** Mail goes out through SES only in AWS; locally the outbox mailer needs no client. */
export function sesClient(): SESv2Client {
  ses ??= new SESv2Client({ region: currentConfig().region, maxAttempts: 5 });
  return ses;
}

/** The portal's user pool (AWS only; there is no local stand-in for Cognito). */
export function cognitoClient(): CognitoIdentityProviderClient {
  cognito ??= new CognitoIdentityProviderClient({ region: currentConfig().region, maxAttempts: 3 });
  return cognito;
}

/** The key service signs the archive's chain links on AWS; locally a key file does. */
export function kmsClient(): KMSClient {
  kms ??= new KMSClient({ region: currentConfig().region, maxAttempts: 5 });
  return kms;
}

/** Forget the clients (tests and the CLI switch between stand-ins in one process). */
export function resetClients(): void {
  dynamo?.destroy();
  s3?.destroy();
  ses?.destroy();
  cognito?.destroy();
  kms?.destroy();
  kms = undefined;
  dynamo = undefined;
  s3 = undefined;
  ses = undefined;
  cognito = undefined;
  config = undefined;
}
