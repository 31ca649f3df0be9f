import { createHash } from 'node:crypto';

/** Hex sha256 of bytes or UTF-8 text: how every archived object and manifest is named and checked. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
