import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const CDK_JSON = join(import.meta.dirname, '..', '..', 'cdk.json');

/** cdk.json's context (defaults and feature flags) with a stage and recipients for tests. */
export const TEST_CONTEXT: Record<string, unknown> = {
  ...(JSON.parse(readFileSync(CDK_JSON, 'utf8')) as { context: Record<string, unknown> }).context,
  stage: 'test',
  leaderEmails: ['leader@example.gov.cn'],
  ownerEmail: 'owner@example.gov.cn',
  senderEmail: 'duban@example.gov.cn',
  departments: ['fgw', 'gxj'],
};
