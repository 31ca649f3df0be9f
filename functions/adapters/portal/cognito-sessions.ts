import { createHash } from 'node:crypto';
import {
  type CognitoIdentityProviderClient,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { type Principal, principalFromGroups } from '../../core/portal/principal.ts';
import type { SessionAuthority, SignInResult } from '../../use-cases/ports/portal.ts';

/**
 * Logins on AWS: the Cognito user pool checks the password (InitiateAuth, USER_PASSWORD_AUTH,
 * an app client without a secret), and the session cookie carries the Cognito access token.
 *
 * `resolve` checks a token in two steps. The signature, expiry, issuer, client id and token
 * use are verified offline (`aws-jwt-verify`, CognitoJwtVerifier; the pool's JWKS is fetched
 * once per container). Then Cognito's GetUser, which answers NotAuthorized for a token that
 * was revoked (sign-out, or an admin disabling the user: AdminUserGlobalSignOut) and gives
 * the display name; that answer is kept for `recheckMs` (30 s) per token in this container,
 * so a disabled user or a signed-out token stops working within that time in every container.
 *
 * The role comes from the token's `cognito:groups`, mapped by `principalFromGroups` (exactly
 * one of `department:<id>`, `leader`, `auditor`, `admin`; none or several → not logged in).
 */

/** What the access token's verified payload must carry (a subset of Cognito's claims). */
export interface AccessTokenClaims {
  readonly username: string;
  readonly exp: number;
  readonly 'cognito:groups'?: readonly string[];
}

/** The verifier's one method we use; CognitoJwtVerifier.create({ tokenUse: 'access', … }) in AWS. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<unknown>;
}

export interface CognitoSessionOptions {
  readonly cognito: CognitoIdentityProviderClient;
  readonly clientId: string;
  readonly verifier: AccessTokenVerifier;
  readonly clock: () => Date;
  /** How long a GetUser answer is trusted before asking again. */
  readonly recheckMs?: number;
  /** Tokens remembered at most; the oldest go first. */
  readonly maxCached?: number;
}

/** Cognito errors that mean "these credentials or this token are not good", never a system fault. */
const REFUSALS = new Set([
  'NotAuthorizedException',
  'UserNotFoundException',
  'UserNotConfirmedException',
  'PasswordResetRequiredException',
  'InvalidParameterException',
]);

function isRefusal(error: unknown): boolean {
  return error instanceof Error && REFUSALS.has(error.name);
}

interface Checked {
  readonly principal: Principal | undefined;
  readonly until: number;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

function claimsOf(payload: unknown): AccessTokenClaims | undefined {
  if (!payload || typeof payload !== 'object') return undefined;
  const p = payload as Record<string, unknown>;
  const groups = p['cognito:groups'];
  if (typeof p.username !== 'string' || typeof p.exp !== 'number') return undefined;
  if (groups !== undefined && !(Array.isArray(groups) && groups.every((g) => typeof g === 'string'))) {
    return undefined;
  }
  return p as unknown as AccessTokenClaims;
}

export function createCognitoSessions(options: CognitoSessionOptions): SessionAuthority {
  const recheckMs = options.recheckMs ?? 30_000;
  const maxCached = options.maxCached ?? 5_000;
  const checked = new Map<string, Checked>();

  async function verified(token: string): Promise<AccessTokenClaims | undefined> {
    try {
      return claimsOf(await options.verifier.verify(token));
    } catch {
      // Expired, forged, another pool's or another client's token: simply not logged in.
      return undefined;
    }
  }

  /** GetUser: the token is still live (not revoked, user enabled) and the user's display name. */
  async function principalOf(token: string, claims: AccessTokenClaims): Promise<Principal | undefined> {
    let name: string | undefined;
    try {
      const user = await options.cognito.send(new GetUserCommand({ AccessToken: token }));
      name = user.UserAttributes?.find((a) => a.Name === 'name')?.Value;
    } catch (error) {
      if (isRefusal(error)) return undefined;
      throw error;
    }
    return principalFromGroups(claims.username, name, claims['cognito:groups'] ?? []);
  }

  function remember(key: string, principal: Principal | undefined, now: number, exp: number): void {
    checked.set(key, { principal, until: Math.min(now + recheckMs, exp * 1000) });
    while (checked.size > maxCached) {
      const oldest = checked.keys().next().value;
      if (oldest === undefined) break;
      checked.delete(oldest);
    }
  }

  return {
    async signIn(username, password): Promise<SignInResult> {
      let accessToken: string | undefined;
      try {
        const out = await options.cognito.send(
          new InitiateAuthCommand({
            AuthFlow: 'USER_PASSWORD_AUTH',
            ClientId: options.clientId,
            AuthParameters: { USERNAME: username, PASSWORD: password },
          }),
        );
        // A challenge (a new password, MFA) is a step this portal does not offer yet: no session.
        accessToken = out.ChallengeName ? undefined : out.AuthenticationResult?.AccessToken;
      } catch (error) {
        if (isRefusal(error)) return { ok: false };
        throw error;
      }
      if (!accessToken) return { ok: false };
      const claims = await verified(accessToken);
      if (!claims) return { ok: false };
      const principal = await principalOf(accessToken, claims);
      if (!principal) return { ok: false };
      const now = options.clock().getTime();
      remember(digest(accessToken), principal, now, claims.exp);
      return {
        ok: true,
        principal,
        token: accessToken,
        maxAgeSeconds: Math.max(0, Math.floor(claims.exp - now / 1000)),
      };
    },

    async resolve(token) {
      const claims = await verified(token);
      if (!claims) return undefined;
      const key = digest(token);
      const now = options.clock().getTime();
      const known = checked.get(key);
      if (known && known.until > now) return known.principal;
      const principal = await principalOf(token, claims);
      remember(key, principal, now, claims.exp);
      return principal;
    },

    async signOut(token) {
      checked.delete(digest(token));
      try {
        // Revokes this user's access and refresh tokens: every container's GetUser now refuses it.
        await options.cognito.send(new GlobalSignOutCommand({ AccessToken: token }));
      } catch (error) {
        if (!isRefusal(error)) throw error;
      }
    },
  };
}
