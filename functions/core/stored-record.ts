import * as z from 'zod/mini';
import { CorruptRecordError } from './errors.ts';

/**
 * What duban reads back from storage is parsed, never cast: a record that does not match its
 * schema is a CorruptRecordError naming the record's key and the first fields that are wrong.
 * zod/mini keeps the schemas small enough for the ingest bundle.
 */
export function parseStored<T>(schema: z.ZodMiniType<T>, value: unknown, key: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const fields = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(record)'}: ${issue.message}`)
    .join('; ');
  throw new CorruptRecordError(key, fields);
}

/** JSON text (an S3 object's body) parsed against a schema. */
export function parseStoredJson<T>(schema: z.ZodMiniType<T>, text: string, key: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CorruptRecordError(key, 'not JSON');
  }
  return parseStored(schema, value, key);
}

export const nonNegativeInt = () => z.number().check(z.int(), z.gte(0));
export const positiveInt = () => z.number().check(z.int(), z.gte(1));
