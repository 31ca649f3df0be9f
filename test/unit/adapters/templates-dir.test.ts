import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templatesRoot } from '../../../functions/adapters/templates-dir.ts';

describe('templatesRoot', () => {
  it('is the source tree templates/ locally', () => {
    // Act
    const root = templatesRoot({});

    // Assess
    expect(existsSync(path.join(root, 'catalogs', 'jiefang-2023.yaml'))).toBe(true);
    expect(existsSync(path.join(root, 'bulletin', 'print.css'))).toBe(true);
  });

  it('follows DUBAN_TEMPLATES_DIR where the Lambda bundle puts it', () => {
    expect(templatesRoot({ DUBAN_TEMPLATES_DIR: '/var/task/templates' })).toBe('/var/task/templates');
  });
});
