import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { createStores } from '../../../functions/adapters/dynamo-stores.ts';
import { UsageError } from '../../../functions/core/errors.ts';
import { isRole, ROLE_ZH, ROLES } from '../../../functions/core/portal/principal.ts';
import type { UserSummary } from '../../../functions/core/portal/users.ts';
import { createLocalUserAdmin } from '../../../functions/portal/compose.ts';
import type { UserAdmin } from '../../../functions/use-cases/ports/portal.ts';
import { deptIdOf, deptYears } from '../dept-option.ts';
import { globalOptions, runCommand } from '../run-command.ts';

/** The whole of standard input, without the line ending a shell or `echo` adds. */
async function readPasswordFromStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new UsageError(
      '--password-stdin reads the password from a pipe, e.g. `printf %s "$PW" | npx duban users add …`',
    );
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * The accounts a command manages: the Cognito user pool with --aws (DUBAN_USER_POOL_ID from
 * the stack output UserPoolId), the table of the local store otherwise.
 */
async function userAdmin(command: Command): Promise<UserAdmin> {
  if (globalOptions(command).aws) {
    const { createCognitoAdminFromConfig } = await import('../../../functions/portal/compose-aws.ts');
    return createCognitoAdminFromConfig();
  }
  return createLocalUserAdmin(() => new Date());
}

function line(u: UserSummary): string {
  return `${u.username}\t${ROLE_ZH[u.role]}${u.dept ? `:${u.dept}` : ''}\t${u.name}\t${u.disabled ? '已停用 disabled' : '正常 active'}\t${u.createdAt}`;
}

/** `duban users add|list|disable`: the local portal's accounts (users in the table). */
export function register(program: Command): void {
  const users = program
    .command('users')
    .description(
      'portal accounts: the local store, or with --aws the Cognito user pool (DUBAN_USER_POOL_ID)',
    );

  users
    .command('add')
    .description('create a portal user; the password is read from standard input')
    .argument('<username>', 'login name: lower-case letters, digits, . _ -')
    .requiredOption('--role <role>', ROLES.join('|'))
    .option('--dept <id|name>', 'department id or name (department role only), e.g. fgw or 发改委')
    .option('--name <显示名>', 'display name')
    .option(
      '--password-stdin',
      'read the password from standard input (required: passwords never go on the command line)',
    )
    .action(
      async (
        username: string,
        opts: { role: string; dept?: string; name?: string; passwordStdin?: boolean },
        command: Command,
      ) => {
        await runCommand(
          command,
          async () => {
            if (!opts.passwordStdin)
              throw new UsageError('give the password on standard input with --password-stdin');
            if (!isRole(opts.role))
              throw new UsageError(`--role must be one of ${ROLES.join(', ')}, got "${opts.role}"`);
            // The department by id or name, as everywhere; with --aws the stack's table holds the catalogs.
            const dept = opts.dept
              ? await deptIdOf(createStores().catalogs, opts.dept, deptYears(undefined))
              : null;
            const password = await readPasswordFromStdin();
            const user = await (await userAdmin(command)).add(
              { username, role: opts.role, dept, name: opts.name ?? username, password },
              userInfo().username,
            );
            return { json: { ok: true, user }, text: `added ${line(user)}` };
          },
          { storage: 'create' },
        );
      },
    );

  users
    .command('list')
    .description('list portal users')
    .action(async (_opts: unknown, command: Command) => {
      await runCommand(
        command,
        async () => {
          const list = await (await userAdmin(command)).list();
          return {
            json: { users: list },
            text: list.length === 0 ? 'no portal users' : list.map(line).join('\n'),
          };
        },
        { storage: 'existing' },
      );
    });

  users
    .command('disable')
    .description('disable a portal user (their sessions end at once; the account and its history stay)')
    .argument('<username>')
    .action(async (username: string, _opts: unknown, command: Command) => {
      await runCommand(
        command,
        async () => {
          const user = await (await userAdmin(command)).disable(username, userInfo().username);
          return { json: { ok: true, user }, text: `disabled ${line(user)}` };
        },
        { storage: 'existing' },
      );
    });
}
