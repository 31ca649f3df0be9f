import { describe, expect, it } from 'vitest';
import { NotFoundError, UsageError } from '../../../functions/core/errors.ts';
import { rawFileName, resolveShaPrefix } from '../../../functions/core/raw-uploads.ts';
import type { Submission } from '../../../functions/core/submission.ts';

const a = `abcdef012345${'0'.repeat(52)}`;
const b = `abcdef012345${'1'.repeat(52)}`;
const c = `123456789abc${'2'.repeat(52)}`;

describe('resolveShaPrefix', () => {
  it('resolves a full hash and a unique prefix, case-insensitively', () => {
    // Act
    const full = resolveShaPrefix(a, [a, b, c]);
    const prefix = resolveShaPrefix('123456789ABC', [a, b, c]);

    // Assess
    expect(full).toBe(a);
    expect(prefix).toBe(c);
  });

  it('refuses short, non-hex and ambiguous prefixes as usage, and an unknown one as not found', () => {
    // Act
    const attempt = (input: string) => {
      try {
        return resolveShaPrefix(input, [a, b, c]);
      } catch (error) {
        return error;
      }
    };

    // Assess
    expect(attempt('abcdef01234')).toBeInstanceOf(UsageError);
    expect(attempt('abcdef01234z')).toBeInstanceOf(UsageError);
    expect(attempt('abcdef012345')).toBeInstanceOf(UsageError);
    expect((attempt('abcdef012345') as Error).message).toContain('matches 2 uploads');
    expect(attempt('ffffffffffff')).toBeInstanceOf(NotFoundError);
  });
});

describe('rawFileName', () => {
  it('names a submitted original after its department, period and version, else after its hash', () => {
    // Prepare
    const sub = { dept: 'fgw', period: '2023-06', version: 2 } as Submission;

    // Act
    const named = rawFileName(a, 'xlsx', sub);
    const bare = rawFileName(a, 'xlsx');

    // Assess
    expect(named).toBe('fgw-2023-06-v2-abcdef012345.xlsx');
    expect(bare).toBe('abcdef012345.xlsx');
  });
});
