import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutToBytes, LIMITS, utf8Bytes } from '../../../functions/shared/limits.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** A limit as the README writes it: bytes in MiB/KiB, counts with thousands separators. */
function shown(name: string, value: number): string {
  if (/Bytes$/.test(name) && value % MiB === 0) return `${value / MiB} MiB`;
  if (/Bytes$/.test(name) && value >= KiB && value % KiB === 0) return `${value / KiB} KiB`;
  return value.toLocaleString('en');
}

/** `name` → value text of each row of the README's "Limits" table. */
function readmeLimits(): Map<string, string> {
  const readme = readFileSync(path.join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Limits\n'));
  const table = section.slice(0, section.indexOf('\n## ', 1));
  const rows = [...table.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)];
  return new Map(rows.map((m) => [m[1] as string, (m[2] as string).trim()]));
}

describe('limits', () => {
  it('are stated in the README, every one and nothing else, with the values the code uses', () => {
    // Act
    const documented = readmeLimits();

    // Assess
    const expected = new Map(Object.entries(LIMITS).map(([name, value]) => [name, shown(name, value)]));
    expect(documented).toEqual(expected);
  });

  it('count UTF-8 bytes as S3 and DynamoDB do, and cut without splitting a character', () => {
    // Prepare
    const text = 'ab报送😷';

    // Act / Assess
    expect(utf8Bytes(text)).toBe(Buffer.byteLength(text));
    expect(cutToBytes(text, 5)).toBe('ab报');
    expect(cutToBytes(text, 11)).toBe('ab报送');
    expect(cutToBytes(text, 12)).toBe(text);
  });
});
