import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The rings, enforced: what each folder under functions/ may import. A rule broken here is
 * a design decision to argue about in review, not a lint to silence.
 */

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

interface Ring {
  /** Folder (project-relative, trailing slash) whose files the rule governs. */
  readonly folder: string;
  /** Project folders its files may import from; anything else under the project is refused. */
  readonly mayImport: readonly string[];
  /** Packages (or node: modules) its files must not import. */
  readonly forbiddenPackages?: RegExp;
  /** Reading the clock: core and use cases take `now` from their caller. */
  readonly noClock?: boolean;
}

const IO_PACKAGES =
  /^(?:@aws-sdk\/|@aws-lambda-powertools\/|node:(?:fs|child_process|net|http|https)\b|fs\b|puppeteer|@sparticuz\/|exceljs|nodemailer|dynalite|s3rver)/;

const RINGS: readonly Ring[] = [
  { folder: 'functions/shared/', mayImport: ['functions/shared/'] },
  {
    folder: 'functions/core/',
    mayImport: ['functions/core/', 'functions/shared/'],
    forbiddenPackages: IO_PACKAGES,
    noClock: true,
  },
  // Use cases see the domain and the ports they declare, never an adapter.
  {
    folder: 'functions/use-cases/',
    mayImport: ['functions/use-cases/', 'functions/core/', 'functions/shared/'],
    forbiddenPackages: IO_PACKAGES,
    noClock: true,
  },
  // Adapters implement ports; they do not call use cases.
  {
    folder: 'functions/adapters/',
    mayImport: ['functions/adapters/', 'functions/use-cases/ports/', 'functions/core/', 'functions/shared/'],
  },
  // Lambda code (handlers and their composition) never reaches into the CDK folder or the CLI.
  { folder: 'functions/', mayImport: ['functions/', 'package.json'] },
];

interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly rule: string;
}

const SPECIFIER =
  /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module a source file names in import/export statements and dynamic imports. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(SPECIFIER)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (spec) found.push(spec);
  }
  return found;
}

function ringOf(file: string): Ring | undefined {
  // The most specific folder wins (functions/core/ before functions/).
  return RINGS.filter((r) => file.startsWith(r.folder)).sort((a, b) => b.folder.length - a.folder.length)[0];
}

/** The rule each import of `file` (project-relative path) breaks, if any. */
function violations(file: string, source: string): Violation[] {
  const ring = ringOf(file);
  if (!ring) return [];
  const out: Violation[] = [];
  for (const spec of importsOf(source)) {
    if (spec.startsWith('.')) {
      const target = relative(ROOT, resolve(ROOT, dirname(file), spec));
      if (!ring.mayImport.some((allowed) => target === allowed || target.startsWith(allowed))) {
        out.push({
          file,
          imports: target,
          rule: `${ring.folder} may import only ${ring.mayImport.join(', ')}`,
        });
      }
    } else if (ring.forbiddenPackages?.test(spec)) {
      out.push({ file, imports: spec, rule: `${ring.folder} does no I/O` });
    }
  }
  if (
    ring.noClock &&
    /\bDate\.now\(|new Date\(\s*\)/.test(source.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''))
  ) {
    out.push({ file, imports: 'the clock', rule: `${ring.folder} takes the time from its caller` });
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [path] : [];
  });
}

describe('import rules', () => {
  it('holds for every file under functions/', () => {
    // Prepare
    const files = sourceFiles('functions');

    // Act
    const found = files.flatMap((f) => violations(f, readFileSync(join(ROOT, f), 'utf8')));

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  it('reports Lambda code importing the CDK folder, statically or dynamically', () => {
    // Act
    const found = violations(
      'functions/adapters/config.ts',
      "import { TABLE } from '../../lib/resources.ts';\nconst m = await import('../../lib/stacks/x.ts');",
    );

    // Assess
    expect(found.map((v) => v.imports)).toEqual(['lib/resources.ts', 'lib/stacks/x.ts']);
  });

  it('reports core importing an adapter, an SDK or the clock', () => {
    // Act
    const found = violations(
      'functions/core/bulletin/x.ts',
      [
        "import type { Mailer } from '../../adapters/mailer.ts';",
        "import { S3Client } from '@aws-sdk/client-s3';",
        "import { readFile } from 'node:fs/promises';",
        'export const stamp = () => new Date();',
      ].join('\n'),
    );

    // Assess
    expect(found.map((v) => v.imports)).toEqual([
      'functions/adapters/mailer.ts',
      '@aws-sdk/client-s3',
      'node:fs/promises',
      'the clock',
    ]);
  });

  it('reports a use case importing an adapter, and an adapter calling a use case', () => {
    // Act
    const useCase = violations(
      'functions/use-cases/ingest/x.ts',
      "import { readWorkbook } from '../../adapters/workbook/workbook-reader.ts';",
    );
    const adapter = violations(
      'functions/adapters/x.ts',
      [
        "import type { ObjectStore } from '../use-cases/ports/storage.ts';",
        "import { ingestUpload } from '../use-cases/ingest/ingest-upload.ts';",
      ].join('\n'),
    );

    // Assess
    expect(useCase.map((v) => v.imports)).toEqual(['functions/adapters/workbook/workbook-reader.ts']);
    expect(adapter.map((v) => v.imports)).toEqual(['functions/use-cases/ingest/ingest-upload.ts']);
  });

  it('lets core import core and the shared resource definitions, and read a given date', () => {
    // Act
    const found = violations(
      'functions/core/ingest/x.ts',
      [
        "import { problem } from './problems.ts';",
        "import { keys } from '../../shared/storage-keys.ts';",
        "import { createHash } from 'node:crypto';",
        'export const at = (iso: string) => new Date(iso);',
      ].join('\n'),
    );

    // Assess
    expect(found).toEqual([]);
  });
});
