import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { ARCHIVE_BUCKET, ENV, UPLOADS_BUCKET } from '../../functions/shared/resources.ts';
import { itemKeys } from '../../functions/shared/storage-keys.ts';
import type { ArchiveSigningKey } from './archive-signing-key.ts';
import { DubanFunction, withTemplates } from './duban-function.ts';
import { grantList, grantObjects, grantTableItems, grantVersionHistory } from './grants.ts';
import { acknowledge, acknowledgeScopedWildcards, DUBAN_WILDCARDS } from './nag-acknowledgements.ts';

export interface PortalProps {
  readonly projectRoot: string;
  readonly entry: string;
  readonly table: ITableV2;
  readonly uploads: IBucket;
  readonly archive: IBucket;
  readonly userPool: IUserPool;
  readonly userPoolClient: IUserPoolClient;
  /** The auditor's page checks every chain link against the key's public half. */
  readonly signingKey: ArchiveSigningKey;
  readonly environment: Record<string, string>;
  readonly logRetention: RetentionDays;
}

/** Construct id CDK gives the AwsCustomResource singleton provider (fixed in aws-cdk-lib). */
const AWS_CUSTOM_RESOURCE_PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** API Gateway's integration limit is 30 s; the function stops first and answers 5xx itself. */
export const PORTAL_TIMEOUT = Duration.seconds(29);
/** Room for exceljs (templates, the Excel bulletin's rows) and a warm catalog cache. */
const PORTAL_MEMORY_MB = 1024;
/** Requests per second (and burst) the whole portal accepts: a district's office, plus margin. */
export const PORTAL_THROTTLE = { rateLimit: 20, burstLimit: 40 } as const;

/** The Cognito administration the admin page and `duban users --aws` use, on the one pool. */
export const USER_ADMIN_ACTIONS = [
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminGetUser',
  'cognito-idp:AdminListGroupsForUser',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminUserGlobalSignOut',
  'cognito-idp:CreateGroup',
  'cognito-idp:ListGroups',
  'cognito-idp:ListUsers',
  'cognito-idp:ListUsersInGroup',
] as const;

/**
 * The web portal on AWS: the Hono app in one Lambda (functions/portal/handler.ts, templates/
 * copied beside the bundle) behind an API Gateway HTTP API, with Cognito for logins and
 * presigned POSTs for uploads.
 *
 * HTTP API rather than a Function URL: stage throttling caps what a flood of requests can
 * cost (Lambda, Cognito, DynamoDB) before the function runs, access logs record every
 * request with its source address for an audit, and a custom domain can be mapped later
 * without touching the function. At a district's few thousand requests a month it costs cents.
 *
 * The function may: read and write the table (catalogs, audit entries, submissions read);
 * sign uploads under incoming/ (the presigned POST carries its role's authority); read
 * receipts/ (receipts, annotated copies) and raw/ (originals for auditors) of the uploads
 * bucket and bulletins/ of the archive; administer the users of its one pool. Nothing else.
 */
export class Portal extends Construct {
  readonly function: DubanFunction;
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly url: string;

  constructor(scope: Construct, id: string, props: PortalProps) {
    super(scope, id);
    const { incoming, receipts, raw } = UPLOADS_BUCKET.prefixes;
    const templates = withTemplates(props.projectRoot);

    this.function = new DubanFunction(this, 'Function', {
      entry: props.entry,
      description: 'duban portal: pages and API for departments, leaders, auditors and the statistics office',
      memorySize: PORTAL_MEMORY_MB,
      timeout: PORTAL_TIMEOUT,
      logRetention: props.logRetention,
      environment: {
        ...props.environment,
        ...templates.environment,
        [ENV.userPoolId]: props.userPool.userPoolId,
        [ENV.userPoolClientId]: props.userPoolClient.userPoolClientId,
      },
      bundling: templates.bundling,
    });

    // Pages read every family (the auditor's page walks the archive's chain, the board lists
    // the 催报 sent); an admin's catalog load adds a catalog version and its audit
    // event; local accounts are items of their own family. Nothing is updated or deleted.
    grantTableItems(this.function, props.table, {
      read: ['catalog', 'period', 'audit', 'bulletin', 'user', 'chain', 'remind'],
      create: ['catalog', 'audit', 'user'],
      indexPartitions: [itemKeys.auditLog, itemKeys.userList],
    });
    // The auditor's submission history finds its months with a keys-only scan (dynamo-stores.ts).
    this.function.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['dynamodb:Scan'], resources: [props.table.tableArn] }),
    );
    grantObjects(this.function, props.uploads, 'put', [incoming]);
    grantObjects(this.function, props.uploads, 'read', [receipts, raw]);
    grantList(this.function, props.uploads);
    grantObjects(this.function, props.archive, 'read', [ARCHIVE_BUCKET.prefixes.bulletins]);
    grantList(this.function, props.archive);
    // The auditor's page verifies as `duban archive verify` does: object versions, locks, the key.
    grantVersionHistory(this.function, props.archive, [ARCHIVE_BUCKET.prefixes.bulletins]);
    grantVersionHistory(this.function, props.uploads, [raw]);
    props.signingKey.grantPublicKey(this.function);
    this.function.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...USER_ADMIN_ACTIONS], resources: [props.userPool.userPoolArn] }),
    );

    this.api = new HttpApi(this, 'Api', {
      description: 'duban portal',
      defaultIntegration: new HttpLambdaIntegration('App', this.function.fn),
      createDefaultStage: false,
    });
    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stage = new HttpStage(this, 'Stage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: PORTAL_THROTTLE,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            method: '$context.httpMethod',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = `${this.api.apiEndpoint}/`;
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'The app authenticates every route itself: a Cognito access token in an HttpOnly SameSite=Strict cookie, verified with aws-jwt-verify and checked with Cognito per request; an HTTP API JWT authorizer reads only a header, and the login page, assets and /healthz must stay public.',
    );

    this.limitUploadCors(props.uploads);
    acknowledgeScopedWildcards(this, [DUBAN_WILDCARDS.prefixObjects, DUBAN_WILDCARDS.tableIndexes]);
  }

  /**
   * CORS on the uploads bucket: POST from the portal's own origin only. The bucket lives in
   * the stateful stack and the API's address is known only here, so the rule is written by a
   * custom resource (PutBucketCors) rather than as a bucket property, which would make the
   * stateful stack depend on this one.
   */
  private limitUploadCors(uploads: IBucket): void {
    const origin = this.api.apiEndpoint;
    const call = {
      service: 'S3',
      action: 'PutBucketCors',
      parameters: {
        Bucket: uploads.bucketName,
        CORSConfiguration: {
          CORSRules: [{ AllowedOrigins: [origin], AllowedMethods: ['POST'], MaxAgeSeconds: 3600 }],
        },
      },
      physicalResourceId: PhysicalResourceId.of(`uploads-cors-${uploads.bucketName}`),
    };
    const cors = new AwsCustomResource(this, 'UploadsCors', {
      onCreate: call,
      onUpdate: call,
      onDelete: { service: 'S3', action: 'DeleteBucketCors', parameters: { Bucket: uploads.bucketName } },
      policy: AwsCustomResourcePolicy.fromStatements([
        new PolicyStatement({ actions: ['s3:PutBucketCORS'], resources: [uploads.bucketArn] }),
      ]),
      installLatestAwsSdk: false,
    });
    // The provider is one function per stack, created by CDK beside (not under) this construct.
    const provider = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_PROVIDER_ID) ?? cors;
    acknowledge(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'CDK-managed AwsCustomResource provider: runs only at deploy time to write the uploads bucket CORS rule.',
    );
  }
}
