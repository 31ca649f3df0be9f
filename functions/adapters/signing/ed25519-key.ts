import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
  sign,
} from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LinkSignature } from '../../core/archive/chain.ts';
import { type PublicKeyInfo, publicKeyInfo } from '../../core/archive/signature.ts';
import { ConfigError, DubanError } from '../../core/errors.ts';
import type { ArchiveSigner } from '../../use-cases/ports/archive-chain.ts';

/**
 * The local signing key: Ed25519, kept as a PKCS#8 PEM file in the data directory (readable
 * by its owner only) and made the first time something signs or asks for the public key.
 * Whoever can read the data directory can sign, so locally the signature proves only what
 * the key file's protection proves (docs/audit.md); on AWS the key never leaves KMS.
 */

export class SigningKeyMissingError extends DubanError {
  override readonly name: string = 'SigningKeyMissingError';
}

export class Ed25519Signer implements ArchiveSigner {
  private readonly info: PublicKeyInfo;

  constructor(private readonly privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') {
      throw new ConfigError(`the local signing key must be Ed25519, not ${privateKey.asymmetricKeyType}`);
    }
    this.info = publicKeyInfo(createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString());
  }

  /** A fresh key in memory (tests, benchmarks). */
  static generate(): Ed25519Signer {
    return new Ed25519Signer(generateKeyPairSync('ed25519').privateKey);
  }

  async sign(statement: string): Promise<LinkSignature> {
    const value = sign(null, Buffer.from(statement, 'utf8'), this.privateKey).toString('base64');
    return { algorithm: 'ed25519', keyFingerprint: this.info.fingerprint, value };
  }

  async publicKey(): Promise<PublicKeyInfo> {
    return this.info;
  }
}

async function readKey(file: string): Promise<KeyObject | undefined> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw new ConfigError(`${file} is not a private key: ${(error as Error).message}`);
  }
}

/**
 * Writes a new key without ever exposing a half-written file: to a temporary name, then a
 * hard link to the real name, which fails if another process made the key first. The temporary
 * name is random: two creators in one process within one millisecond must not share it.
 */
async function createKey(file: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const temp = `${file}.${randomUUID()}.tmp`;
  await writeFile(temp, pem, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

/** The signer of a key file; `create` makes the key when there is none yet. */
export async function keyFileSigner(file: string, options: { create: boolean }): Promise<Ed25519Signer> {
  let key = await readKey(file);
  if (!key && options.create) {
    await createKey(file);
    key = await readKey(file);
  }
  if (!key) {
    throw new SigningKeyMissingError(
      `签名密钥不存在 / the archive's signing key ${file} does not exist: without it the chain cannot be checked here; verify a copy with \`duban archive verify --offline <dir> --pubkey <file>\``,
    );
  }
  return new Ed25519Signer(key);
}
