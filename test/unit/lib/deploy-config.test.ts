import { describe, expect, it } from 'vitest';
import { type ContextKey, DeployConfigError, parseDeployConfig } from '../../../lib/deploy-config.ts';
import { TEST_CONTEXT } from '../../support/deploy-context.ts';

const reader =
  (overrides: Record<string, unknown> = {}) =>
  (key: ContextKey) =>
    ({ ...TEST_CONTEXT, ...overrides })[key];

describe('deploy config from cdk context', () => {
  it('reads the cdk.json defaults: hourly bulletin ticks, a daily check at 10:00 Beijing time, ten years of archive lock', () => {
    // Act
    const config = parseDeployConfig(reader());

    // Assess
    expect(config).toMatchObject({
      scheduleCron: 'cron(0 * * * ? *)',
      checkCron: 'cron(0 10 * * ? *)',
      scheduleTimezone: 'Asia/Shanghai',
      archiveRetentionYears: 10,
      logRetentionDays: 365,
      bulletinMemoryMb: 2048,
      bulletinTimeoutSeconds: 120,
    });
  });

  it('accepts the strings that `-c key=value` passes: numbers and comma-separated lists', () => {
    // Act
    const config = parseDeployConfig(
      reader({
        archiveRetentionYears: '7',
        logRetentionDays: '90',
        leaderEmails: 'a@example.gov.cn, b@example.gov.cn',
        departments: '["fgw","wlj"]',
        ownerEmail: '',
      }),
    );

    // Assess
    expect(config.archiveRetentionYears).toBe(7);
    expect(config.logRetentionDays).toBe(90);
    expect(config.leaderEmails).toEqual(['a@example.gov.cn', 'b@example.gov.cn']);
    expect(config.departments).toEqual(['fgw', 'wlj']);
    expect(config.ownerEmail).toBeUndefined();
  });

  it.each([
    ['stage', 'Prod_1', /-c stage/],
    ['logRetentionDays', '100', /logRetentionDays must be one of/],
    ['leaderEmails', 'not-an-address', /-c leaderEmails/],
    ['bulletinMemoryMb', '1024', /-c bulletinMemoryMb/],
    ['departments', 'fgw,bad id', /-c departments/],
    ['scheduleCron', '0 8 5 * *', /scheduleCron must look like/],
  ])('rejects %s=%s with a message naming the key', (key, value, message) => {
    // Act
    const parse = () => parseDeployConfig(reader({ [key]: value }));

    // Assess
    expect(parse).toThrow(DeployConfigError);
    expect(parse).toThrow(message);
  });

  it("refuses cdk.json's empty senderEmail at synth, naming the setting and how to give it", () => {
    // Act
    const parse = () => parseDeployConfig(reader({ senderEmail: '' }));
    const missing = () => parseDeployConfig(reader({ senderEmail: undefined }));

    // Assess
    expect(parse).toThrow(DeployConfigError);
    expect(parse).toThrow(/-c senderEmail: senderEmail is required: .*-c senderEmail=/);
    expect(missing).toThrow(/-c senderEmail/);
    expect(() => parseDeployConfig(reader({ senderEmail: 'not-mail' }))).toThrow(/verified in SES/);
  });

  it('reports a malformed JSON list as a config error, not a crash', () => {
    // Act
    const parse = () => parseDeployConfig(reader({ leaderEmails: '["a@example.gov.cn"' }));

    // Assess
    expect(parse).toThrow(DeployConfigError);
  });
});
