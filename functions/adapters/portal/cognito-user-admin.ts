import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  type AdminGetUserCommandOutput,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
  CreateGroupCommand,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { NotFoundError } from '../../core/errors.ts';
import {
  GROUP_PREFIX_DEPARTMENT,
  type Principal,
  principalFromGroups,
  UserExistsError,
  UserRejectedError,
  validatePassword,
  validatePrincipal,
} from '../../core/portal/principal.ts';
import type { UserSummary } from '../../core/portal/users.ts';
import type { NewUser, UserAdmin } from '../../use-cases/ports/portal.ts';
import type { AuditLog } from '../../use-cases/ports/storage.ts';
import { recordUserChange } from './user-audit.ts';

/**
 * Portal accounts on AWS: the Cognito user pool (the admin page and `duban users … --aws`).
 * A user is created with the password the admin gives as a permanent one (no e-mail, no
 * forced change: the portal has no new-password step), its display name in the `name`
 * attribute and its role as one group: `department:<id>`, `leader`, `auditor` or `admin`.
 * A department's group is created on first use, so a department added to the catalog needs
 * no redeploy. A failed step after AdminCreateUser deletes the half-made user: nothing partial
 * stays. Disabling also signs the user out everywhere (their tokens are revoked).
 */
export interface CognitoUserAdminOptions {
  readonly cognito: CognitoIdentityProviderClient;
  readonly userPoolId: string;
  readonly audit: AuditLog;
  readonly clock: () => Date;
}

/** The group that grants a principal its role. */
export function groupOf(principal: Pick<Principal, 'role' | 'dept'>): string {
  return principal.role === 'department' ? `${GROUP_PREFIX_DEPARTMENT}${principal.dept}` : principal.role;
}

function attribute(attributes: readonly AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value;
}

function summary(
  username: string,
  fields: {
    attributes?: readonly AttributeType[];
    groups: readonly string[];
    enabled?: boolean;
    created?: Date;
    modified?: Date;
  },
): UserSummary | undefined {
  const principal = principalFromGroups(username, attribute(fields.attributes, 'name'), fields.groups);
  if (!principal) return undefined;
  return {
    ...principal,
    disabled: fields.enabled === false,
    createdAt: (fields.created ?? new Date(0)).toISOString(),
    updatedAt: (fields.modified ?? fields.created ?? new Date(0)).toISOString(),
  };
}

const isError = (error: unknown, name: string) => error instanceof Error && error.name === name;

