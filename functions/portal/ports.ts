import type { Context } from 'hono';
import type { PortalData, SessionAuthority, UploadGateway } from '../use-cases/ports/portal.ts';

/**
 * What `createPortalApp` needs: the ports (functions/use-cases/ports/portal.ts) and the
 * settings. Local mode (`duban serve`) and AWS (Lambda behind API Gateway) each wire one
 * implementation of every port in one composition function; the app never knows which it
 * runs on. Contracts in docs/portal.md.
 */
export type * from '../use-cases/ports/portal.ts';

export interface PortalSettings {
  /** Largest upload accepted (bytes); bigger requests get 413 before the body is read. */
  readonly maxUploadBytes: number;
  /** How long an upload request waits for its receipt before answering 202. */
  readonly receiptWaitMs: number;
  /** Mark the cookie Secure even when the request URL is http (behind a TLS-terminating proxy). */
  readonly secureCookies: boolean;
  /** Origins allowed to post to the app besides its own (e.g. a custom domain in front of API Gateway). */
  readonly trustedOrigins: readonly string[];
  /** Directory of templates/ (views and assets); the source tree's when omitted. */
  readonly templatesDir?: string;
  /** Shown in the page header, e.g. 解放区. */
  readonly district?: string;
}

export interface PortalDeps {
  readonly sessions: SessionAuthority;
  /**
   * The client's address for the failed-login limit: the socket's peer locally
   * (@hono/node-server getConnInfo), the API Gateway source IP on Lambda (hono/aws-lambda).
   * Never a header the client writes.
   */
  readonly clientAddress: (c: Context) => string;
  readonly uploads: UploadGateway;
  readonly data: PortalData;
  /** The one clock of the portal (Beijing time is derived from it for display). */
  readonly clock: () => Date;
  readonly settings: PortalSettings;
}
