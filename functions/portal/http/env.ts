import type { Context, Hono } from 'hono';
import type { Principal } from '../../core/portal/principal.ts';
import type { PortalDeps } from '../ports.ts';
import type { Views } from '../views/render.ts';

export interface PortalEnv {
  Variables: {
    principal: Principal | undefined;
    sessionToken: string | undefined;
  };
}

export type PortalContext = Context<PortalEnv>;

/** What each group of routes is registered with. */
export interface RouteKit {
  readonly app: Hono<PortalEnv>;
  readonly deps: PortalDeps;
  readonly views: Views;
}

/** The logged-in principal of a route whose access check already ran. */
export function principalOf(c: PortalContext): Principal {
  const principal = c.get('principal');
  if (!principal) throw new Error('route reached without a principal: its access check is missing');
  return principal;
}
