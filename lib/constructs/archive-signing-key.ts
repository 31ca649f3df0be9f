import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AnyPrincipal, Effect, type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Key, KeySpec, KeyUsage } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What the bulletin function calls to sign a chain link (KmsSigner reads the public key too). */
export const SIGN_ACTIONS = ['kms:Sign', 'kms:GetPublicKey'] as const;
/** What an auditor needs: the public key, and KMS's own check of a signature if they want it. */
export const VERIFY_ACTIONS = ['kms:Verify', 'kms:GetPublicKey'] as const;

/**
 * The bulletin function's execution role has a fixed name so the key policy (in the stateful
 * stack) can name it without a reference to the stateless stack, which may be destroyed and
 * redeployed at any time. The stage keeps two stages in one account apart.
 */
export function bulletinSignerRoleName(stage: string): string {
  return `Duban-${stage}-BulletinSigner`;
}

export interface ArchiveSigningKeyProps {
  readonly stage: string;
}

/**
 * The archive's signing key: an asymmetric KMS key (ECC_NIST_P256, SIGN_VERIFY) whose private
 * half never leaves KMS. It lives with the data it vouches for: deleting it would leave every
 * signed link unverifiable by KMS (the public key in each export still verifies them), so it is
 * retained on stack deletion.
 *
 * Only the bulletin function may sign. IAM alone cannot promise that (an administrator's
 * `kms:*` on `*` would do), so the key policy denies kms:Sign to every principal but the
 * bulletin function's role, whatever their IAM policies say; changing that is a key-policy
 * change CloudTrail records.
 */
export class ArchiveSigningKey extends Construct {
  readonly key: Key;
  /** The one principal the key policy lets sign. */
  readonly signerRoleArn: string;

  constructor(scope: Construct, id: string, props: ArchiveSigningKeyProps) {
    super(scope, id);
    this.signerRoleArn = Stack.of(this).formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: bulletinSignerRoleName(props.stage),
    });
    this.key = new Key(this, 'Key', {
      description: `duban (${props.stage}): signs the archive's hash chain links; only the bulletin function may sign`,
      keySpec: KeySpec.ECC_NIST_P256,
      keyUsage: KeyUsage.SIGN_VERIFY,
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheBulletinFunctionSigns',
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ['kms:Sign'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': this.signerRoleArn } },
      }),
    );
  }

  /** kms:Sign (and the public key): the bulletin function, and no one else. */
  grantSign(grantee: IGrantable): void {
    this.grant(grantee, SIGN_ACTIONS);
  }

  /** kms:Verify and kms:GetPublicKey: auditors. */
  grantVerify(grantee: IGrantable): void {
    this.grant(grantee, VERIFY_ACTIONS);
  }

  /** kms:GetPublicKey only: a verifier that checks signatures itself (the portal). */
  grantPublicKey(grantee: IGrantable): void {
    this.grant(grantee, ['kms:GetPublicKey']);
  }

  private grant(grantee: IGrantable, actions: readonly string[]): void {
    // On the principal, not in the key policy: the stateless stack's roles come and go.
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...actions], resources: [this.key.keyArn] }),
    );
  }
}
