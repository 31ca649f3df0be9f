import { GetPublicKeyCommand, type KMSClient, SignCommand } from '@aws-sdk/client-kms';
import type { LinkSignature } from '../../core/archive/chain.ts';
import { type PublicKeyInfo, publicKeyInfo } from '../../core/archive/signature.ts';
import { ConfigError } from '../../core/errors.ts';
import type { ArchiveSigner } from '../../use-cases/ports/archive-chain.ts';

/**
 * The AWS signing key: an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY). The private key
 * never leaves KMS; only the bulletin function may call kms:Sign, auditors call
 * kms:GetPublicKey and check every signature themselves. KMS hashes the statement with
 * SHA-256 (MessageType RAW) and returns a DER-encoded ECDSA signature, which node:crypto
 * verifies as is (core/archive/signature.ts).
 */

const KEY_SPEC = 'ECC_NIST_P256';
const ALGORITHM = 'ECDSA_SHA_256';

export class KmsSigner implements ArchiveSigner {
  private key: Promise<PublicKeyInfo> | undefined;

  constructor(
    private readonly client: KMSClient,
    private readonly keyId: string,
  ) {}

  async sign(statement: string): Promise<LinkSignature> {
    const key = await this.publicKey();
    const out = await this.client.send(
      new SignCommand({
        KeyId: this.keyId,
        Message: Buffer.from(statement, 'utf8'),
        MessageType: 'RAW',
        SigningAlgorithm: ALGORITHM,
      }),
    );
    if (!out.Signature) throw new ConfigError(`KMS returned no signature for key ${this.keyId}`);
    return {
      algorithm: 'ecdsa-p256-sha256',
      keyFingerprint: key.fingerprint,
      value: Buffer.from(out.Signature).toString('base64'),
      ...(key.keyRef ? { keyRef: key.keyRef } : {}),
    };
  }

  /** Asked once per process: a key's public half never changes. */
  publicKey(): Promise<PublicKeyInfo> {
    this.key ??= this.fetchPublicKey();
    // A failed fetch (throttled, denied) is not remembered: the next call asks again.
    this.key.catch(() => {
      this.key = undefined;
    });
    return this.key;
  }

  private async fetchPublicKey(): Promise<PublicKeyInfo> {
    const out = await this.client.send(new GetPublicKeyCommand({ KeyId: this.keyId }));
    if (out.KeySpec !== KEY_SPEC || !out.SigningAlgorithms?.includes(ALGORITHM) || !out.PublicKey) {
      throw new ConfigError(
        `KMS key ${this.keyId} must be ${KEY_SPEC} for SIGN_VERIFY with ${ALGORITHM}; it is ${out.KeySpec ?? 'unknown'} (${out.KeyUsage ?? 'unknown usage'})`,
      );
    }
    return publicKeyInfo(out.PublicKey, out.KeyId ?? this.keyId);
  }
}
