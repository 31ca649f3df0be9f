import { fileURLToPath } from 'node:url';
import { ENV } from '../shared/resources.ts';

/**
 * Where templates/ (catalogs, bulletin HTML/CSS) lives. In Lambda the bundle is one file, so
 * a path relative to this module leads nowhere: the stack copies templates/ into the bundle
 * and names it in DUBAN_TEMPLATES_DIR. Locally the source tree is right where it is.
 */
export function templatesRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env[ENV.templatesDir]?.trim() || fileURLToPath(new URL('../../templates', import.meta.url));
}
