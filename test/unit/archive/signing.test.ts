import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetPublicKeyCommand, KMSClient, KMSServiceException, SignCommand } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Ed25519Signer,
  keyFileSigner,
  SigningKeyMissingError,
} from '../../../functions/adapters/signing/ed25519-key.ts';
import { KmsSigner } from '../../../functions/adapters/signing/kms-signer.ts';
import { linkStatement } from '../../../functions/core/archive/chain.ts';
import { checkSignature, PublicKeyError, publicKeyInfo } from '../../../functions/core/archive/signature.ts';
import { ConfigError } from '../../../functions/core/errors.ts';

const STATEMENT = linkStatement({
  district: 'default',
  seq: 3,
  prevSeq: 2,
  prevManifestSha256: 'a'.repeat(64),
  period: '2023-02',
  version: 2,
  manifestSha256: 'b'.repeat(64),
  inputsHash: 'c'.repeat(64),
  legacy: false,
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'duban-keys-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the link statement', () => {
  it('is one name: value line each, so openssl users can read what was signed', () => {
    // Assess
    expect(STATEMENT.split('\n')).toEqual([
      'duban-chain-link/1',
      'district: default',
      'seq: 3',
      'prev-seq: 2',
      `prev-manifest-sha256: ${'a'.repeat(64)}`,
      'period: 2023-02',
      'version: 2',
      `manifest-sha256: ${'b'.repeat(64)}`,
      `inputs-sha256: ${'c'.repeat(64)}`,
      'legacy: no',
      '',
    ]);
  });
});

describe('Ed25519 signing key (local)', () => {
  it('signs a statement that its public key verifies, and no altered statement', async () => {
    // Prepare
    const signer = Ed25519Signer.generate();
    const key = await signer.publicKey();

    // Act
    const signature = await signer.sign(STATEMENT);

    // Assess
    expect(signature).toMatchObject({ algorithm: 'ed25519', keyFingerprint: key.fingerprint });
    expect(checkSignature(STATEMENT, signature, key)).toEqual({ ok: true });
    expect(checkSignature(STATEMENT.replace('seq: 3', 'seq: 4'), signature, key)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('tells a signature by another key from a broken one', async () => {
    // Prepare
    const ours = await Ed25519Signer.generate().publicKey();
    const theirs = Ed25519Signer.generate();

    // Act
    const verdict = checkSignature(STATEMENT, await theirs.sign(STATEMENT), ours);
    const forgedFingerprint = checkSignature(
      STATEMENT,
      { ...(await theirs.sign(STATEMENT)), keyFingerprint: ours.fingerprint },
      ours,
    );

    // Assess
    expect(verdict).toEqual({ ok: false, reason: 'other-key' });
    expect(forgedFingerprint).toEqual({ ok: false, reason: 'invalid' });
  });

  it('makes the key file once, readable by its owner only, and signs with it after a restart', async () => {
    // Prepare
    const file = path.join(dir, 'keys', 'archive-signing-key.pem');

    // Act
    const [a, b] = await Promise.all([
      keyFileSigner(file, { create: true }),
      keyFileSigner(file, { create: true }),
    ]);
    const again = await keyFileSigner(file, { create: false });
    const signature = await again.sign(STATEMENT);

    // Assess
    expect((await a.publicKey()).fingerprint).toBe((await b.publicKey()).fingerprint);
    expect((await again.publicKey()).fingerprint).toBe((await a.publicKey()).fingerprint);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(checkSignature(STATEMENT, signature, await a.publicKey()).ok).toBe(true);
  });

  it('never makes a key for a reader: a missing key file is an error naming it', async () => {
    // Act
    const missing = keyFileSigner(path.join(dir, 'none.pem'), { create: false });

    // Assess
    await expect(missing).rejects.toBeInstanceOf(SigningKeyMissingError);
    await expect(missing).rejects.toThrow(/none\.pem/);
  });

  it('refuses a public key of a kind duban never signs with', () => {
    // Prepare
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      format: 'pem',
      type: 'spki',
    });

    // Act
    const read = () => publicKeyInfo(rsa.toString());

    // Assess
    expect(read).toThrow(PublicKeyError);
  });
});

describe('KMS signing key (AWS), through a mocked client', () => {
  // A real P-256 key stands in for the one inside KMS, so signatures are real ECDSA.
  const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = p256.publicKey.export({ format: 'der', type: 'spki' });
  const ARN = 'arn:aws:kms:cn-north-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  function mockedKms() {
    const client = new KMSClient({ region: 'cn-north-1' });
    const mock = mockClient(client);
    mock.on(GetPublicKeyCommand).resolves({
      KeyId: ARN,
      KeySpec: 'ECC_NIST_P256',
      KeyUsage: 'SIGN_VERIFY',
      SigningAlgorithms: ['ECDSA_SHA_256'],
      PublicKey: new Uint8Array(spki),
    });
    mock.on(SignCommand).callsFake((input: { Message: Uint8Array }) => ({
      KeyId: ARN,
      SigningAlgorithm: 'ECDSA_SHA_256',
      Signature: new Uint8Array(
        sign('sha256', Buffer.from(input.Message), { key: p256.privateKey, dsaEncoding: 'der' }),
      ),
    }));
    return { client, mock };
  }

  it('signs through kms:Sign (RAW message, ECDSA_SHA_256) and the public key verifies it offline', async () => {
    // Prepare
    const { client, mock } = mockedKms();
    const signer = new KmsSigner(client, 'alias/duban-archive');

    // Act
    const signature = await signer.sign(STATEMENT);
    const key = await signer.publicKey();

    // Assess
    expect(mock.commandCalls(SignCommand)[0]?.args[0].input).toMatchObject({
      KeyId: 'alias/duban-archive',
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(Buffer.from(mock.commandCalls(SignCommand)[0]?.args[0].input.Message ?? []).toString()).toBe(
      STATEMENT,
    );
    expect(signature).toMatchObject({
      algorithm: 'ecdsa-p256-sha256',
      keyRef: ARN,
      keyFingerprint: key.fingerprint,
    });
    expect(key.pem).toMatch(/BEGIN PUBLIC KEY/);
    expect(checkSignature(STATEMENT, signature, key)).toEqual({ ok: true });
    expect(checkSignature(`${STATEMENT}x`, signature, key).ok).toBe(false);
    expect(mock.commandCalls(GetPublicKeyCommand)).toHaveLength(1);
  });

  it('refuses a key that is not an ECC_NIST_P256 signing key, naming it', async () => {
    // Prepare
    const { client, mock } = mockedKms();
    mock.on(GetPublicKeyCommand).resolves({
      KeyId: ARN,
      KeySpec: 'RSA_2048',
      KeyUsage: 'SIGN_VERIFY',
      PublicKey: new Uint8Array(spki),
    });

    // Act
    const signed = new KmsSigner(client, ARN).sign(STATEMENT);

    // Assess
    await expect(signed).rejects.toBeInstanceOf(ConfigError);
    await expect(signed).rejects.toThrow(/ECC_NIST_P256.*RSA_2048/);
  });

  it('asks for the public key again after a failure instead of remembering it', async () => {
    // Prepare
    const { client, mock } = mockedKms();
    const denied = new KMSServiceException({
      name: 'AccessDeniedException',
      $fault: 'client',
      $metadata: {},
      message: 'denied',
    });
    mock
      .on(GetPublicKeyCommand)
      .rejectsOnce(denied)
      .resolves({
        KeyId: ARN,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: ['ECDSA_SHA_256'],
        PublicKey: new Uint8Array(spki),
      });
    const signer = new KmsSigner(client, ARN);

    // Act
    const first = await signer.publicKey().catch((e: unknown) => e);
    const second = await signer.publicKey();

    // Assess
    expect(first).toBe(denied);
    expect(second.algorithm).toBe('ecdsa-p256-sha256');
  });
});
