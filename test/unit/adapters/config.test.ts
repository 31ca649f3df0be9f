import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../functions/adapters/config.ts';
import { ConfigError } from '../../../functions/core/errors.ts';

const base = {
  DUBAN_TABLE: 't',
  DUBAN_UPLOADS_BUCKET: 'u',
  DUBAN_ARCHIVE_BUCKET: 'a',
  AWS_REGION: 'cn-north-1',
};

describe('loadConfig', () => {
  it('reads names, region and lists from the environment', () => {
    // Act
    const config = loadConfig({ ...base, DUBAN_LEADER_EMAILS: 'a@x.cn, b@x.cn' });

    // Assess
    expect(config).toMatchObject({
      tableName: 't',
      uploadsBucket: 'u',
      archiveBucket: 'a',
      region: 'cn-north-1',
    });
    expect(config.leaderEmails).toEqual(['a@x.cn', 'b@x.cn']);
    expect(config.dynamoEndpoint).toBeUndefined();
  });

  it('names the missing variable', () => {
    // Prepare
    const { DUBAN_ARCHIVE_BUCKET: _, ...env } = base;

    // Act / Assess
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/DUBAN_ARCHIVE_BUCKET/);
  });

  it('needs AWS_REGION in AWS but not against the local stand-ins', () => {
    // Prepare
    const { AWS_REGION: _, ...env } = base;

    // Act / Assess
    expect(() => loadConfig(env)).toThrow(/AWS_REGION/);
    expect(loadConfig({ ...env, DUBAN_DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' }).region).toBe('us-east-1');
  });

  it('accepts a JSON array of leader addresses and rejects a malformed one', () => {
    expect(loadConfig({ ...base, DUBAN_LEADER_EMAILS: '["a@x.cn"]' }).leaderEmails).toEqual(['a@x.cn']);
    expect(() => loadConfig({ ...base, DUBAN_LEADER_EMAILS: '[1' })).toThrow(/DUBAN_LEADER_EMAILS/);
  });

  it('reads whose uploader metadata ingest believes, believing no one by default', () => {
    // Act
    const unset = loadConfig(base);
    const set = loadConfig({
      ...base,
      DUBAN_UPLOAD_TRUST: '{"uploaderSetters":["AROAPORTAL"],"departmentRoles":{"gxj":"AROAGXJ"}}',
    });

    // Assess
    expect(unset.uploadTrust).toEqual({ uploaderSetters: [], departmentRoles: {}, local: false });
    expect(set.uploadTrust).toEqual({
      uploaderSetters: ['AROAPORTAL'],
      departmentRoles: { gxj: 'AROAGXJ' },
      local: false,
    });
    expect(() => loadConfig({ ...base, DUBAN_UPLOAD_TRUST: 'portal' })).toThrow(
      /DUBAN_UPLOAD_TRUST must be JSON/,
    );
    expect(() => loadConfig({ ...base, DUBAN_UPLOAD_TRUST: '{"local":"yes"}' })).toThrow(ConfigError);
  });
});
