import { MANIFEST_FILE, SEAL_FILE } from '../../shared/resources.ts';

/**
 * A file name inside a version folder, as a manifest may list it: a relative path of plain
 * segments (letters, digits, dot, dash, underscore; no segment made of dots), at most three
 * deep. Anything else — `..`, an absolute path, a backslash, a drive letter, a control
 * character — is refused rather than cleaned up: a manifest duban wrote never contains one,
 * so such a name is a forgery, and a download must not be steered by it.
 */
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const MAX_DEPTH = 3;

export function unsafeNameReason(name: string): string | undefined {
  if (name.length === 0) return 'empty name';
  if (name.length > 255) return 'longer than 255 characters';
  const segments = name.split('/');
  if (segments.length > MAX_DEPTH) return `more than ${MAX_DEPTH} levels deep`;
  for (const segment of segments) {
    if (segment === '') return 'an empty segment (absolute path or //)';
    if (/^\.+$/.test(segment)) return `a "${segment}" segment`;
    if (!SEGMENT.test(segment)) return `the segment "${segment}" has characters outside A-Z a-z 0-9 . _ -`;
  }
  if (name === MANIFEST_FILE || name === SEAL_FILE)
    return `${name} is the version's own record, not a file of it`;
  return undefined;
}

export function isSafeName(name: string): boolean {
  return unsafeNameReason(name) === undefined;
}
