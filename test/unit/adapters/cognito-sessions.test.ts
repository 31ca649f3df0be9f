import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  NotAuthorizedException,
  TooManyRequestsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { Jwk } from 'aws-jwt-verify/jwk';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoSessions } from '../../../functions/adapters/portal/cognito-sessions.ts';

/**
 * Cognito logins with the real verifier (aws-jwt-verify) over a key pair made here: tokens are
 * signed the way Cognito signs them (RS256, kid), the JWKS is handed to the verifier's cache,
 * and Cognito's API answers come from aws-sdk-client-mock.
 */

const REGION = 'eu-west-1';
const POOL = `${REGION}_TestPool1`;
const CLIENT = 'portalclient123';
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;

function keyPair(kid: string): { privateKey: KeyObject; jwk: Jwk } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...(publicKey.export({ format: 'jwk' }) as { n: string; e: string }),
    kid,
    alg: 'RS256',
    use: 'sig',
    kty: 'RSA',
  };
  return { privateKey, jwk: jwk as Jwk };
}

const POOL_KEY = keyPair('pool-key');
const OTHER_KEY = keyPair('pool-key');

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An access token as Cognito issues it; `overrides` bend one claim. */
function accessToken(
  claims: { username?: string; groups?: string[]; lifetimeSeconds?: number } & Record<string, unknown> = {},
  key = POOL_KEY.privateKey,
): string {
  const {
    username = 'fgw-clerk',
    groups = ['department:fgw'],
    lifetimeSeconds = 3600,
    ...overrides
  } = claims;
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    sub: '5f1c-uuid',
    'cognito:groups': groups,
    iss: ISSUER,
    client_id: CLIENT,
    origin_jti: 'o-jti',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: now,
    exp: now + lifetimeSeconds,
    iat: now,
    jti: `jti-${Math.random()}`,
    username,
    ...overrides,
  };
  const head = `${b64({ kid: 'pool-key', alg: 'RS256' })}.${b64(payload)}`;
  return `${head}.${sign('sha256', Buffer.from(head), key).toString('base64url')}`;
}

const cognito = mockClient(CognitoIdentityProviderClient);
let now: Date;

function sessions(recheckMs = 30_000) {
  const verifier = CognitoJwtVerifier.create({ userPoolId: POOL, tokenUse: 'access', clientId: CLIENT });
  verifier.cacheJwks({ keys: [POOL_KEY.jwk] });
  return createCognitoSessions({
    cognito: new CognitoIdentityProviderClient({ region: REGION }),
    clientId: CLIENT,
    verifier,
    clock: () => now,
    recheckMs,
  });
}

function answerLogin(token: string) {
  cognito.on(InitiateAuthCommand).resolves({ AuthenticationResult: { AccessToken: token, ExpiresIn: 3600 } });
}

function answerUser(name = '发改委填报员') {
  cognito
    .on(GetUserCommand)
    .resolves({ Username: 'fgw-clerk', UserAttributes: [{ Name: 'name', Value: name }] });
}

beforeEach(() => {
  cognito.reset();
  now = new Date();
});

describe('Cognito session authority', () => {
  it('logs in with USER_PASSWORD_AUTH and maps the groups and display name to the principal', async () => {
    // Prepare
    const token = accessToken({ lifetimeSeconds: 8 * 3600 });
    answerLogin(token);
    answerUser();

    // Act
    const result = await sessions().signIn('fgw-clerk', 'Correct-Horse-9');

    // Assess
    expect(result).toMatchObject({
      ok: true,
      token,
      principal: { username: 'fgw-clerk', role: 'department', dept: 'fgw', name: '发改委填报员' },
    });
    expect(result.ok && result.maxAgeSeconds).toBeGreaterThan(8 * 3600 - 5);
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: CLIENT,
      AuthParameters: { USERNAME: 'fgw-clerk', PASSWORD: 'Correct-Horse-9' },
    });
  });

  it('answers a wrong password (or an unknown or disabled user) with the one refusal', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .rejects(new NotAuthorizedException({ message: 'Incorrect username or password.', $metadata: {} }));

    // Act
    const result = await sessions().signIn('fgw-clerk', 'wrong');

    // Assess
    expect(result).toEqual({ ok: false });
  });

  it('lets a throttled or failing Cognito surface as a system error, not as a wrong password', async () => {
    // Prepare
    cognito
      .on(InitiateAuthCommand)
      .rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));

    // Act
    const attempt = sessions().signIn('fgw-clerk', 'Correct-Horse-9');

    // Assess
    await expect(attempt).rejects.toThrow('slow down');
  });

  it('gives no session when Cognito asks for a challenge the portal does not offer (new password)', async () => {
    // Prepare
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 's' });

    // Act
    const result = await sessions().signIn('fgw-clerk', 'Temporary-1');

    // Assess
    expect(result).toEqual({ ok: false });
  });

  it.each([
    ['signed with another key', () => accessToken({}, OTHER_KEY.privateKey)],
    ['for another app client', () => accessToken({ client_id: 'someone-else' })],
    [
      'from another pool',
      () => accessToken({ iss: `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other` }),
    ],
    ['an ID token', () => accessToken({ token_use: 'id' })],
    ['expired', () => accessToken({ lifetimeSeconds: -60 })],
  ])('refuses a token %s without asking Cognito', async (_case, make) => {
    // Prepare
    answerUser();

    // Act
    const principal = await sessions().resolve(make());

    // Assess
    expect(principal).toBeUndefined();
    expect(cognito.commandCalls(GetUserCommand)).toHaveLength(0);
  });

  it.each([
    ['no role group', []],
    ['two roles', ['leader', 'auditor']],
    ['a department and admin', ['department:fgw', 'admin']],
  ])('refuses a valid token whose groups grant %s', async (_case, groups) => {
    // Prepare
    answerUser();

    // Act
    const principal = await sessions().resolve(accessToken({ groups }));

    // Assess
    expect(principal).toBeUndefined();
  });

  it('stops resolving a revoked token (signed out elsewhere, user disabled) once the recheck is due', async () => {
    // Prepare
    const auth = sessions(30_000);
    const token = accessToken({ groups: ['leader'], username: 'leader' });
    answerUser('区领导');
    const first = await auth.resolve(token);
    cognito
      .on(GetUserCommand)
      .rejects(new NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} }));

    // Act
    const withinRecheck = await auth.resolve(token);
    now = new Date(now.getTime() + 31_000);
    const afterRecheck = await auth.resolve(token);

    // Assess
    expect(first).toEqual({ username: 'leader', role: 'leader', dept: null, name: '区领导' });
    expect(withinRecheck).toEqual(first);
    expect(afterRecheck).toBeUndefined();
    expect(cognito.commandCalls(GetUserCommand)).toHaveLength(2);
  });

  it('signs out by revoking the tokens in Cognito and forgetting the cached answer', async () => {
    // Prepare
    const auth = sessions();
    const token = accessToken();
    answerUser();
    await auth.resolve(token);
    cognito.on(GlobalSignOutCommand).resolves({});

    // Act
    await auth.signOut(token);
    cognito
      .on(GetUserCommand)
      .rejects(new NotAuthorizedException({ message: 'Access Token has been revoked', $metadata: {} }));
    const after = await auth.resolve(token);

    // Assess
    expect(cognito.commandCalls(GlobalSignOutCommand)[0]?.args[0].input).toEqual({ AccessToken: token });
    expect(after).toBeUndefined();
  });
});
