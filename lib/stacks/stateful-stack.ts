import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { AccessRoles } from '../constructs/access-roles.ts';
import { ArchiveSigningKey } from '../constructs/archive-signing-key.ts';
import { PortalUsers } from '../constructs/portal-users.ts';
import { Storage } from '../constructs/storage.ts';
import type { DeployConfig } from '../deploy-config.ts';

export interface StatefulStackProps extends StackProps {
  readonly config: Pick<DeployConfig, 'archiveRetentionYears' | 'departments' | 'stage'>;
}

/**
 * What must outlive any code change: the table, the buckets and the roles people use to
 * reach them. Deployed rarely; everything here is retained on stack deletion.
 */
export class StatefulStack extends Stack {
  readonly storage: Storage;
  readonly access: AccessRoles;
  readonly users: PortalUsers;
  readonly signingKey: ArchiveSigningKey;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    this.storage = new Storage(this, 'Storage', {
      archiveRetentionYears: props.config.archiveRetentionYears,
    });
    this.access = new AccessRoles(this, 'Access', {
      uploads: this.storage.uploads,
      archive: this.storage.archive,
      table: this.storage.table,
      departments: props.config.departments,
    });

    // The key that signs the archive's chain outlives any code, like the archive it vouches for.
    this.signingKey = new ArchiveSigningKey(this, 'ArchiveSigning', { stage: props.config.stage });
    this.signingKey.grantVerify(this.access.auditor);

    this.users = new PortalUsers(this, 'PortalUsers', { departments: props.config.departments });

    // What people need after a deploy (docs/deploy.md): where to upload, whom to assume.
    const output = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    output(
      'UploadsBucketName',
      this.storage.uploads.bucketName,
      'Departments upload to incoming/<dept>/<YYYY-MM>/',
    );
    output('ArchiveBucketName', this.storage.archive.bucketName, 'Bulletins: bulletins/<YYYY>/<MM>/v<N>/');
    output('TableName', this.storage.table.tableName, 'Submissions, bulletins and the audit log');
    output('AuditorRoleArn', this.access.auditor.roleArn, 'Read-only: archive, raw/ and the audit log');
    output(
      'ArchiveSigningKeyArn',
      this.signingKey.key.keyArn,
      'Signs the archive chain (DUBAN_SIGNING_KEY_ID for `duban archive verify --aws`)',
    );
    output('LeaderRoleArn', this.access.leader.roleArn, 'Read-only: bulletins/');
    output(
      'UserPoolId',
      this.users.userPool.userPoolId,
      'Portal accounts: DUBAN_USER_POOL_ID for `duban users … --aws`',
    );
    output('UserPoolClientId', this.users.client.userPoolClientId, "The portal's app client");
    for (const [dept, role] of this.access.departmentRoles) {
      output(`DepartmentRoleArn${dept.replace(/[^A-Za-z0-9]/g, '')}`, role.roleArn, `Uploads of ${dept}`);
    }
  }
}
