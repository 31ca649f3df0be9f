import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/resources.ts';
import { PORTAL_THROTTLE, USER_ADMIN_ACTIONS } from '../../lib/constructs/portal.ts';
import { PASSWORD_MIN_LENGTH, SESSION_HOURS } from '../../lib/constructs/portal-users.ts';
import { sharedSynth } from './support/synth-app.ts';
import {
  allowedPairs,
  flatten,
  onlyLogicalId,
  properties,
  roleStatements,
} from './support/template-queries.ts';

let stateful: Template;
let stateless: Template;

beforeAll(() => {
  const synthesized = sharedSynth();
  stateful = synthesized.stateful;
  stateless = synthesized.stateless;
});

const pool = () => onlyLogicalId(stateful, 'AWS::Cognito::UserPool', 'PortalUsersPool');
const portalFunction = () => onlyLogicalId(stateless, 'AWS::Lambda::Function', 'PortalFunction');
const portalRole = () => onlyLogicalId(stateless, 'AWS::IAM::Role', 'PortalFunctionRole');

describe('portal accounts (Cognito, stateful stack)', () => {
  it('is a user pool nobody signs up to, with a strong password policy, retained and protected', () => {
    // Act
    const id = pool();
    const props = properties(stateful, id);

    // Assess
    expect(props).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameConfiguration: { CaseSensitive: false },
      DeletionProtection: 'ACTIVE',
      MfaConfiguration: 'OFF',
      UserPoolTier: 'ESSENTIALS',
      Policies: {
        PasswordPolicy: {
          MinimumLength: PASSWORD_MIN_LENGTH,
          RequireLowercase: true,
          RequireUppercase: true,
          RequireNumbers: true,
          RequireSymbols: true,
        },
      },
    });
    stateful.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('has one app client for server-side password logins: no secret, no OAuth, revocable tokens of a working day', () => {
    // Act
    const clientId = onlyLogicalId(stateful, 'AWS::Cognito::UserPoolClient', 'PortalUsersPoolPortal');
    const props = properties(stateful, clientId);

    // Assess
    expect(props).toMatchObject({
      UserPoolId: { Ref: pool() },
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      GenerateSecret: false,
      PreventUserExistenceErrors: 'ENABLED',
      EnableTokenRevocation: true,
      AccessTokenValidity: SESSION_HOURS * 60,
      TokenValidityUnits: expect.objectContaining({ AccessToken: 'minutes' }),
    });
    expect(props).not.toHaveProperty('AllowedOAuthFlows');
  });

  it('creates the role groups and a department:<id> group per configured department', () => {
    // Act
    const groups = Object.values(stateful.findResources('AWS::Cognito::UserPoolGroup')).map(
      (g) => (g.Properties as { GroupName: string; UserPoolId: unknown }).GroupName,
    );

    // Assess
    expect(groups.sort()).toEqual(['admin', 'auditor', 'department:fgw', 'department:gxj', 'leader']);
    stateful.allResourcesProperties('AWS::Cognito::UserPoolGroup', { UserPoolId: { Ref: pool() } });
  });

  it('outputs the pool and client ids the CLI needs', () => {
    // Assess
    stateful.hasOutput('UserPoolId', { Value: { Ref: pool() } });
    stateful.hasOutput('UserPoolClientId', Match.objectLike({}));
  });
});

