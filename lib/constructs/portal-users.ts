import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AccountRecovery,
  CfnUserPoolGroup,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolClient,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { GROUP_PREFIX_DEPARTMENT, ROLES } from '../../functions/core/portal/principal.ts';
import { acknowledge } from './nag-acknowledgements.ts';

export interface PortalUsersProps {
  /** Department ids whose `department:<id>` group exists from the first deploy. */
  readonly departments: readonly string[];
}

/** How long a portal login lasts: a working day, like the local portal's 12 h at most. */
export const SESSION_HOURS = 8;
export const PASSWORD_MIN_LENGTH = 12;

/**
 * The portal's accounts: a Cognito user pool nobody can sign up to (an admin creates every
 * account: the portal's admin page or `duban users add --aws`), one app client for the
 * portal Lambda's server-side login (USER_PASSWORD_AUTH, no client secret, no OAuth), and
 * the role groups `leader`, `auditor`, `admin` and `department:<id>` for each configured
 * department (a department added later gets its group when its first user is added).
 *
 * Stateful: the pool holds the accounts and is retained (and deletion-protected) when the
 * stack goes.
 */
export class PortalUsers extends Construct {
  readonly userPool: UserPool;
  readonly client: UserPoolClient;
  readonly groups: readonly string[];

  constructor(scope: Construct, id: string, props: PortalUsersProps) {
    super(scope, id);
    this.userPool = new UserPool(this, 'Pool', {
      selfSignUpEnabled: false,
      signInCaseSensitive: false,
      signInAliases: { username: true },
      standardAttributes: { fullname: { required: false, mutable: true } },
      passwordPolicy: {
        minLength: PASSWORD_MIN_LENGTH,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // Essentials: free up to 10,000 monthly active users (a district has a few dozen).
      featurePlan: FeaturePlan.ESSENTIALS,
      mfa: Mfa.OFF,
      // No e-mail or phone on the accounts: the statistics office resets a forgotten password.
      accountRecovery: AccountRecovery.NONE,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.userPool,
      'AwsSolutions-COG2',
      'No MFA yet: the portal logs in server-side with USER_PASSWORD_AUTH and has no second-factor step; accounts are created only by the statistics office, passwords need 12 characters of four kinds, and Cognito locks out repeated failures. docs/deploy.md lists MFA as the next step.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG8',
      'The Plus plan is what threat protection needs (COG3 above); at US$0.02 per monthly active user with no free tier it is left for a deployment that asks for it. Essentials is free up to 10,000 monthly active users.',
    );
    acknowledge(
      this.userPool,
      'AwsSolutions-COG3',
      'Threat protection (the Plus plan) costs US$0.02 per monthly active user with no free tier, more than the whole deployment at a district scale; the portal limits failed logins per user and per address, and Cognito applies its own lockout. docs/deploy.md says how to turn it on.',
    );

    this.client = this.userPool.addClient('Portal', {
      authFlows: { userPassword: true },
      generateSecret: false,
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.hours(SESSION_HOURS),
      idTokenValidity: Duration.hours(SESSION_HOURS),
      refreshTokenValidity: Duration.hours(SESSION_HOURS + 1),
    });

    const roleGroups = ROLES.filter((r) => r !== 'department');
    const departmentGroups = props.departments.map((d) => `${GROUP_PREFIX_DEPARTMENT}${d}`);
    this.groups = [...roleGroups, ...departmentGroups];
    for (const group of this.groups) {
      new CfnUserPoolGroup(this, `Group-${group.replace(/[^A-Za-z0-9-]/g, '-')}`, {
        userPoolId: this.userPool.userPoolId,
        groupName: group,
        description: `duban portal role ${group}`,
      });
    }
  }
}
