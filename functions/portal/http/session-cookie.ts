import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';

/**
 * The session cookie: HttpOnly, SameSite=Strict, Path=/, and Secure with the __Host- prefix
 * whenever the portal is reached over HTTPS (or told it is, behind a TLS proxy). Over plain
 * http on the loopback (`duban serve`) browsers refuse Secure cookies, so the plain name is
 * used there.
 */
const PLAIN = 'duban_session';
const HOST_ONLY = '__Host-duban_session';

export function isSecure(c: Context, forceSecure: boolean): boolean {
  return forceSecure || new URL(c.req.url).protocol === 'https:';
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, HOST_ONLY) ?? getCookie(c, PLAIN);
}

export function writeSessionCookie(c: Context, token: string, maxAgeSeconds: number, secure: boolean): void {
  setCookie(c, secure ? HOST_ONLY : PLAIN, token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure,
    path: '/',
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, secure ? HOST_ONLY : PLAIN, { path: '/', secure, httpOnly: true, sameSite: 'Strict' });
}
