import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/resources.ts';
import { bulletinSignerRoleName } from '../../lib/constructs/archive-signing-key.ts';
import type { DeployConfig } from '../../lib/deploy-config.ts';
import { sharedSynth } from './support/synth-app.ts';
import {
  actionsOf,
  allowedPairs,
  flatten,
  logicalIds,
  onlyLogicalId,
  properties,
  type Statement,
} from './support/template-queries.ts';

let stateful: Template;
let stateless: Template;
let config: DeployConfig;

beforeAll(() => {
  const synthesized = sharedSynth();
  stateful = synthesized.stateful;
  stateless = synthesized.stateless;
  config = synthesized.config;
});

const keyId = () => onlyLogicalId(stateful, 'AWS::KMS::Key', 'ArchiveSigning');
/** The key's ARN as the stateless stack imports it, flattened. */
const importedKey = /^<import:.*ArchiveSigning.*>$/;
const signs = (action: string) => action === 'kms:Sign' || action === 'kms:*' || action === '*';

describe("the archive's signing key", () => {
  it('is an ECC_NIST_P256 SIGN_VERIFY key in the stateful stack, kept when the stack goes', () => {
    // Act
    const resource = stateful.toJSON().Resources[keyId()];

    // Assess
    expect(resource.Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(logicalIds(stateless, 'AWS::KMS::Key')).toEqual([]);
    stateful.hasOutput('ArchiveSigningKeyArn', { Value: { 'Fn::GetAtt': [keyId(), 'Arn'] } });
  });

  it("denies kms:Sign in the key policy to every principal but the bulletin function's role", () => {
    // Prepare
    const policy = properties(stateful, keyId()).KeyPolicy as { Statement: Statement[] };
    const bulletinRole = onlyLogicalId(stateless, 'AWS::IAM::Role', 'BulletinFunctionRole');

    // Act
    const deny = policy.Statement.find((s) => s.Sid === 'OnlyTheBulletinFunctionSigns');
    const allowsSignToOthers = policy.Statement.filter(
      (s) => s.Effect === 'Allow' && actionsOf(s).some((a) => a === 'kms:Sign'),
    );

    // Assess
    expect(deny).toMatchObject({ Effect: 'Deny', Action: 'kms:Sign', Principal: { AWS: '*' } });
    const exempt = flatten(deny?.Condition?.ArnNotEquals?.['aws:PrincipalArn']);
    expect(exempt).toMatch(new RegExp(`:iam::123456789012:role/${bulletinSignerRoleName(config.stage)}$`));
    expect(properties(stateless, bulletinRole).RoleName).toBe(bulletinSignerRoleName(config.stage));
    expect(allowsSignToOthers).toEqual([]);
  });

  it('lets the bulletin function sign and read the public key, and no other role of either stack sign', () => {
    // Prepare
    const bulletinRole = onlyLogicalId(stateless, 'AWS::IAM::Role', 'BulletinFunctionRole');
    const roles = [
      ...logicalIds(stateful, 'AWS::IAM::Role').map((id) => [stateful, id] as const),
      ...logicalIds(stateless, 'AWS::IAM::Role').map((id) => [stateless, id] as const),
    ];

    // Act
    const signers = roles
      .filter(([template, id]) => allowedPairs(template, id).some(([action]) => signs(action)))
      .map(([, id]) => id);
    const kms = allowedPairs(stateless, bulletinRole).filter(([action]) => action.startsWith('kms:'));

    // Assess
    expect(signers).toEqual([bulletinRole]);
    expect(kms.map(([action]) => action).sort()).toEqual(['kms:GetPublicKey', 'kms:Sign']);
    expect(kms.every(([, resource]) => importedKey.test(resource))).toBe(true);
  });

  it('lets the auditor role verify and read the public key, nothing more of the key', () => {
    // Prepare
    const auditor = onlyLogicalId(stateful, 'AWS::IAM::Role', 'AccessAuditor');

    // Act
    const kms = allowedPairs(stateful, auditor).filter(([action]) => action.startsWith('kms:'));

    // Assess
    expect(kms.sort()).toEqual([
      ['kms:GetPublicKey', `<${keyId()}.Arn>`],
      ['kms:Verify', `<${keyId()}.Arn>`],
    ]);
  });

  it("lets the portal's auditor page read the public key, object versions and locks, and change none", () => {
    // Prepare
    const portal = onlyLogicalId(stateless, 'AWS::IAM::Role', 'PortalFunctionRole');

    // Act
    const pairs = allowedPairs(stateless, portal);
    const kms = pairs.filter(([action]) => action.startsWith('kms:'));
    const history = pairs
      .filter(([action]) => action === 's3:ListBucketVersions' || action === 's3:GetObjectRetention')
      .map(([action, r]) => [
        action,
        r
          .replace(/<import:.*StorageUploads.*>/, '<uploads>')
          .replace(/<import:.*StorageArchive.*>/, '<archive>'),
      ]);

    // Assess
    expect(kms).toEqual([['kms:GetPublicKey', expect.stringMatching(importedKey)]]);
    expect(history.sort()).toEqual([
      ['s3:GetObjectRetention', '<archive>/bulletins/*'],
      ['s3:GetObjectRetention', '<uploads>/raw/*'],
      ['s3:ListBucketVersions', '<archive>'],
      ['s3:ListBucketVersions', '<uploads>'],
    ]);
    expect(
      pairs.some(([action]) => /^s3:(PutObject(Retention|LegalHold)|BypassGovernance)/.test(action)),
    ).toBe(false);
  });

  it.each(['IngestFunction', 'BulletinFunction', 'BulletinCheckFunction', 'PortalFunction'])(
    '%s is told the key and the retention term through the config variables',
    (prefix) => {
      // Act
      const fn = onlyLogicalId(stateless, 'AWS::Lambda::Function', prefix);
      const vars = (properties(stateless, fn).Environment as { Variables: Record<string, unknown> })
        .Variables;

      // Assess
      expect(flatten(vars[ENV.signingKeyId])).toMatch(importedKey);
      expect(vars[ENV.retentionYears]).toBe(String(config.archiveRetentionYears));
      expect(vars[ENV.signingKeyFile]).toBeUndefined();
    },
  );
});
