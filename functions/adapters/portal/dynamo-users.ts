import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE } from '../../../lib/resources.ts';
import { NotFoundError } from '../../core/errors.ts';
import { UserExistsError } from '../../core/portal/principal.ts';
import type { StoredUser, UserDirectory } from '../../core/portal/users.ts';
import { currentConfig, dynamoDocument } from '../aws-clients.ts';
import { body, TableAccess } from '../dynamo-stores.ts';

/**
 * Portal users in the main table: USER#<username> / PROFILE, indexed under gsi1 "USER" so the
 * admin's list is one query. Created with attribute_not_exists; updated only when present.
 */

const PK = TABLE.partitionKey.name;
const SK = TABLE.sortKey.name;
const GSI = TABLE.globalIndexes[0];

export const userItemKey = (username: string) => ({ [PK]: `USER#${username}`, [SK]: 'PROFILE' });

function userItem(user: StoredUser): Record<string, unknown> {
  return {
    ...userItemKey(user.username),
    [GSI.partitionKey.name]: 'USER',
    [GSI.sortKey.name]: user.username,
    ...user,
  };
}

export class DynamoUserDirectory extends TableAccess implements UserDirectory {
  async get(username: string): Promise<StoredUser | undefined> {
    const out = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: userItemKey(username) }),
    );
    return out.Item ? body<StoredUser>(out.Item) : undefined;
  }

  async list(): Promise<StoredUser[]> {
    const items = await this.queryIndex('USER');
    return items.map((i) => body<StoredUser>(i));
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
          ExpressionAttributeNames: { '#pk': PK },
        }),
      );
    } catch (error) {
      if (
        error instanceof ConditionalCheckFailedException ||
        (error as Error).name === 'ConditionalCheckFailedException'
      )
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