describe('portal function and API (stateless stack)', () => {
  it('runs the portal handler with the pool, the client and templates/ named in its environment', () => {
    // Act
    const props = properties(stateless, portalFunction());
    const vars = (props.Environment as { Variables: Record<string, unknown> }).Variables;

    // Assess
    expect(props).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 29, MemorySize: 1024 });
    expect(vars[ENV.templatesDir]).toBe('/var/task/templates');
    expect(vars[ENV.userPoolId]).toEqual({ 'Fn::ImportValue': expect.stringContaining('PortalUsersPool') });
    expect(vars[ENV.userPoolClientId]).toEqual({
      'Fn::ImportValue': expect.stringContaining('PortalUsersPoolPortal'),
    });
  });

  it('is the default integration of an HTTP API whose one stage is throttled and access-logged', () => {
    // Act
    const apiId = onlyLogicalId(stateless, 'AWS::ApiGatewayV2::Api', 'PortalApi');
    const stage = properties(stateless, onlyLogicalId(stateless, 'AWS::ApiGatewayV2::Stage', 'PortalStage'));

    // Assess
    expect(properties(stateless, apiId)).toMatchObject({ ProtocolType: 'HTTP' });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      ApiId: { Ref: apiId },
      RouteKey: '$default',
      AuthorizationType: 'NONE',
    });
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      ApiId: { Ref: apiId },
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [portalFunction(), 'Arn'] },
    });
    expect(stage).toMatchObject({
      ApiId: { Ref: apiId },
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: PORTAL_THROTTLE.rateLimit,
        ThrottlingBurstLimit: PORTAL_THROTTLE.burstLimit,
      },
    });
    const logs = stage.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(JSON.parse(logs.Format)).toMatchObject({
      requestId: '$context.requestId',
      ip: '$context.identity.sourceIp',
    });
    expect(logs.DestinationArn).toEqual({
      'Fn::GetAtt': [onlyLogicalId(stateless, 'AWS::Logs::LogGroup', 'PortalAccessLogs'), 'Arn'],
    });
    stateless.hasOutput('PortalUrl', Match.objectLike({}));
  });

  it('touches only the key families it serves: signs incoming/, reads receipts/ and raw/ and bulletins/', () => {
    // Act
    const s3 = allowedPairs(stateless, portalRole()).filter(([action]) => action.startsWith('s3:'));

    // Assess
    const uploads = /<import:.*StorageUploads.*Arn.*>/;
    const archive = /<import:.*StorageArchive.*Arn.*>/;
    const writes = s3.filter(([action]) => !/^s3:(Get|List)/.test(action));
    expect(writes.map(([a, r]) => [a, r.replace(uploads, '<uploads>')])).toEqual([
      ['s3:PutObject', '<uploads>/incoming/*'],
    ]);
    const reads = s3
      .filter(([action]) => action === 's3:GetObject')
      .map(([, r]) => r.replace(uploads, '<uploads>').replace(archive, '<archive>'))
      .sort();
    expect(reads).toEqual(['<archive>/bulletins/*', '<uploads>/raw/*', '<uploads>/receipts/*']);
    expect(s3.every(([action]) => !action.includes('*') && !action.startsWith('s3:Delete'))).toBe(true);
  });

  it('administers users of its own pool only, with the named Cognito actions', () => {
    // Act
    const cognito = roleStatements(stateless, portalRole()).filter((s) =>
      (Array.isArray(s.Action) ? s.Action : [s.Action]).some((a) => a.startsWith('cognito-idp:')),
    );

    // Assess
    expect(cognito).toHaveLength(1);
    expect([...((cognito[0]?.Action ?? []) as string[])].sort()).toEqual([...USER_ADMIN_ACTIONS].sort());
    expect(cognito[0]?.Resource).toEqual({ 'Fn::ImportValue': expect.stringContaining('PortalUsersPool') });
  });

  it('limits CORS on the uploads bucket to POST from the portal origin, written at deploy time', () => {
    // Act
    const cors = Object.values(stateless.findResources('Custom::AWS')).map((r) => r.Properties ?? {});
    const create = JSON.parse(flatten(cors[0]?.Create)) as {
      action: string;
      parameters: { Bucket: string; CORSConfiguration: { CORSRules: Record<string, unknown>[] } };
    };

    // Assess
    const apiId = onlyLogicalId(stateless, 'AWS::ApiGatewayV2::Api', 'PortalApi');
    expect(cors).toHaveLength(1);
    expect(create.action).toBe('PutBucketCors');
    expect(create.parameters.Bucket).toMatch(/StorageUploads/);
    expect(create.parameters.CORSConfiguration.CORSRules).toEqual([
      {
        AllowedOrigins: [`<${apiId}.ApiEndpoint>`],
        AllowedMethods: ['POST'],
        MaxAgeSeconds: 3600,
      },
    ]);
  });

  it('alarms on the 500s the app answers', () => {
    // Assess
    stateless.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Duban',
      MetricName: 'PortalServerErrors',
      Dimensions: Match.arrayWith([{ Name: 'service', Value: 'duban-portal' }]),
    });
  });
});
