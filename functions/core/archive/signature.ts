import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { LinkSignature, SignatureAlgorithm } from './chain.ts';

/**
 * Checking a link's signature needs only the public key and the statement: no key service,
 * no network, the same code online and on a downloaded copy. Both key kinds duban signs
 * with are covered: Ed25519 (the local key) and ECDSA P-256 with SHA-256 (the AWS KMS key,
 * whose signatures are DER-encoded).
 */

export interface PublicKeyInfo {
  readonly algorithm: SignatureAlgorithm;
  /** sha256 of the DER SubjectPublicKeyInfo, hex. */
  readonly fingerprint: string;
  /** SubjectPublicKeyInfo as PEM: what `duban archive pubkey` prints and auditors keep. */
  readonly pem: string;
  /** The KMS key ARN on AWS. */
  readonly keyRef?: string;
}

export class PublicKeyError extends Error {
  override readonly name: string = 'PublicKeyError';
}

/** The algorithm duban signs with for a key, or an error naming what the key is instead. */
function algorithmOf(key: KeyObject): SignatureAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') {
    return 'ecdsa-p256-sha256';
  }
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw new PublicKeyError(
    `a ${key.asymmetricKeyType}${curve ? ` (${curve})` : ''} key cannot have signed the archive: duban signs with Ed25519 or ECDSA P-256`,
  );
}

/** A public key from PEM or DER (SubjectPublicKeyInfo), described the way seals name keys. */
export function publicKeyInfo(key: string | Uint8Array, keyRef?: string): PublicKeyInfo {
  let object: KeyObject;
  try {
    object =
      typeof key === 'string'
        ? createPublicKey(key)
        : createPublicKey({ key: Buffer.from(key), format: 'der', type: 'spki' });
  } catch (error) {
    throw new PublicKeyError(`not a public key: ${(error as Error).message}`);
  }
  const der = object.export({ format: 'der', type: 'spki' });
  return {
    algorithm: algorithmOf(object),
    fingerprint: createHash('sha256').update(der).digest('hex'),
    pem: object.export({ format: 'pem', type: 'spki' }).toString(),
    ...(keyRef ? { keyRef } : {}),
  };
}

export type SignatureVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'other-key' | 'algorithm' | 'invalid' };

/** Whether `signature` is the given key's signature over `statement`. */
export function checkSignature(
  statement: string,
  signature: LinkSignature,
  key: PublicKeyInfo,
): SignatureVerdict {
  if (signature.keyFingerprint !== key.fingerprint) return { ok: false, reason: 'other-key' };
  if (signature.algorithm !== key.algorithm) return { ok: false, reason: 'algorithm' };
  const data = Buffer.from(statement, 'utf8');
  const value = Buffer.from(signature.value, 'base64');
  let valid = false;
  try {
    valid =
      key.algorithm === 'ed25519'
        ? verify(null, data, key.pem, value)
        : verify('sha256', data, { key: key.pem, dsaEncoding: 'der' }, value);
  } catch {
    // A malformed signature (wrong length, bad DER) is as invalid as a wrong one.
    valid = false;
  }
  return valid ? { ok: true } : { ok: false, reason: 'invalid' };
}
