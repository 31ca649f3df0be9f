import type { ChainLink, LinkReservation, LinkSeal, LinkSignature } from '../../core/archive/chain.ts';
import type { PublicKeyInfo } from '../../core/archive/signature.ts';

/**
 * Ports of the archive's proof: the chain in the ledger, the key that signs its links, and
 * (on AWS) the object versions and locks behind the current objects.
 */

/** The hash chain as the ledger keeps it (core/archive/chain.ts). */
export interface ChainLedger {
  /** Every link, oldest first, each with its seal once it has one. */
  links(): Promise<ChainLink[]>;
  /** Takes sequence number `seq`; throws VersionConflictError when another run took it first. */
  reserve(reservation: LinkReservation): Promise<void>;
  /** Records the seal unless the link has one; returns the seal the ledger keeps (the first one). */
  seal(seal: LinkSeal): Promise<LinkSeal>;
}

/** Where the public key comes from: the key service on AWS, the key file locally, a file offline. */
export interface ArchiveKey {
  publicKey(): Promise<PublicKeyInfo>;
}

/** Signs link statements. Only the bulletin run holds one. */
export interface ArchiveSigner extends ArchiveKey {
  sign(statement: string): Promise<LinkSignature>;
}

export interface ObjectVersionInfo {
  readonly key: string;
  readonly versionId: string;
  readonly isLatest: boolean;
  readonly isDeleteMarker: boolean;
  readonly lastModified?: Date;
}

export interface ObjectRetention {
  readonly mode?: string;
  readonly retainUntil?: Date;
}

/**
 * What a versioned, locked bucket knows beyond its current objects. Only AWS has it; the
 * local stand-in keeps neither versions nor locks, so verify runs without it there.
 */
export interface ObjectHistory {
  /** Every version and delete marker under the prefix. */
  versions(bucket: string, prefix: string): Promise<ObjectVersionInfo[]>;
  /** The Object Lock retention of one object version; undefined when it has none. */
  retention(bucket: string, key: string, versionId: string): Promise<ObjectRetention | undefined>;
}
