import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';

/**
 * Object-level S3 permissions limited to key prefixes, stated as plain statements so a
 * test (and a reviewer) can read exactly which prefixes a principal touches. The CDK
 * `grantRead`/`grantPut` helpers add bucket-wide `s3:List*`/`s3:Abort*` that duban does
 * not need.
 */
export function grantObjects(
  grantee: IGrantable,
  bucket: IBucket,
  access: 'read' | 'put',
  prefixes: readonly string[],
): void {
  const actions = access === 'read' ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:PutObject'];
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions,
      resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)),
    }),
  );
}

/**
 * ListBucket for a function that reads the bucket. Unconditioned on purpose: without it
 * S3 answers a HeadObject/GetObject of a missing key with 403 instead of 404, and the
 * adapters need "not there" to be distinguishable from "not allowed" (a HeadObject
 * carries no s3:prefix, so a prefix condition would not help).
 */
export function grantList(grantee: IGrantable, bucket: IBucket): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
  );
}
