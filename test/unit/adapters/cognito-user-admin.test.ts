import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  GroupExistsException,
  InvalidPasswordException,
  ListGroupsCommand,
  ListUsersCommand,
  ListUsersInGroupCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createCognitoUserAdmin } from '../../../functions/adapters/portal/cognito-user-admin.ts';
import type { AuditEvent } from '../../../functions/core/audit-event.ts';
import { NotFoundError } from '../../../functions/core/errors.ts';
import { UserExistsError, UserRejectedError } from '../../../functions/core/portal/principal.ts';
import type { AuditLog } from '../../../functions/use-cases/ports/storage.ts';

const POOL = 'cn-north-1_TestPool1';
const NOW = new Date('2024-01-05T08:00:00Z');
const CREATED = new Date('2024-01-05T08:00:01Z');
const cognito = mockClient(CognitoIdentityProviderClient);
let events: AuditEvent[];

function admin() {
  const audit: AuditLog = {
    append: async (event) => {
      events.push(event);
      return true;
    },
    list: async () => events,
  };
  return createCognitoUserAdmin({
    cognito: new CognitoIdentityProviderClient({ region: 'cn-north-1' }),
    userPoolId: POOL,
    audit,
    clock: () => NOW,
  });
}

const CLERK = {
  username: 'fgw-clerk',
  role: 'department',
  dept: 'fgw',
  name: '发改委填报员',
  password: 'Str0ng-Passw0rd!',
} as const;

beforeEach(() => {
  cognito.reset();
  events = [];
  cognito.on(CreateGroupCommand).resolves({});
  cognito
    .on(AdminCreateUserCommand)
    .resolves({ User: { Username: CLERK.username, UserCreateDate: CREATED } });
  cognito.on(AdminSetUserPasswordCommand).resolves({});
  cognito.on(AdminAddUserToGroupCommand).resolves({});
  cognito.on(AdminDeleteUserCommand).resolves({});
});

describe('Cognito user admin', () => {
  it('creates the user without an invitation, with a permanent password, the name and the role group, and audits it', async () => {
    // Act
    const user = await admin().add(CLERK, 'admin');

    // Assess
    expect(user).toEqual({
      username: 'fgw-clerk',
      role: 'department',
      dept: 'fgw',
      name: '发改委填报员',
      disabled: false,
      createdAt: CREATED.toISOString(),
      updatedAt: CREATED.toISOString(),
    });
    expect(cognito.commandCalls(CreateGroupCommand)[0]?.args[0].input).toMatchObject({
      UserPoolId: POOL,
      GroupName: 'department:fgw',
    });
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'fgw-clerk',
      UserAttributes: [{ Name: 'name', Value: '发改委填报员' }],
      MessageAction: 'SUPPRESS',
    });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'fgw-clerk',
      Password: CLERK.password,
      Permanent: true,
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'fgw-clerk',
      GroupName: 'department:fgw',
    });
    expect(events.map((e) => [e.action, e.actor, e.detail])).toEqual([
      ['user.added', 'admin', { username: 'fgw-clerk', role: 'department', userDept: 'fgw' }],
    ]);
  });

  it('uses a group that already exists (configured at deploy) as it is', async () => {
    // Prepare
    cognito.on(CreateGroupCommand).rejects(new GroupExistsException({ message: 'exists', $metadata: {} }));

    // Act
    const user = await admin().add({ ...CLERK, username: 'leader', role: 'leader', dept: null }, 'admin');

    // Assess
    expect(user.role).toBe('leader');
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]?.args[0].input.GroupName).toBe('leader');
  });

  it('deletes the half-made user and names the policy when Cognito refuses the password', async () => {
    // Prepare
    cognito
      .on(AdminSetUserPasswordCommand)
      .rejects(
        new InvalidPasswordException({ message: 'Password must have symbol characters', $metadata: {} }),
      );

    // Act
    const adding = admin().add({ ...CLERK, password: 'onlylowercase12' }, 'admin');

    // Assess
    await expect(adding).rejects.toThrow(UserRejectedError);
    await expect(adding).rejects.toThrow(/密码.*symbol characters/);
    expect(cognito.commandCalls(AdminDeleteUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'fgw-clerk',
    });
    expect(events).toEqual([]);
  });

  it('refuses a username that exists and leaves it alone', async () => {
    // Prepare
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'exists', $metadata: {} }));

    // Act
    const adding = admin().add(CLERK, 'admin');

    // Assess
    await expect(adding).rejects.toThrow(UserExistsError);
    expect(cognito.commandCalls(AdminDeleteUserCommand)).toHaveLength(0);
  });

  it('checks the fields before calling Cognito at all', async () => {
    // Act
    const adding = admin().add({ ...CLERK, dept: null }, 'admin');

    // Assess
    await expect(adding).rejects.toThrow(/--dept/);
    expect(cognito.calls()).toHaveLength(0);
  });

  it('disables a user and revokes their tokens, and audits it with the actor', async () => {
    // Prepare
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'fgw-clerk',
      Enabled: true,
      UserAttributes: [{ Name: 'name', Value: '发改委填报员' }],
      UserCreateDate: CREATED,
    });
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'department:fgw' }] });
    cognito.on(AdminDisableUserCommand).resolves({});
    cognito.on(AdminUserGlobalSignOutCommand).resolves({});

    // Act
    const user = await admin().disable('fgw-clerk', 'admin');

    // Assess
    expect(user).toMatchObject({
      username: 'fgw-clerk',
      dept: 'fgw',
      disabled: true,
      updatedAt: NOW.toISOString(),
    });
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(1);
    expect(cognito.commandCalls(AdminUserGlobalSignOutCommand)[0]?.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'fgw-clerk',
    });
    expect(events.map((e) => e.action)).toEqual(['user.disabled']);
  });

  it('refuses to disable the acting admin, and says so for a user that does not exist', async () => {
    // Prepare
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: 'no', $metadata: {} }));

    // Act
    const self = admin().disable('admin', 'admin');
    const missing = admin().disable('nobody', 'admin');

    // Assess
    await expect(self).rejects.toThrow(UserRejectedError);
    await expect(missing).rejects.toThrow(NotFoundError);
    expect(cognito.commandCalls(AdminDisableUserCommand)).toHaveLength(0);
  });

  it('lists users with the role their one group grants, by username', async () => {
    // Prepare
    cognito
      .on(ListGroupsCommand)
      .resolves({ Groups: [{ GroupName: 'leader' }, { GroupName: 'department:fgw' }] });
    cognito
      .on(ListUsersInGroupCommand, { GroupName: 'leader' })
      .resolves({ Users: [{ Username: 'leader' }] });
    cognito
      .on(ListUsersInGroupCommand, { GroupName: 'department:fgw' })
      .resolves({ Users: [{ Username: 'fgw-clerk' }] });
    cognito.on(ListUsersCommand).resolves({
      Users: [
        {
          Username: 'leader',
          Enabled: true,
          UserCreateDate: CREATED,
          Attributes: [{ Name: 'name', Value: '区领导' }],
        },
        { Username: 'fgw-clerk', Enabled: false, UserCreateDate: CREATED },
        { Username: 'orphan', Enabled: true, UserCreateDate: CREATED },
      ],
    });

    // Act
    const users = await admin().list();

    // Assess
    expect(users.map((u) => [u.username, u.role, u.dept, u.name, u.disabled])).toEqual([
      ['fgw-clerk', 'department', 'fgw', 'fgw-clerk', true],
      ['leader', 'leader', null, '区领导', false],
    ]);
  });
});
