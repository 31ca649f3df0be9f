import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { NotFoundError } from '../../core/errors.ts';
import { ROLES, UserExistsError } from '../../core/portal/principal.ts';
import type { StoredUser, UserDirectory } from '../../core/portal/users.ts';
import { TABLE } from '../../shared/resources.ts';
import { itemKeys } from '../../shared/storage-keys.ts';
import { currentConfig, dynamoDocument } from '../aws-clients.ts';
import { isConditionFailure, keyAttributes, parseItem, TableAccess } from '../dynamo-stores.ts';

/**
 * Portal users in the main table (functions/shared/storage-keys.ts `user`), listed through one
 * index partition so the admin's list is one query. Created with attribute_not_exists;
 * replaced only when present.
 */

const storedUserSchema = z.object({
  username: z.string(),
  role: z.enum(ROLES),
  dept: z.nullable(z.string()),
  name: z.string(),
  passwordHash: z.string(),
  disabled: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const parseUser = (item: Record<string, unknown>): StoredUser => parseItem(storedUserSchema, item);

const userItem = (user: StoredUser) => ({ ...keyAttributes(itemKeys.user(user.username)), ...user });

export class DynamoUserDirectory extends TableAccess implements UserDirectory {
  async get(username: string): Promise<StoredUser | undefined> {
    const { pk, sk } = itemKeys.user(username);
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyAttributes({ pk, sk }) }),
    );
    return out.Item ? parseUser(out.Item) : undefined;
  }

  async list(): Promise<StoredUser[]> {
    return (await this.queryIndex(itemKeys.userList)).map(parseUser);
  }

  async add(user: StoredUser): Promise<void> {
    if (!(await this.create(userItem(user)))) throw new UserExistsError(user.username);
  }

  async replace(user: StoredUser): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: userItem(user),
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': TABLE.partitionKey.name },
        }),
      );
    } catch (error) {
      if (isConditionFailure(error))
        throw new NotFoundError(`没有用户「${user.username}」 / no user "${user.username}"`);
      throw error;
    }
  }
}

export function createUserDirectory(
  client: DynamoDBDocumentClient = dynamoDocument(),
  tableName: string = currentConfig().tableName,
): UserDirectory {
  return new DynamoUserDirectory(client, tableName);
}
