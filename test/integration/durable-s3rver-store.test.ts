import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { makePutsDurable } from '../../lib/local/durable-s3rver-store.ts';

const require = createRequire(import.meta.url);
// s3rver's own store, as the stand-in uses it.
const FilesystemStore = require('s3rver/lib/stores/filesystem') as new (
  dir: string,
) => {
  putBucket(name: string): Promise<unknown>;
  putObject(o: object): Promise<{ size: number; md5: string }>;
  getResourcePath(bucket: string, key: string, kind: 'object'): string;
};

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function durableStore() {
  const dir = await mkdtemp(path.join(tmpdir(), 'duban-s3rver-store-'));
  dirs.push(dir);
  const server = { store: new FilesystemStore(dir) };
  makePutsDurable(server);
  await server.store.putBucket('b');
  return server.store;
}

describe('makePutsDurable', () => {
  // 64 MB: s3rver's own putObject answers with a fraction of this on disk (8 MB here).
  const body = Buffer.alloc(64 * 1024 * 1024, 7);

  it.each([
    ['a buffer', () => body],
    ['a stream', () => Readable.from([body.subarray(0, body.length / 2), body.subarray(body.length / 2)])],
  ])('has every byte on disk when the put of %s resolves', async (_, content) => {
    // Prepare
    const store = await durableStore();

    // Act
    const result = await store.putObject({ bucket: 'b', key: 'k', metadata: {}, content: content() });
    const onDisk = await stat(store.getResourcePath('b', 'k', 'object'));

    // Assess
    expect(result.size).toBe(body.length);
    expect(onDisk.size).toBe(body.length);
    expect(result.md5).toMatch(/^[0-9a-f]{32}$/);
  });
});
