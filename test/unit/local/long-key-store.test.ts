import { describe, expect, it } from 'vitest';
import { fittedSegment, MAX_SEGMENT_BYTES } from '../../../lib/local/long-key-store.ts';

describe('key segments on the stand-in’s disk', () => {
  it('keeps a segment that fits, and fits a longer one under its head and a hash of the whole', () => {
    // Prepare
    const fits = 'x'.repeat(MAX_SEGMENT_BYTES);
    const long = `${'发改委'.repeat(80)}.xlsx`;
    const other = `${'发改委'.repeat(80)}.xlsm`;

    // Act
    const fitted = fittedSegment(long);

    // Assess
    expect(fittedSegment(fits)).toBe(fits);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(MAX_SEGMENT_BYTES);
    expect(fitted).toMatch(/^[发改委]+~[0-9a-f]{16}$/);
    expect(fittedSegment(long)).toBe(fitted);
    expect(fittedSegment(other)).not.toBe(fitted);
  });
});
