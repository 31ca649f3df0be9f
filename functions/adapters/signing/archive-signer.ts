import { readFile } from 'node:fs/promises';
import type { LinkSignature } from '../../core/archive/chain.ts';
import { PublicKeyError, type PublicKeyInfo, publicKeyInfo } from '../../core/archive/signature.ts';
import { ConfigError, UsageError } from '../../core/errors.ts';
import { ENV } from '../../shared/resources.ts';
import type { ArchiveKey, ArchiveSigner } from '../../use-cases/ports/archive-chain.ts';
import { kmsClient } from '../aws-clients.ts';
import type { DubanConfig } from '../config.ts';
import { keyFileSigner } from './ed25519-key.ts';
import { KmsSigner } from './kms-signer.ts';

/**
 * The archive's key as the configuration names it: the KMS key on AWS
 * (DUBAN_SIGNING_KEY_ID), the Ed25519 key file locally (DUBAN_SIGNING_KEY_FILE, set by the
 * stand-ins to <data>/keys/archive-signing-key.pem). Nothing is read until it is used.
 */

function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => {
    loaded ??= load();
    loaded.catch(() => {
      loaded = undefined;
    });
    return loaded;
  };
}

function source(config: DubanConfig, create: boolean): () => Promise<ArchiveSigner> {
  const { signingKeyId, signingKeyFile } = config;
  if (signingKeyId) {
    const signer = new KmsSigner(kmsClient(), signingKeyId);
    return async () => signer;
  }
  if (signingKeyFile) return lazy(() => keyFileSigner(signingKeyFile, { create }));
  return async () => {
    throw new ConfigError(
      `no archive signing key is configured: set ${ENV.signingKeyId} (the KMS key, stack output ArchiveSigningKeyArn) or ${ENV.signingKeyFile}`,
    );
  };
}

/** What the bulletin run signs with; a local key is made on first use. */
export function createArchiveSigner(config: DubanConfig, options: { create?: boolean } = {}): ArchiveSigner {
  const load = source(config, options.create ?? true);
  return {
    sign: async (statement: string): Promise<LinkSignature> => (await load()).sign(statement),
    publicKey: async (): Promise<PublicKeyInfo> => (await load()).publicKey(),
  };
}

/** What verify checks against: the same key, never made here (a new key would prove nothing). */
export function createArchiveKey(config: DubanConfig): ArchiveKey {
  const load = source(config, false);
  return { publicKey: async () => (await load()).publicKey() };
}

/** A public key an auditor holds as a file (PEM), for verifying a downloaded copy. */
export function publicKeyFile(file: string): ArchiveKey {
  return {
    publicKey: lazy(async () => {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        throw new UsageError(`cannot read the public key ${file}: ${(error as Error).message}`);
      }
      try {
        return publicKeyInfo(text);
      } catch (error) {
        if (error instanceof PublicKeyError) throw new UsageError(`${file}: ${error.message}`);
        throw error;
      }
    }),
  };
}
