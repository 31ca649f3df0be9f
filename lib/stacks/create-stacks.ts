import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type App, type Environment, Tags } from 'aws-cdk-lib';
import type { DeployConfig } from '../deploy-config.ts';
import { StatefulStack } from './stateful-stack.ts';
import { type FunctionEntries, StatelessStack } from './stateless-stack.ts';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DEFAULT_ENTRIES: FunctionEntries = {
  ingest: join(PROJECT_ROOT, 'functions', 'ingest', 'handler.ts'),
  bulletin: join(PROJECT_ROOT, 'functions', 'bulletin', 'handler.ts'),
  bulletinCheck: join(PROJECT_ROOT, 'functions', 'bulletin-check', 'handler.ts'),
  reminders: join(PROJECT_ROOT, 'functions', 'reminders', 'handler.ts'),
  portal: join(PROJECT_ROOT, 'functions', 'portal', 'handler.ts'),
};

export interface DubanStacks {
  readonly stateful: StatefulStack;
  readonly stateless: StatelessStack;
}

export interface CreateStacksOptions {
  readonly env?: Environment;
  /** Tests point these at fixtures; the app always uses the real handlers. */
  readonly entries?: Partial<FunctionEntries>;
}

/** Both stacks of one stage, named after it so stages can share an account. */
export function createDubanStacks(
  app: App,
  config: DeployConfig,
  options: CreateStacksOptions = {},
): DubanStacks {
  const prefix = `Duban-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env: options.env,
    description: `duban (${config.district}, ${config.stage}): table, buckets, access roles`,
    terminationProtection: config.stage === 'prod',
    config,
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env: options.env,
    description: `duban (${config.district}, ${config.stage}): functions, schedules, alarms`,
    config,
    table: stateful.storage.table,
    uploads: stateful.storage.uploads,
    archive: stateful.storage.archive,
    userPool: stateful.users.userPool,
    userPoolClient: stateful.users.client,
    departmentRoles: stateful.access.departmentRoles,
    signingKey: stateful.signingKey,
    projectRoot: PROJECT_ROOT,
    entries: { ...DEFAULT_ENTRIES, ...options.entries },
  });
  for (const stack of [stateful, stateless]) {
    Tags.of(stack).add('app', 'duban');
    Tags.of(stack).add('stage', config.stage);
  }
  return { stateful, stateless };
}
