import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { errors } from './api-error.ts';

/**
 * Headers on every answer: a CSP that allows scripts, styles, fonts and images from the
 * app itself only (no inline script, no eval), forms that post to the app or to the upload
 * bucket, no framing; nosniff; Referrer-Policy same-origin. HSTS only over HTTPS.
 */
export function securityHeaders(formOrigins: readonly string[]): MiddlewareHandler {
  const uploadTargets = formOrigins.length > 0 ? formOrigins : [];
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'"],
      connectSrc: ["'self'", ...uploadTargets],
      formAction: ["'self'", ...uploadTargets],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    xFrameOptions: 'DENY',
    referrerPolicy: 'same-origin',
    xContentTypeOptions: 'nosniff',
    crossOriginOpenerPolicy: 'same-origin',
    crossOriginResourcePolicy: 'same-origin',
    crossOriginEmbedderPolicy: false,
    strictTransportSecurity: false,
    originAgentCluster: '?1',
    xDnsPrefetchControl: 'off',
    xDownloadOptions: 'noopen',
    xPermittedCrossDomainPolicies: 'none',
    xXssProtection: '0',
    permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
  });
  return async (c, next) => {
    await headers(c, next);
    if (new URL(c.req.url).protocol === 'https:') {
      c.res.headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    }
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF guard for every state-changing request: a browser always sends Origin (and
 * Sec-Fetch-Site) on a POST or DELETE, so one from another origin is refused before any
 * handler runs. A request with neither header comes from a non-browser client (curl, a
 * script), which cannot ride a victim's cookie; it still needs a valid session.
 * SameSite=Strict on the session cookie is the second layer.
 */
export function sameOriginOnly(trustedOrigins: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    const own = new URL(c.req.url).origin;
    if (origin !== undefined) {
      if (origin !== own && !trustedOrigins.includes(origin)) throw errors.crossOrigin();
    } else {
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') throw errors.crossOrigin();
    }
    return next();
  };
}
