import * as z from 'zod/mini';
import { type ManifestChain, manifestChainSchema } from '../archive/chain.ts';
import { nonNegativeInt, positiveInt } from '../stored-record.ts';

/**
 * The manifest written last into each archived bulletin version: what the version holds (each
 * file's key, sha256 and size), what it was built from, and what it says. An auditor checks
 * the archive against it years later; a reader of the archive parses it, never casts it.
 */

export const MANIFEST_SCHEMA = 'duban-bulletin-manifest/2';
/** Manifests written before the hash chain: no chain position, no sources. */
export const LEGACY_MANIFEST_SCHEMA = 'duban-bulletin-manifest/1';

export interface ManifestFile {
  readonly name: string;
  readonly key: string;
  readonly sha256: string;
  readonly size: number;
  readonly contentType: string;
}

/** The original upload behind a submission version: its sha256 and where raw/ keeps it. */
export interface ManifestSource {
  readonly sha256: string;
  readonly key: string;
}

export interface BulletinManifest {
  readonly schema: typeof MANIFEST_SCHEMA | typeof LEGACY_MANIFEST_SCHEMA;
  readonly period: string;
  readonly version: number;
  readonly folder: string;
  readonly title: string;
  readonly generatedAt: string;
  readonly generatorVersion: string;
  readonly catalog: { readonly year: number; readonly version: number; readonly contentHash: string };
  /** period → dept → submission version the bulletin was built from. */
  readonly submissionVersions: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly inputsHash: string;
  /** The version this one supersedes (what its corrections are measured against). */
  readonly previousVersion: number | null;
  readonly statusCounts: Readonly<Record<string, number>>;
  readonly headline: readonly string[];
  /** Place in the archive's hash chain (schema /2). */
  readonly chain?: ManifestChain;
  /**
   * period → dept → the original upload of the submission version named in
   * submissionVersions (schema /2): the signed chain thereby vouches for the raw uploads too.
   */
  readonly sources?: Readonly<Record<string, Readonly<Record<string, ManifestSource>>>>;
  readonly files: readonly ManifestFile[];
}

/** What the bulletin run decides; the archive adds the schema, the folder and the files. */
export type ManifestContent = Omit<BulletinManifest, 'schema' | 'folder' | 'files'>;

export const manifestSchema = z.object({
  schema: z.enum([MANIFEST_SCHEMA, LEGACY_MANIFEST_SCHEMA]),
  period: z.string(),
  version: positiveInt(),
  folder: z.string(),
  title: z.string(),
  generatedAt: z.string(),
  generatorVersion: z.string(),
  catalog: z.object({ year: z.number(), version: positiveInt(), contentHash: z.string() }),
  submissionVersions: z.record(z.string(), z.record(z.string(), positiveInt())),
  inputsHash: z.string(),
  previousVersion: z.nullable(positiveInt()),
  statusCounts: z.record(z.string(), nonNegativeInt()),
  headline: z.array(z.string()),
  chain: z.optional(manifestChainSchema),
  sources: z.optional(
    z.record(
      z.string(),
      z.record(
        z.string(),
        z.object({ sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)), key: z.string() }),
      ),
    ),
  ),
  files: z.array(
    z.object({
      name: z.string(),
      key: z.string(),
      sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
      size: nonNegativeInt(),
      contentType: z.string(),
    }),
  ),
});
