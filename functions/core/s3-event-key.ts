/**
 * S3 event notifications carry object keys URL-encoded, with spaces as '+'. Ingest decodes
 * them; the local stand-in (which sends keys raw) encodes them the same way AWS does.
 */
export function encodeEventKey(key: string): string {
  return key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%20/g, '+'))
    .join('/');
}

export function decodeEventKey(key: string): string {
  return decodeURIComponent(key.replace(/\+/g, ' '));
}

/** ETags compare without their quotes: S3 events carry them bare, S3 responses quoted. */
export function bareEtag(etag: string | undefined | null): string | undefined {
  return etag?.replace(/"/g, '') || undefined;
}
