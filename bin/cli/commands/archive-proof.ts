import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { DirectoryObjectStore } from '../../../functions/adapters/directory-object-store.ts';
import { publicKeyFile } from '../../../functions/adapters/signing/archive-signer.ts';
import { manifestSchema } from '../../../functions/core/bulletin/manifest.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { parseStoredJson } from '../../../functions/core/stored-record.ts';
import { MANIFEST_FILE } from '../../../functions/shared/resources.ts';
import { keys } from '../../../functions/shared/storage-keys.ts';
import { initChain } from '../../../functions/use-cases/archive/init-chain.ts';
import {
  type ArchiveVerification,
  verifyArchive,
} from '../../../functions/use-cases/archive/verify-archive.ts';
import { composeCli } from '../compose-cli.ts';
import { parsePeriodOption } from '../options.ts';
import { runCommand } from '../run-command.ts';
import { checkNames, writeInside } from '../safe-output.ts';

/**
 * The archive's proof for auditors: `verify` (online, or `--offline` on a downloaded copy
 * with the public key), `pubkey` (the key to keep and publish), `export` (a whole copy to
 * verify offline years later) and `chain --init` (link an archive that predates the chain).
 */

/** The public key's file name inside an export. */
export const PUBLIC_KEY_FILE = 'archive-public-key.pem';

function verificationText(v: ArchiveVerification): string {
  return [...v.summary, ...v.findings.map((f) => f.line), ...v.notes].join('\n');
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * A downloaded copy: the layout of `archive export` (bulletins/…, raw/…), or one version
 * folder as `archive get` writes it (manifest.json at the top), read where it lies in the
 * archive.
 */
async function offlineVerification(dir: string, pubkey: string | undefined, period: string | undefined) {
  if (!(await exists(dir))) throw new UsageError(`--offline ${dir}: no such directory`);
  const single = path.join(dir, MANIFEST_FILE);
  let store: DirectoryObjectStore;
  let partialChain = false;
  if (await exists(single)) {
    const m = parseStoredJson(manifestSchema, await readFile(single, 'utf8'), single);
    store = new DirectoryObjectStore(dir, keys.bulletinFolder(m.period, m.version));
    partialChain = true;
  } else {
    store = new DirectoryObjectStore(dir);
  }
  const keyFile = pubkey ?? path.join(dir, PUBLIC_KEY_FILE);
  const notes = pubkey
    ? []
    : [
        `note: the public key came with the copy (${keyFile}); compare its fingerprint with the one your office published (duban archive pubkey), or pass --pubkey`,
      ];
  const result = await verifyArchive(
    {
      objects: store,
      archiveBucket: 'copy',
      uploadsBucket: 'copy',
      key: publicKeyFile(keyFile),
      partialChain,
    },
    { period },
  );
  return { ...result, notes: [...result.notes, ...notes] };
}

export function registerProof(archive: Command): void {
  archive
    .command('verify')
    .description(
      'prove the archive: walk the signed hash chain, check every manifest, file and raw upload, the audit log, and on AWS object versions and locks; exit 1 with one line per finding',
    )
    .option('--period <YYYY-MM>', 'only the files of this month (the chain is always walked whole)')
    .option(
      '--offline <dir>',
      'verify a downloaded copy (archive export, or one version from archive get) without any store',
    )
    .option('--pubkey <file>', `with --offline: the archive's public key (default: <dir>/${PUBLIC_KEY_FILE})`)
    .action(async (opts: { period?: string; offline?: string; pubkey?: string }, command: Command) => {
      const { offline, pubkey } = opts;
      await runCommand(
        command,
        async () => {
          const period = opts.period === undefined ? undefined : parsePeriodOption(opts.period);
          if (pubkey && !offline) throw new UsageError('--pubkey goes with --offline <dir>');
          const v = offline
            ? await offlineVerification(offline, pubkey, period)
            : await composeCli().verify({ period });
          return { json: v, text: verificationText(v), exitCode: v.ok ? 0 : 1 };
        },
        offline ? {} : { storage: 'existing' },
      );
    });

  archive
    .command('pubkey')
    .description("print the archive's public signing key (PEM) and its fingerprint, to keep and publish")
    .option('--out <file>', 'also write the PEM to this file')
    .action(async (opts: { out?: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const key = await composeCli().archiveSigner().publicKey();
          const file = opts.out
            ? await writeInside(path.dirname(opts.out), path.basename(opts.out), key.pem)
            : undefined;
          return {
            json: { ...key, ...(file ? { file } : {}) },
            text: `${key.pem.trimEnd()}\n${key.algorithm} sha256 fingerprint ${key.fingerprint}${key.keyRef ? `\nKMS key ${key.keyRef}` : ''}${file ? `\nwritten to ${file}` : ''}`,
          };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('export')
    .description(
      `copy the whole archive (bulletins/, raw/ and ${PUBLIC_KEY_FILE}) into a directory, as stored, for \`archive verify --offline\``,
    )
    .requiredOption('--out <dir>', 'directory to write the copy into')
    .action(async (opts: { out: string }, command: Command) => {
      await runCommand(
        command,
        async () => {
          const cli = composeCli();
          const { archiveBucket, uploadsBucket } = cli.config;
          const sources = [
            ...(await cli.objects.list(archiveBucket, keys.prefix.bulletins)).map((o) => ({
              bucket: archiveBucket,
              key: o.key,
            })),
            ...(await cli.objects.list(uploadsBucket, keys.prefix.raw)).map((o) => ({
              bucket: uploadsBucket,
              key: o.key,
            })),
          ];
          checkNames(sources.map((s) => s.key));
          for (const s of sources) await writeInside(opts.out, s.key, await cli.objects.get(s.bucket, s.key));
          const key = await cli.archiveKey.publicKey().catch(() => undefined);
          if (key) await writeInside(opts.out, PUBLIC_KEY_FILE, key.pem);
          return {
            json: { out: opts.out, objects: sources.length, publicKey: key?.fingerprint ?? null },
            text: `${sources.length} object(s) → ${opts.out}${key ? `\n${PUBLIC_KEY_FILE}: ${key.algorithm} ${key.fingerprint}` : ''}\nverify it with: duban archive verify --offline ${opts.out} --pubkey <the key you published>`,
          };
        },
        { storage: 'existing' },
      );
    });

  archive
    .command('chain')
    .description('the hash chain: --init links, once, the bulletins issued before the chain existed')
    .option(
      '--init',
      'link every archived version issued before the chain, in issue order, after checking each',
    )
    .action(async (opts: { init?: boolean }, command: Command) => {
      await runCommand(
        command,
        async () => {
          if (!opts.init) throw new UsageError('say what to do: duban archive chain --init');
          const cli = composeCli();
          const result = await initChain({
            chain: cli.stores.chain,
            archive: cli.archive,
            signer: cli.archiveSigner(),
            clock: cli.clock,
            audit: cli.stores.audit,
            ledger: cli.stores.ledger,
            actor: 'duban archive chain --init',
          });
          const lines = result.linked.map(
            (l) => `#${l.seq}  ${l.period} v${l.version}  manifest ${l.manifestSha256}  (legacy)`,
          );
          return {
            json: result,
            text:
              result.linked.length === 0
                ? 'no archived bulletins to link: the chain starts with the next bulletin'
                : [`linked ${result.linked.length} version(s) issued before the chain:`, ...lines].join('\n'),
          };
        },
        { storage: 'existing' },
      );
    });
}