export function createCognitoUserAdmin(options: CognitoUserAdminOptions): UserAdmin {
  const { cognito, userPoolId } = options;

  async function groupsOf(username: string): Promise<string[]> {
    const groups: string[] = [];
    let token: string | undefined;
    do {
      const out = await cognito.send(
        new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, NextToken: token }),
      );
      groups.push(...(out.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])));
      token = out.NextToken;
    } while (token);
    return groups;
  }

  async function ensureGroup(name: string): Promise<void> {
    try {
      await cognito.send(
        new CreateGroupCommand({
          UserPoolId: userPoolId,
          GroupName: name,
          Description: `duban portal role ${name}`,
        }),
      );
    } catch (error) {
      if (!isError(error, 'GroupExistsException')) throw error;
    }
  }

  /** Undoes AdminCreateUser when a later step fails, then reports the first failure. */
  async function rollback(username: string, cause: unknown): Promise<never> {
    await cognito.send(new AdminDeleteUserCommand({ UserPoolId: userPoolId, Username: username }));
    if (
      isError(cause, 'InvalidPasswordException') ||
      isError(cause, 'PasswordHistoryPolicyViolationException')
    ) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new UserRejectedError(
        `密码不符合用户池的密码规则(至少 12 位,含大小写字母、数字和符号) / the password does not meet the user pool's policy: ${detail}`,
      );
    }
    throw cause;
  }

  return {
    async list() {
      const memberships = new Map<string, string[]>();
      let groupToken: string | undefined;
      const groupNames: string[] = [];
      do {
        const out = await cognito.send(
          new ListGroupsCommand({ UserPoolId: userPoolId, NextToken: groupToken }),
        );
        groupNames.push(...(out.Groups ?? []).flatMap((g) => (g.GroupName ? [g.GroupName] : [])));
        groupToken = out.NextToken;
      } while (groupToken);
      for (const group of groupNames) {
        let token: string | undefined;
        do {
          const out = await cognito.send(
            new ListUsersInGroupCommand({ UserPoolId: userPoolId, GroupName: group, NextToken: token }),
          );
          for (const u of out.Users ?? []) {
            if (u.Username) memberships.set(u.Username, [...(memberships.get(u.Username) ?? []), group]);
          }
          token = out.NextToken;
        } while (token);
      }
      const users: UserSummary[] = [];
      let token: string | undefined;
      do {
        const out = await cognito.send(
          new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: token }),
        );
        for (const u of out.Users ?? []) {
          if (!u.Username) continue;
          const made = summary(u.Username, {
            attributes: u.Attributes,
            groups: memberships.get(u.Username) ?? [],
            enabled: u.Enabled,
            created: u.UserCreateDate,
            modified: u.UserLastModifiedDate,
          });
          // An account with no role (or two) cannot log in; the console is where it gets fixed.
          if (made) users.push(made);
        }
        token = out.PaginationToken;
      } while (token);
      return users.sort((a, b) => a.username.localeCompare(b.username));
    },

    async add(input: NewUser, actor: string) {
      const principal = validatePrincipal(input);
      validatePassword(input.password);
      const group = groupOf(principal);
      await ensureGroup(group);
      let created: Date | undefined;
      try {
        const out = await cognito.send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: principal.username,
            UserAttributes: [{ Name: 'name', Value: principal.name }],
            // The admin hands the password over; Cognito sends no invitation mail.
            MessageAction: 'SUPPRESS',
          }),
        );
        created = out.User?.UserCreateDate;
      } catch (error) {
        if (isError(error, 'UsernameExistsException')) throw new UserExistsError(principal.username);
        throw error;
      }
      try {
        await cognito.send(
          new AdminSetUserPasswordCommand({
            UserPoolId: userPoolId,
            Username: principal.username,
            Password: input.password,
            Permanent: true,
          }),
        );
        await cognito.send(
          new AdminAddUserToGroupCommand({
            UserPoolId: userPoolId,
            Username: principal.username,
            GroupName: group,
          }),
        );
      } catch (error) {
        await rollback(principal.username, error);
      }
      const now = options.clock();
      const user: UserSummary = {
        ...principal,
        disabled: false,
        createdAt: (created ?? now).toISOString(),
        updatedAt: (created ?? now).toISOString(),
      };
      await recordUserChange(options.audit, 'user.added', user, actor, now);
      return user;
    },

    async disable(username: string, actor: string) {
      if (username === actor)
        throw new UserRejectedError('不能停用自己的账号 / you cannot disable your own account');
      let got: AdminGetUserCommandOutput;
      try {
        got = await cognito.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
      } catch (error) {
        if (isError(error, 'UserNotFoundException'))
          throw new NotFoundError(`没有用户「${username}」 / no user "${username}"`);
        throw error;
      }
      const groups = await groupsOf(username);
      const before = summary(username, {
        attributes: got.UserAttributes,
        groups,
        enabled: got.Enabled,
        created: got.UserCreateDate,
        modified: got.UserLastModifiedDate,
      });
      if (!before)
        throw new NotFoundError(`用户「${username}」没有门户角色 / user "${username}" has no portal role`);
      if (before.disabled) return before;
      await cognito.send(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }));
      // Tokens already issued stop working: GetUser refuses them (see cognito-sessions.ts).
      await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: userPoolId, Username: username }));
      const now = options.clock();
      const after: UserSummary = { ...before, disabled: true, updatedAt: now.toISOString() };
      await recordUserChange(options.audit, 'user.disabled', after, actor, now);
      return after;
    },
  };
}
